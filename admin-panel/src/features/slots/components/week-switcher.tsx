/** Previous / this / next week, the week's dates, and the week or list view. */
import { Button, Group, SegmentedControl } from "@mantine/core";
import { useZoneAside } from "@/components/time-zone";
import { useI18n } from "@/lib/i18n";
import { addDays, dayjs } from "@/lib/time";
import type { SlotView } from "../hooks/use-slots-page";

type Week = { monday: string; previous: () => void; current: () => void; next: () => void };

export function WeekSwitcher({ week, view, onView }: { week: Week; view: SlotView; onView: (v: SlotView) => void }) {
  const { t } = useI18n();
  const zoneAside = useZoneAside(week.monday);
  return (
    <Group justify="space-between">
      <Group gap="xs">
        <Button size="xs" variant="default" aria-label={t.slots.prevWeek} onClick={week.previous}>
          ←
        </Button>
        <Button size="xs" variant="default" onClick={week.current}>
          {t.slots.thisWeek}
        </Button>
        <Button size="xs" variant="default" aria-label={t.slots.nextWeek} onClick={week.next}>
          →
        </Button>
        <span>
          {dayjs(week.monday).format("DD.MM")} – {dayjs(addDays(week.monday, 6)).format("DD.MM.YYYY")} {zoneAside}
        </span>
      </Group>
      <SegmentedControl
        size="xs"
        value={view}
        onChange={(v) => onView(v as SlotView)}
        data={[
          { value: "week", label: t.slots.week },
          { value: "list", label: t.slots.list },
        ]}
      />
    </Group>
  );
}
