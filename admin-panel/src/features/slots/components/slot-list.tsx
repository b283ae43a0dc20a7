/** A week's slots as a list; the time opens the slot's menu (edit, cancel, delete). */
import { Anchor } from "@mantine/core";
import { DataTable, type Column } from "@/components/data-table";
import type { EmptyAction } from "@/components/query-state";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { formatWithLocation, slotShownStatus, slotStatusLabel } from "@/lib/labels";
import { formatDateTime } from "@/lib/time";
import { SlotMenu, type SlotAction } from "./week-calendar";

type Slot = Schemas["CalendarSlot"];

type Props = { slots: Slot[]; onAction: SlotAction; emptyAction?: EmptyAction; readOnly?: boolean; vacancyOf?: (slot: Slot) => string };

export function SlotList({ slots, onAction, emptyAction, readOnly, vacancyOf }: Props) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const columns: Column<Slot>[] = [
    {
      key: "time",
      header: t.slots.time,
      cell: (s) => (
        <SlotMenu slot={s} onAction={onAction} readOnly={readOnly}>
          <Anchor component="button">{formatDateTime(s.starts_at, tz)}</Anchor>
        </SlotMenu>
      ),
    },
    { key: "duration", header: t.slots.duration, cell: (s) => s.duration_minutes },
    { key: "capacity", header: t.slots.capacity, cell: (s) => t.slots.booked(s.booked, s.capacity) },
    { key: "format", header: t.slots.format, cell: (s) => formatWithLocation(t, s.format, s.location) },
    ...(vacancyOf ? [{ key: "vacancy", header: t.slots.vacancy, cell: (s: Slot) => vacancyOf(s) }] : []),
    { key: "status", header: t.common.status, cell: (s) => <StatusBadge status={slotShownStatus(s)} label={slotStatusLabel(t, s)} /> },
  ];
  return (
    <DataTable columns={columns} rows={slots} rowKey={(s) => s.id} minWidth={600} label={t.slots.title} emptyMessage={t.slots.noSlots} emptyAction={emptyAction} />
  );
}
