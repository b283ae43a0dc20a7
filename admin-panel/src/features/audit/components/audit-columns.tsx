/** The audit log's columns. */
import { Code } from "@mantine/core";
import type { Column } from "@/components/data-table";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { formatDateTime } from "@/lib/time";

export function useAuditColumns(): Column<Schemas["AuditEntry"]>[] {
  const { t } = useI18n();
  const tz = useTimeZone();
  return [
    { key: "at", header: t.audit.at, cell: (e) => formatDateTime(e.at, tz) },
    { key: "admin", header: t.audit.admin, cell: (e) => e.admin_username ?? e.admin_id ?? "—" },
    { key: "action", header: t.audit.action, cell: (e) => e.action },
    {
      key: "entity",
      header: t.audit.entity,
      cell: (e) => (
        <>
          {e.entity_type}
          {e.entity_id != null && ` #${e.entity_id}`}
        </>
      ),
    },
    { key: "details", header: t.audit.details, cell: (e) => <Code>{JSON.stringify(e.details)}</Code> },
  ];
}
