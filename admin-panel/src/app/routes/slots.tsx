import { Anchor, Button, Group, Modal, SegmentedControl, Stack, Table, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Empty, QueryState } from "@/components/query-state";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { slotsQueryOptions } from "@/features/slots/api/slots";
import { BulkForm } from "@/features/slots/components/bulk-form";
import { SlotForm } from "@/features/slots/components/slot-form";
import { SlotRemoveModal } from "@/features/slots/components/slot-remove-modal";
import { SlotMenu, WeekCalendar, type SlotAction } from "@/features/slots/components/week-calendar";
import { useI18n } from "@/lib/i18n";
import { addDays, dayjs, formatDateTime, mondayOf, startOfLocalDay, todayIn } from "@/lib/time";

type Dialog =
  | { kind: "create" }
  | { kind: "bulk" }
  | { kind: "edit"; slot: Schemas["SlotWithCounts"] }
  | { kind: "cancel" | "delete"; id: number }
  | null;

export function SlotsRoute() {
  const { t } = useI18n();
  const tz = useTimeZone();
  const [monday, setMonday] = useState(() => mondayOf(todayIn(tz)));
  const [view, setView] = useState<"week" | "list">("week");
  const [dialog, setDialog] = useState<Dialog>(null);
  const slots = useQuery(slotsQueryOptions({ from: startOfLocalDay(monday, tz), to: startOfLocalDay(addDays(monday, 7), tz) }));
  const onAction: SlotAction = (slot, action) =>
    setDialog(action === "edit" ? { kind: "edit", slot } : { kind: action, id: slot.id });
  const close = () => setDialog(null);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t.slots.title}</Title>
        <Group gap="xs">
          <Button variant="light" onClick={() => setDialog({ kind: "create" })}>
            {t.slots.createOne}
          </Button>
          <Button onClick={() => setDialog({ kind: "bulk" })}>{t.slots.bulk}</Button>
        </Group>
      </Group>
      <Group justify="space-between">
        <Group gap="xs">
          <Button size="xs" variant="default" aria-label={t.slots.prevWeek} onClick={() => setMonday(addDays(monday, -7))}>
            ←
          </Button>
          <Button size="xs" variant="default" onClick={() => setMonday(mondayOf(todayIn(tz)))}>
            {t.slots.thisWeek}
          </Button>
          <Button size="xs" variant="default" aria-label={t.slots.nextWeek} onClick={() => setMonday(addDays(monday, 7))}>
            →
          </Button>
          <span>
            {dayjs(monday).format("DD.MM")} – {dayjs(addDays(monday, 6)).format("DD.MM.YYYY")} ({tz})
          </span>
        </Group>
        <SegmentedControl
          size="xs"
          value={view}
          onChange={(v) => setView(v as "week" | "list")}
          data={[
            { value: "week", label: t.slots.week },
            { value: "list", label: t.slots.list },
          ]}
        />
      </Group>
      <QueryState query={slots}>
        {(items) =>
          view === "week" ? (
            <>
              <WeekCalendar monday={monday} slots={items} onAction={onAction} />
              {items.length === 0 && <Empty>{t.slots.noSlots}</Empty>}
            </>
          ) : items.length === 0 ? (
            <Empty>{t.slots.noSlots}</Empty>
          ) : (
            <Table.ScrollContainer minWidth={600}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t.slots.time}</Table.Th>
                    <Table.Th>{t.slots.duration}</Table.Th>
                    <Table.Th>{t.slots.capacity}</Table.Th>
                    <Table.Th>{t.slots.format}</Table.Th>
                    <Table.Th>{t.common.status}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td>
                        <SlotMenu slot={s} onAction={onAction}>
                          <Anchor component="button">{formatDateTime(s.starts_at, tz)}</Anchor>
                        </SlotMenu>
                      </Table.Td>
                      <Table.Td>{s.duration_minutes}</Table.Td>
                      <Table.Td>{t.slots.booked(s.booked, s.capacity)}</Table.Td>
                      <Table.Td>
                        {s.format}
                        {s.location ? ` · ${s.location}` : ""}
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={s.status} label={t.slots.status[s.status]} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
      <Modal opened={dialog?.kind === "create" || dialog?.kind === "edit"} onClose={close} title={dialog?.kind === "edit" ? t.common.edit : t.slots.createOne} centered>
        {dialog?.kind === "create" && <SlotForm onDone={close} />}
        {dialog?.kind === "edit" && <SlotForm slot={dialog.slot} onDone={close} />}
      </Modal>
      <Modal opened={dialog?.kind === "bulk"} onClose={close} title={t.bulk.title} size="lg" centered>
        {dialog?.kind === "bulk" && <BulkForm onDone={close} />}
      </Modal>
      {(dialog?.kind === "cancel" || dialog?.kind === "delete") && <SlotRemoveModal id={dialog.id} mode={dialog.kind} onClose={close} />}
    </Stack>
  );
}
