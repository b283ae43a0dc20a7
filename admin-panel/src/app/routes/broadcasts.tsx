import { Anchor, Card, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { Pager } from "@/components/pager";
import { Empty, QueryState } from "@/components/query-state";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import { broadcastsQueryOptions } from "@/features/broadcasts/api/broadcasts";
import { BroadcastCompose } from "@/features/broadcasts/components/broadcast-compose";
import { BroadcastProgress } from "@/features/broadcasts/components/broadcast-progress";
import { useI18n } from "@/lib/i18n";
import { visibleText } from "@/lib/telegram-html";
import { formatDateTime } from "@/lib/time";

const LIMIT = 20;

export function BroadcastsRoute() {
  const { t } = useI18n();
  const tz = useTimeZone();
  const navigate = useNavigate();
  const [offset, setOffset] = useState(0);
  const list = useQuery(broadcastsQueryOptions({ limit: LIMIT, offset }));
  return (
    <Stack>
      <Title order={2}>{t.broadcasts.title}</Title>
      <Card withBorder>
        <Text fw={600} mb="sm">
          {t.broadcasts.compose}
        </Text>
        <BroadcastCompose onCreated={(b) => navigate(`/broadcasts/${b.id}`)} />
      </Card>
      <QueryState query={list}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty />
          ) : (
            <>
              <Table.ScrollContainer minWidth={640}>
                <Table>
                  <Table.Tbody>
                    {page.items.map((b) => (
                      <Table.Tr key={b.id}>
                        <Table.Td w={170}>
                          <Anchor component={Link} to={`/broadcasts/${b.id}`}>
                            #{b.id} · {formatDateTime(b.send_at ?? b.created_at, tz)}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" lineClamp={1}>
                            {visibleText(b.text)}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {t.broadcasts.segmentKind[b.segment.kind]}
                            {b.segment.kind === "booked_on" ? ` ${b.segment.date}` : ""}
                          </Text>
                        </Table.Td>
                        <Table.Td w={260}>
                          <Group gap="xs" mb={4}>
                            <StatusBadge status={b.status} label={t.broadcasts.status[b.status]} />
                          </Group>
                          <BroadcastProgress b={b} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Pager total={page.total} limit={LIMIT} offset={offset} onChange={setOffset} />
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}
