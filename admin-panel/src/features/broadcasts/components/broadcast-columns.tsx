/** Columns of broadcast lists (the broadcasts page and the dashboard) and of a broadcast's deliveries. */
import { Anchor, Text } from "@mantine/core";
import { Link } from "react-router";
import type { Column } from "@/components/data-table";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { useSegmentLabel } from "../hooks/use-segment-label";
import { visibleText } from "@/lib/telegram-html";
import { formatDateTime } from "@/lib/time";
import { BroadcastProgress } from "./broadcast-progress";

export type DeliveryRow = Schemas["DeliveryRow"];

export function useBroadcastColumns(): Column<Schemas["BroadcastView"]>[] {
  const { t } = useI18n();
  const segmentLabel = useSegmentLabel();
  const tz = useTimeZone();
  return [
    {
      key: "broadcast",
      header: t.broadcasts.broadcast,
      width: 240,
      cell: (b) => (
        <>
          <Anchor component={Link} to={`/broadcasts/${b.id}`} lineClamp={2}>
            {b.title || t.broadcasts.untitled}
          </Anchor>
          <Text size="xs" c="dimmed">
            {formatDateTime(b.send_at ?? b.created_at, tz)}
          </Text>
        </>
      ),
    },
    {
      key: "text",
      header: t.broadcasts.textColumn,
      cell: (b) => (
        <>
          <Text size="sm" lineClamp={1}>
            {visibleText(b.text)}
          </Text>
          <Text size="xs" c="dimmed">
            {segmentLabel(b.segment)}
          </Text>
        </>
      ),
    },
    { key: "status", header: t.common.status, width: 130, cell: (b) => <StatusBadge status={b.status} label={t.broadcasts.status[b.status]} /> },
    { key: "progress", header: t.broadcasts.progress, width: 260, cell: (b) => <BroadcastProgress b={b} /> },
  ];
}

export function useDeliveryColumns(): Column<DeliveryRow>[] {
  const { t } = useI18n();
  const tz = useTimeZone();
  return [
    {
      key: "candidate",
      header: t.broadcasts.candidate,
      cell: (d) => (
        <>
          <Anchor component={Link} to={`/candidates/${d.candidate_id}`}>
            {`${d.first_name} ${d.last_name ?? ""}`.trim() || t.audit.aCandidate}
          </Anchor>
          {d.username && (
            <Text span c="dimmed" size="sm">
              {" "}@{d.username}
            </Text>
          )}
        </>
      ),
    },
    { key: "status", header: t.common.status, cell: (d) => <StatusBadge status={d.status} label={t.broadcasts.deliveryStatus[d.status]} /> },
    { key: "sentAt", header: t.broadcasts.sentAt, cell: (d) => (d.sent_at ? formatDateTime(d.sent_at, tz) : "—") },
    {
      key: "error",
      header: t.broadcasts.error,
      cell: (d) =>
        d.last_error ? (
          <Text size="xs" c="dimmed">
            {d.last_error}
          </Text>
        ) : null,
    },
  ];
}
