/** The bookings list's columns. */
import { Anchor, Text } from "@mantine/core";
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
          <StatusBadge status={b.status} label={t.bookings.status[b.status]} />
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
