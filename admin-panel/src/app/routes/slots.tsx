import { Button, Group, Stack, Title } from "@mantine/core";
import { Empty, QueryState } from "@/components/query-state";
import { SlotDialogs } from "@/features/slots/components/slot-dialogs";
import { SlotList } from "@/features/slots/components/slot-list";
import { WeekCalendar } from "@/features/slots/components/week-calendar";
import { WeekSwitcher } from "@/features/slots/components/week-switcher";
import { useSlotsPage } from "@/features/slots/hooks/use-slots-page";
import { useI18n } from "@/lib/i18n";

export function SlotsRoute() {
  const { t } = useI18n();
  const page = useSlotsPage();
  const generate = { label: t.slots.generate, onClick: () => page.setDialog({ kind: "bulk" }) };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t.slots.title}</Title>
        <Group gap="xs">
          <Button variant="light" onClick={() => page.setDialog({ kind: "create" })}>
            {t.slots.createOne}
          </Button>
          <Button onClick={() => page.setDialog({ kind: "bulk" })}>{t.slots.bulk}</Button>
        </Group>
      </Group>
      <WeekSwitcher week={page.week} view={page.view} onView={page.setView} />
      <QueryState query={page.slots}>
        {(items) =>
          page.view === "week" ? (
            <>
              <WeekCalendar monday={page.week.monday} slots={items} onAction={page.onAction} />
              {items.length === 0 && <Empty action={generate}>{t.slots.noSlots}</Empty>}
            </>
          ) : (
            <SlotList slots={items} onAction={page.onAction} emptyAction={generate} />
          )
        }
      </QueryState>
      <SlotDialogs dialog={page.dialog} onClose={page.closeDialog} onBulkDone={page.bulkDone} />
    </Stack>
  );
}
