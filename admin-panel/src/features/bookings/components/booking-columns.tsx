/** The bookings list's columns. */
import { Anchor, Badge, Text, Tooltip } from "@mantine/core";
import { Link } from "react-router";
import type { Column } from "@/components/data-table";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { formatDateTime } from "@/lib/time";
import { FoldedAnswers } from "./answers";
import { BookingActions, hasBookingActions } from "./booking-actions";

type Row = Schemas["BookingRow"];

/** An active booking's answer to "will you come?": confirmed, or asked and silent close to the interview. */
function ReconfirmBadge({ booking: b }: { booking: Row }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  if (b.status !== "active") return null;
  if (b.confirmed_at) {
    return (
      <Tooltip label={t.reconfirm.confirmedAt(formatDateTime(b.confirmed_at, tz))}>
        <Badge color="teal" variant="outline" ml={4}>
          {t.reconfirm.confirmed}
        </Badge>
      </Tooltip>
    );
  }
  if (b.unconfirmed) {
    return (
      <Tooltip label={t.reconfirm.unconfirmedHint}>
        <Badge color="orange" variant="filled" ml={4}>
          {t.reconfirm.unconfirmed}
        </Badge>
      </Tooltip>
    );
  }
  return null;
}

export function useBookingColumns(onCancel: (b: Row) => void): Column<Row>[] {
  const { t } = useI18n();
  const tz = useTimeZone();
  return [
    { key: "slot", header: t.bookings.slot, cell: (b) => formatDateTime(b.slot_starts_at, tz) },
    {
      key: "candidate",
      header: t.bookings.candidate,
      cell: (b) => (
        <>
          <Anchor component={Link} to={`/candidates/${b.candidate_id}`}>
            {b.first_name} {b.last_name ?? ""}
          </Anchor>
          {b.username && (
            <Text span c="dimmed" size="sm">
              {" "}@{b.username}
            </Text>
          )}
        </>
      ),
    },
    {
      key: "vacancy",
      header: t.bookings.vacancy,
      cell: (b) =>
        b.vacancy_title || b.answers?.length ? (
          <>
            {b.vacancy_title && <Text size="sm">{b.vacancy_title}</Text>}
            <FoldedAnswers answers={b.answers} />
          </>
        ) : null,
    },
    {
      key: "status",
      header: t.common.status,
      cell: (b) => (
        <>
          <StatusBadge status={b.status} label={b.cancelled_by === "system" ? t.bookings.released : t.bookings.status[b.status]} />
          <ReconfirmBadge booking={b} />
          {b.cancel_reason && (
            <Text size="xs" c="dimmed">
              {b.cancel_reason}
            </Text>
          )}
        </>
      ),
    },
    { key: "actions", header: t.bookings.actions, cardLabel: null, align: "right", cell: (b) => (hasBookingActions(b) ? <BookingActions booking={b} onCancel={onCancel} /> : null) },
  ];
}
