/** A week, Monday to Sunday, one column per local day (stacked on a phone). */
import type { ReactNode } from "react";
import { Badge, Card, Group, Menu, SimpleGrid, Stack, Text, UnstyledButton } from "@mantine/core";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { slotStatusLabel } from "@/lib/labels";
import { addDays, dayjs, formatTime, localDate } from "@/lib/time";

export type SlotAction = (slot: Schemas["CalendarSlot"], action: "detail" | "edit" | "cancel" | "delete") => void;

/** A slot's menu: its details, and for those who may change slots, edit, cancel and delete. */
export function SlotMenu({ slot, onAction, readOnly, children }: { slot: Schemas["CalendarSlot"]; onAction: SlotAction; readOnly?: boolean; children: ReactNode }) {
  const { t } = useI18n();
  const open = slot.status === "open";
  return (
    <Menu withinPortal position="bottom-start">
      <Menu.Target>{children}</Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => onAction(slot, "detail")}>{t.slotDetail.open}</Menu.Item>
        {!readOnly && (
          <>
            <Menu.Item disabled={!open} onClick={() => onAction(slot, "edit")}>
              {t.common.edit}
            </Menu.Item>
            <Menu.Item disabled={!open} color="orange" onClick={() => onAction(slot, "cancel")}>
              {t.slots.cancelSlot}
            </Menu.Item>
            <Menu.Item color="red" onClick={() => onAction(slot, "delete")}>
              {t.slots.deleteSlot}
            </Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

type CalendarProps = {
  monday: string;
  slots: Schemas["CalendarSlot"][];
  onAction: SlotAction;
  readOnly?: boolean;
  /** A slot's vacancy title ("" for any vacancy or when unknown). */
  vacancyOf?: (slot: Schemas["CalendarSlot"]) => string;
};

export function WeekCalendar({ monday, slots, onAction, readOnly, vacancyOf = () => "" }: CalendarProps) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  return (
    <SimpleGrid cols={{ base: 1, sm: 4, lg: 7 }} spacing="xs">
      {days.map((day, i) => {
        const daySlots = slots.filter((s) => localDate(s.starts_at, tz) === day);
        return (
          <Card key={day} withBorder p="xs">
            <Text fw={600} size="sm">
              {t.bulk.weekdayShort[i]} {dayjs(day).format("DD.MM")}
            </Text>
            <Stack gap={4} mt={4}>
              {daySlots.map((s) => (
                <SlotMenu key={s.id} slot={s} onAction={onAction} readOnly={readOnly}>
                  <UnstyledButton
                    title={[slotStatusLabel(t, s), vacancyOf(s)].filter(Boolean).join(" · ")}
                    style={{ borderRadius: 6, padding: "2px 6px", background: s.status === "open" ? (s.booked >= s.capacity ? "var(--mantine-color-indigo-1)" : "var(--mantine-color-green-0)") : "var(--mantine-color-gray-1)" }}
                  >
                    <Group gap={4} justify="space-between" wrap="nowrap">
                      <Text size="sm" td={s.status === "open" ? undefined : "line-through"}>
                        {formatTime(s.starts_at, tz)}
                      </Text>
                      <Badge size="xs" variant="light" color={s.booked > 0 ? "indigo" : "gray"}>
                        {t.slots.booked(s.booked, s.capacity)}
                      </Badge>
                    </Group>
                    {vacancyOf(s) && (
                      <Text size="xs" c="dimmed" truncate>
                        {vacancyOf(s)}
                      </Text>
                    )}
                  </UnstyledButton>
                </SlotMenu>
              ))}
            </Stack>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}
