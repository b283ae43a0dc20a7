import { Code, Select, Stack, Table, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Pager } from "@/components/pager";
import { Empty, QueryState } from "@/components/query-state";
import { useTimeZone } from "@/components/time-zone";
import { auditQueryOptions } from "@/features/audit/api/audit";
import { useI18n } from "@/lib/i18n";
import { formatDateTime } from "@/lib/time";

const LIMIT = 50;

export function AuditRoute() {
  const { t } = useI18n();
  const tz = useTimeZone();
  const [entity, setEntity] = useState<string | null>(null);
  const [offset, setOffset] = useState(0);
  const audit = useQuery(auditQueryOptions({ entity_type: entity ?? undefined, limit: LIMIT, offset }));
  return (
    <Stack>
      <Title order={2}>{t.audit.title}</Title>
      <Select
        w={220}
        label={t.audit.entity}
        clearable
        placeholder={t.common.all}
        value={entity}
        onChange={(v) => {
          setEntity(v);
          setOffset(0);
        }}
        data={["slot", "booking", "candidate", "broadcast", "admin"]}
      />
      <QueryState query={audit}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty />
          ) : (
            <>
              <Table.ScrollContainer minWidth={640}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t.audit.at}</Table.Th>
                      <Table.Th>{t.audit.admin}</Table.Th>
                      <Table.Th>{t.audit.action}</Table.Th>
                      <Table.Th>{t.audit.entity}</Table.Th>
                      <Table.Th>{t.audit.details}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.items.map((e) => (
                      <Table.Tr key={e.id}>
                        <Table.Td>{formatDateTime(e.at, tz)}</Table.Td>
                        <Table.Td>{e.admin_username ?? e.admin_id ?? "—"}</Table.Td>
                        <Table.Td>{e.action}</Table.Td>
                        <Table.Td>
                          {e.entity_type}
                          {e.entity_id != null && ` #${e.entity_id}`}
                        </Table.Td>
                        <Table.Td>
                          <Code>{JSON.stringify(e.details)}</Code>
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
