import { Button, Group, Stack, Title } from "@mantine/core";
import { Empty, QueryState } from "@/components/query-state";
import { InterviewerFilter } from "@/features/accounts/components/interviewer-select";
import { SlotDialogs } from "@/features/slots/components/slot-dialogs";
import { SlotList } from "@/features/slots/components/slot-list";
import { WeekCalendar } from "@/features/slots/components/week-calendar";
import { WeekSwitcher } from "@/features/slots/components/week-switcher";
import { useSlotsPage } from "@/features/slots/hooks/use-slots-page";
import { useVacancyTitle } from "@/features/vacancies/hooks/use-vacancy-info";
import { useI18n } from "@/lib/i18n";

export function SlotsRoute() {
  const { t } = useI18n();
  const page = useSlotsPage();
  const { readOnly } = page;
  // An interviewer's calendar (read-only): their own slots, no vacancy list to name them by.
  const vacancyTitle = useVacancyTitle(t.slots.anyVacancy, page.namesVacancies);
  const vacancyOf = (s: { vacancy_id?: number | null }) => vacancyTitle(s.vacancy_id);
  // The calendar names only a slot's own vacancy ("any vacancy" says nothing there).
  const calendarVacancy = (s: { vacancy_id?: number | null }) => (s.vacancy_id == null ? "" : vacancyTitle(s.vacancy_id));
  const next = readOnly
    ? { label: t.slots.nextWeek, onClick: page.week.next }
    : { label: t.slots.generate, onClick: () => page.setDialog({ kind: "bulk" }) };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t.slots.title}</Title>
        {!readOnly && (
          <Group gap="xs">
            <Button variant="light" onClick={() => page.setDialog({ kind: "create" })}>
              {t.slots.createOne}
            </Button>
            <Button onClick={() => page.setDialog({ kind: "bulk" })}>{t.slots.bulk}</Button>
          </Group>
        )}
      </Group>
      <WeekSwitcher week={page.week} view={page.view} onView={page.setView} />
      {!readOnly && (
        <Group>
          <InterviewerFilter value={page.interviewer.value} onChange={page.interviewer.set} />
        </Group>
      )}
      <QueryState query={page.slots}>
        {(items) =>
          page.view === "week" ? (
            <>
              <WeekCalendar monday={page.week.monday} slots={items} onAction={page.onAction} readOnly={readOnly} vacancyOf={calendarVacancy} />
              {items.length === 0 && <Empty action={next}>{readOnly ? t.myInterviews.calendarEmpty : t.slots.noSlots}</Empty>}
            </>
          ) : (
            <SlotList slots={items} onAction={page.onAction} emptyAction={next} readOnly={readOnly} vacancyOf={readOnly ? undefined : vacancyOf} />
          )
        }
      </QueryState>
      <SlotDialogs dialog={page.dialog} onClose={page.closeDialog} onBulkDone={page.bulkDone} vacancyTitle={(id) => vacancyTitle(id)} />
    </Stack>
  );
}
