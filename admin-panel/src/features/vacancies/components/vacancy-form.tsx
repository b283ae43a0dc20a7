/** Create a vacancy or edit one: its title, its interview's defaults, and its questionnaire. */
import { Alert, Button, Checkbox, Group, NumberInput, SimpleGrid, Stack, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { errorMessage } from "@/components/query-state";
import { FormatFields } from "@/features/slots/components/format-fields";
import { useI18n } from "@/lib/i18n";
import { useSaveVacancy, type Vacancy } from "../api/vacancies";
import { emptyVacancy, MAX_TITLE_LEN, toFields, validateVacancy, vacancyValues, type VacancyValues } from "../lib/vacancy-values";
import { QuestionsEditor } from "./questions-editor";

export function VacancyForm({ vacancy, onDone }: { vacancy?: Vacancy; onDone: () => void }) {
  const { t } = useI18n();
  const save = useSaveVacancy();
  const form = useForm<VacancyValues>({
    initialValues: vacancy ? vacancyValues(vacancy) : emptyVacancy(),
    validate: (v) => validateVacancy(v, t),
  });
  const submit = (v: VacancyValues) =>
    save.mutate(
      { id: vacancy?.id, fields: toFields(v) },
      {
        onSuccess: () => {
          notifications.show({ color: "green", message: vacancy ? t.vacancies.updated : t.vacancies.created });
          onDone();
        },
      },
    );
  return (
    <form noValidate onSubmit={form.onSubmit(submit)}>
      <Stack>
        <TextInput label={t.vacancies.name} withAsterisk maxLength={MAX_TITLE_LEN} {...form.getInputProps("title")} />
        <Textarea label={t.vacancies.description} description={t.vacancies.descriptionHint} autosize minRows={2} maxLength={1000} {...form.getInputProps("description")} />
        <SimpleGrid cols={{ base: 1, xs: 3 }}>
          <NumberInput label={t.slots.duration} min={5} max={480} step={15} {...form.getInputProps("duration_minutes")} />
          <NumberInput label={t.slots.capacity} min={1} max={100} {...form.getInputProps("capacity")} />
          <NumberInput label={t.vacancies.position} description={t.vacancies.positionHint} min={0} {...form.getInputProps("position")} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <FormatFields choice={form.getInputProps("format")} own={form.getInputProps("ownFormat")} />
          <TextInput label={t.slots.location} maxLength={1000} {...form.getInputProps("location")} />
        </SimpleGrid>
        <Checkbox
          label={t.vacancies.showInterviewer}
          description={t.vacancies.showInterviewerHint}
          {...form.getInputProps("show_interviewer", { type: "checkbox" })}
        />
        <QuestionsEditor form={form} />
        {save.error && (
          <Alert color="red" role="alert">
            {errorMessage(save.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {vacancy ? t.common.save : t.common.create}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
