import { Anchor, Button, Card, Group, Stack, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { ConfirmModal } from "@/components/confirm";
import { Pager } from "@/components/pager";
import { Empty, errorMessage, QueryState } from "@/components/query-state";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import { broadcastQueryOptions, deliveriesQueryOptions, isRunning, useCancelBroadcast } from "@/features/broadcasts/api/broadcasts";
import { BroadcastProgress } from "@/features/broadcasts/components/broadcast-progress";
import { useI18n } from "@/lib/i18n";
import { TelegramPreview } from "@/lib/telegram-html";
import { formatDateTime } from "@/lib/time";

const LIMIT = 50;

export function BroadcastRoute() {
  const { t } = useI18n();
  const tz = useTimeZone();
  const id = Number(useParams().id);
  const [offset, setOffset] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const b = useQuery(broadcastQueryOptions(id));
  const running = b.data ? isRunning(b.data) : false;
  const deliveries = useQuery({ ...deliveriesQueryOptions(id, { limit: LIMIT, offset, running }), enabled: b.isSuccess });
  const cancel = useCancelBroadcast();
  return (
    <Stack>
      <Anchor component={Link} to="/broadcasts" size="sm">
        ← {t.broadcasts.title}
      </Anchor>
      <QueryState query={b}>
        {(bc) => (
          <>
            <Group justify="space-between">
              <Title order={2}>#{bc.id}</Title>
              <Group>
                <StatusBadge status={bc.status} label={t.broadcasts.status[bc.status]} />
                {isRunning(bc) && (
                  <Button color="red" variant="light" onClick={() => setConfirming(true)}>
                    {t.broadcasts.cancel}
                  </Button>
                )}
              </Group>
            </Group>
            <Text size="sm" c="dimmed">
              {t.broadcasts.segmentKind[bc.segment.kind]}
              {bc.segment.kind === "booked_on" ? ` ${bc.segment.date}` : ""} · {formatDateTime(bc.send_at ?? bc.created_at, tz)} ({tz})
              {bc.total_recipients != null ? ` · ${t.broadcasts.recipients(bc.total_recipients)}` : ""}
            </Text>
            <Card withBorder>
              <Text fw={600} mb="xs">{t.broadcasts.progress}</Text>
              <BroadcastProgress b={bc} />
            </Card>
            <Card withBorder style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
              <TelegramPreview html={bc.text} />
            </Card>
            <ConfirmModal
              opened={confirming}
              title={t.broadcasts.cancel}
              confirmLabel={t.broadcasts.cancel}
              loading={cancel.isPending}
              onClose={() => setConfirming(false)}
              onConfirm={() =>
                cancel.mutate(bc.id, {
                  onSuccess: () => setConfirming(false),
                  onError: (e) => notifications.show({ color: "red", message: errorMessage(e) }),
                })
              }
            >
              <Text>{t.broadcasts.cancelConfirm}</Text>
            </ConfirmModal>
          </>
        )}
      </QueryState>
      {b.isSuccess && (
        <Card withBorder>
          <Text fw={600} mb="xs">{t.broadcasts.deliveries}</Text>
          <QueryState query={deliveries}>
            {(page) =>
              page.items.length === 0 ? (
                <Empty />
              ) : (
                <>
                  <Table.ScrollContainer minWidth={480}>
                    <Table>
                      <Table.Tbody>
                        {page.items.map((d) => (
                          <Table.Tr key={d.id}>
                            <Table.Td>
                              <Anchor component={Link} to={`/candidates/${d.candidate_id}`}>#{d.candidate_id}</Anchor>
                            </Table.Td>
                            <Table.Td>
                              <StatusBadge status={d.status} label={t.broadcasts.deliveryStatus[d.status]} />
                            </Table.Td>
                            <Table.Td>{d.sent_at ? formatDateTime(d.sent_at, tz) : "—"}</Table.Td>
                            <Table.Td>
                              <Text size="xs" c="dimmed">{d.last_error}</Text>
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
        </Card>
      )}
    </Stack>
  );
}
