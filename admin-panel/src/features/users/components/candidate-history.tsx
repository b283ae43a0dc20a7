/** A candidate's bookings and the messages sent to them, as two lists. */
import { Anchor, Card, Text } from "@mantine/core";
import { Link, useNavigate } from "react-router";
import { DataTable, type Column } from "@/components/data-table";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { formatWithLocation } from "@/lib/labels";
import { formatDateTime } from "@/lib/time";

/** A readable name for a notification delivery (its JSON carries a `type`). */
export function notificationLabel(json: string | null | undefined, kinds: Record<string, string>): string | null {
  if (!json) return null;
  try {
    const type = (JSON.parse(json) as { type?: string }).type;
    return (type && Object.hasOwn(kinds, type) ? kinds[type] : undefined) ?? null;
  } catch {
    return null;
  }
}

export function CandidateBookings({ bookings }: { bookings: Schemas["BookingRow"][] }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const navigate = useNavigate();
  const columns: Column<Schemas["BookingRow"]>[] = [
    { key: "time", header: t.bookings.slot, cell: (b) => formatDateTime(b.slot_starts_at, tz) },
    { key: "format", header: t.slots.format, cell: (b) => formatWithLocation(t, b.format, b.location) },
    {
      key: "status",
      header: t.common.status,
      cell: (b) => (
        <>
          <StatusBadge status={b.status} label={t.bookings.status[b.status]} />
          {b.cancel_reason && <Text size="xs" c="dimmed">{b.cancel_reason}</Text>}
        </>
      ),
    },
  ];
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">{t.candidates.bookings}</Text>
      <DataTable columns={columns} rows={bookings} rowKey={(b) => b.id} minWidth={480} striped={false} label={t.candidates.bookings} emptyMessage={t.candidates.noBookings} emptyAction={{ label: t.bookings.toSlots, onClick: () => navigate("/slots") }} />
    </Card>
  );
}

export function CandidateMessages({ deliveries }: { deliveries: Schemas["Delivery"][] }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const navigate = useNavigate();
  const columns: Column<Schemas["Delivery"]>[] = [
    { key: "at", header: t.candidates.sentAt, cell: (d) => formatDateTime(d.sent_at ?? d.created_at, tz) },
    {
      key: "message",
      header: t.candidates.message,
      cell: (d) =>
        d.broadcast_id != null ? (
          <Anchor component={Link} to={`/broadcasts/${d.broadcast_id}`}>{t.candidates.broadcastMessage}</Anchor>
        ) : (
          (notificationLabel(d.notification, t.candidates.notificationKinds) ?? t.candidates.deliveryKind[d.kind])
        ),
    },
    {
      key: "status",
      header: t.common.status,
      cell: (d) => (
        <>
          <StatusBadge status={d.status} label={t.broadcasts.deliveryStatus[d.status]} />
          {d.last_error && <Text size="xs" c="dimmed">{d.last_error}</Text>}
        </>
      ),
    },
  ];
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">{t.candidates.messages}</Text>
      <DataTable columns={columns} rows={deliveries} rowKey={(d) => d.id} minWidth={480} striped={false} label={t.candidates.messages} emptyMessage={t.candidates.noMessages} emptyAction={{ label: t.broadcasts.compose, onClick: () => navigate("/broadcasts") }} />
    </Card>
  );
}
