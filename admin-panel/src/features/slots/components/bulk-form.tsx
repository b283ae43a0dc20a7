/** Bulk generation: a plan, previewed live with `dry_run`, then created; `onDone` gets the first created day. */
import { Alert, Button, Group, NumberInput, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { DateField } from "@/components/date-fields";
import { errorMessage } from "@/components/query-state";
import { useI18n } from "@/lib/i18n";
import { useBulkForm } from "../hooks/use-bulk-form";
import { BulkPreview, TimeWindows, WeekdayPicker } from "./bulk-form-parts";
import { FormatFields } from "./format-fields";
import { VacancySelect } from "@/features/vacancies/components/vacancy-select";
import { useVacancyDefaults } from "@/features/vacancies/hooks/use-vacancy-info";
import { formatValues } from "../lib/format-choice";
import { InterviewerSelect } from "@/features/accounts/components/interviewer-select";

export function BulkForm({ onDone }: { onDone: (firstDay: string) => void }) {
  const { t } = useI18n();
  const { form, valid, preview, count, create, submit } = useBulkForm(onDone);
  const defaults = useVacancyDefaults();
  return (
    <form noValidate onSubmit={submit}>
      <Stack>
        <VacancySelect
          label={t.slots.vacancy}
          anyLabel={t.slots.anyVacancy}
          value={form.values.vacancyId}
          onChange={(id) => {
            form.setFieldValue("vacancyId", id);
            // Slots for a vacancy start from its duration, places, format and place.
            const d = defaults(id);
            if (d) form.setValues({ duration_minutes: d.duration_minutes, capacity: d.capacity, location: d.location, ...formatValues(d.format) });
          }}
        />
        <InterviewerSelect value={form.values.interviewerIds} onChange={(ids) => form.setFieldValue("interviewerIds", ids)} />
        {form.values.interviewerIds.length > 0 && (
          <Stack gap={6}>
            <Text size="sm" fw={500}>
              {t.bulk.assignment}
            </Text>
            <SegmentedControl
              aria-label={t.bulk.assignment}
              data={(["panel", "each", "round_robin"] as const).map((value) => ({ value, label: t.bulk.assignments[value] }))}
              {...form.getInputProps("assignment")}
            />
            <Text size="xs" c="dimmed">
              {t.bulk.assignmentHint[form.values.assignment]}
            </Text>
            <SimpleGrid cols={2}>
              {form.values.assignment !== "panel" ? (
                <NumberInput label={t.bulk.dailyCap} description={t.bulk.dailyCapHint} min={1} max={100} {...form.getInputProps("dailyCap")} />
              ) : (
                <div />
              )}
              <NumberInput label={t.bulk.buffer} description={t.bulk.bufferHint} min={0} max={240} step={5} {...form.getInputProps("bufferMinutes")} />
            </SimpleGrid>
          </Stack>
        )}
        <SimpleGrid cols={2}>
          <DateField label={t.bulk.fromDate} {...form.getInputProps("from_date")} />
          <DateField label={t.bulk.toDate} {...form.getInputProps("to_date")} />
        </SimpleGrid>
        <WeekdayPicker form={form} />
        <TimeWindows form={form} />
        <SimpleGrid cols={{ base: 2, sm: 3 }}>
          <NumberInput label={t.slots.duration} min={5} max={480} step={15} {...form.getInputProps("duration_minutes")} />
          <NumberInput label={t.bulk.gap} min={0} max={240} step={5} {...form.getInputProps("gap_minutes")} />
          <NumberInput label={t.slots.capacity} min={1} max={100} {...form.getInputProps("capacity")} />
        </SimpleGrid>
        <SimpleGrid cols={2}>
          <FormatFields choice={form.getInputProps("format")} own={form.getInputProps("ownFormat")} />
          <TextInput label={t.slots.location} {...form.getInputProps("location")} />
        </SimpleGrid>
        <BulkPreview valid={valid} preview={preview} />
        {create.error && (
          <Alert color="red" role="alert">
            {errorMessage(create.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending} disabled={valid && preview.isSuccess && count === 0}>
            {t.bulk.submit(count)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
