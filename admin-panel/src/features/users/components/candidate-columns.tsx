/** The candidates list's columns. */
import { Anchor } from "@mantine/core";
import { Link } from "react-router";
import type { Column } from "@/components/data-table";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { formatDateTime } from "@/lib/time";

export function useCandidateColumns(): Column<Schemas["Candidate"]>[] {
  const { t } = useI18n();
  const tz = useTimeZone();
  return [
    {
      key: "name",
      header: t.candidates.name,
      cell: (c) => (
        <Anchor component={Link} to={`/candidates/${c.id}`}>
          {c.first_name} {c.last_name ?? ""}
        </Anchor>
      ),
    },
    { key: "username", header: t.candidates.username, cell: (c) => (c.username ? `@${c.username}` : null) },
    { key: "lastSeen", header: t.candidates.lastSeen, cell: (c) => formatDateTime(c.last_seen_at, tz) },
    { key: "status", header: t.common.status, cell: (c) => <StatusBadge status={c.status} label={t.candidates.status[c.status]} /> },
  ];
}
