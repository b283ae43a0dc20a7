import { Anchor, Group, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { Pager } from "@/components/pager";
import { Empty, QueryState } from "@/components/query-state";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { usersQueryOptions } from "@/features/users/api/users";
import { useI18n } from "@/lib/i18n";
import { formatDateTime } from "@/lib/time";

const LIMIT = 50;

export function CandidatesRoute() {
  const { t } = useI18n();
  const tz = useTimeZone();
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<Schemas["CandidateStatus"] | null>(null);
  const [offset, setOffset] = useState(0);
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const users = useQuery(usersQueryOptions({ q: debouncedQ || undefined, status: status ?? undefined, limit: LIMIT, offset }));
  return (
    <Stack>
      <Title order={2}>{t.candidates.title}</Title>
      <Group grow>
        <TextInput label={t.common.search} placeholder={t.candidates.search} value={q} onChange={(e) => { setQ(e.currentTarget.value); setOffset(0); }} />
        <Select
          label={t.common.status}
          clearable
          placeholder={t.common.all}
          value={status}
          onChange={(v) => { setStatus(v as Schemas["CandidateStatus"] | null); setOffset(0); }}
          data={(["active", "blocked", "unreachable"] as const).map((s) => ({ value: s, label: t.candidates.status[s] }))}
        />
      </Group>
      <QueryState query={users}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty />
          ) : (
            <>
              <Table.ScrollContainer minWidth={560}>
                <Table striped highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t.candidates.name}</Table.Th>
                      <Table.Th>{t.candidates.username}</Table.Th>
                      <Table.Th>{t.candidates.lastSeen}</Table.Th>
                      <Table.Th>{t.common.status}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.items.map((c) => (
                      <Table.Tr key={c.id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/candidates/${c.id}`}>
                            {c.first_name} {c.last_name ?? ""}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{c.username ? `@${c.username}` : <Text c="dimmed">{c.telegram_user_id}</Text>}</Table.Td>
                        <Table.Td>{formatDateTime(c.last_seen_at, tz)}</Table.Td>
                        <Table.Td>
                          <StatusBadge status={c.status} label={t.candidates.status[c.status]} />
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
