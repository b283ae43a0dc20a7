/**
 * A vacancy's questionnaire in its form: questions added, removed and moved; each with its kind,
 * its Russian text and an optional English one, "may be skipped", and the choices of a choice.
 */
import { ActionIcon, Button, Card, Checkbox, Group, Select, Stack, Text, TextInput, Tooltip } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import { useI18n } from "@/lib/i18n";
import { MAX_OPTIONS, MAX_QUESTIONS, QUESTION_KINDS, newQuestion, withKind, type QuestionKind } from "../lib/questions";
import type { VacancyValues } from "../lib/vacancy-values";

/** The server's limits (core_logic/src/questionnaire.rs). */
const MAX_QUESTION_LEN = 300;
const MAX_OPTION_LEN = 40;

type Form = UseFormReturnType<VacancyValues>;

function OptionsEditor({ form, index }: { form: Form; index: number }) {
  const { t } = useI18n();
  const options = form.values.questions[index]!.options;
  const path = `questions.${index}.options`;
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        {t.vacancies.options}
      </Text>
      {options.map((_, j) => (
        <Group key={j} gap="xs" wrap="nowrap" align="flex-start">
          <TextInput style={{ flex: 1 }} aria-label={`${t.vacancies.question(index + 1)}: ${t.vacancies.option(j + 1)}`} placeholder={t.vacancies.option(j + 1)} maxLength={MAX_OPTION_LEN} {...form.getInputProps(`${path}.${j}`)} />
          <ActionIcon variant="subtle" color="red" mt={6} aria-label={t.vacancies.removeOption(j + 1)} disabled={options.length <= 2} onClick={() => form.removeListItem(path, j)}>
            ×
          </ActionIcon>
        </Group>
      ))}
      {form.errors[path] && (
        <Text c="red" size="xs">
          {form.errors[path]}
        </Text>
      )}
      <Group>
        <Button size="xs" variant="light" disabled={options.length >= MAX_OPTIONS} onClick={() => form.insertListItem(path, "")}>
          {t.vacancies.addOption}
        </Button>
      </Group>
    </Stack>
  );
}

/** The card's heading names the question; each field's visible label stays short, its accessible name says "Вопрос 2: …". */
function QuestionCard({ form, index, count }: { form: Form; index: number; count: number }) {
  const { t } = useI18n();
  const q = form.values.questions[index]!;
  const n = index + 1;
  const label = (what: string) => `${t.vacancies.question(n)}: ${what}`;
  return (
    <Card withBorder padding="sm" data-testid="question">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600} size="sm">
            {t.vacancies.question(n)}
          </Text>
          <Group gap={4} wrap="nowrap">
            <Tooltip label={t.vacancies.moveUp}>
              <ActionIcon variant="subtle" aria-label={label(t.vacancies.moveUp)} disabled={index === 0} onClick={() => form.reorderListItem("questions", { from: index, to: index - 1 })}>
                ↑
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t.vacancies.moveDown}>
              <ActionIcon variant="subtle" aria-label={label(t.vacancies.moveDown)} disabled={index === count - 1} onClick={() => form.reorderListItem("questions", { from: index, to: index + 1 })}>
                ↓
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t.vacancies.remove}>
              <ActionIcon variant="subtle" color="red" aria-label={label(t.vacancies.remove)} onClick={() => form.removeListItem("questions", index)}>
                ×
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
        <Select
          label={t.vacancies.kind}
          aria-label={label(t.vacancies.kind)}
          allowDeselect={false}
          data={QUESTION_KINDS.map((k) => ({ value: k, label: t.vacancies.kinds[k] }))}
          value={q.kind}
          onChange={(v) => v && form.setFieldValue(`questions.${index}`, withKind(q, v as QuestionKind))}
        />
        <TextInput label={t.vacancies.text} aria-label={label(t.vacancies.text)} withAsterisk maxLength={MAX_QUESTION_LEN} {...form.getInputProps(`questions.${index}.text`)} />
        <TextInput label={t.vacancies.textEn} aria-label={label(t.vacancies.textEn)} description={t.vacancies.textEnHint} maxLength={MAX_QUESTION_LEN} {...form.getInputProps(`questions.${index}.textEn`)} />
        {q.kind === "choice" && <OptionsEditor form={form} index={index} />}
        <Checkbox label={t.vacancies.optional} aria-label={label(t.vacancies.optional)} {...form.getInputProps(`questions.${index}.optional`, { type: "checkbox" })} />
      </Stack>
    </Card>
  );
}

export function QuestionsEditor({ form }: { form: Form }) {
  const { t } = useI18n();
  const questions = form.values.questions;
  return (
    <Stack gap="xs">
      <div>
        <Text fw={600}>{t.vacancies.questions}</Text>
        <Text size="xs" c="dimmed">
          {t.vacancies.questionsHint}
        </Text>
      </div>
      {questions.length === 0 && (
        <Text size="sm" c="dimmed">
          {t.vacancies.noQuestions}
        </Text>
      )}
      {questions.map((q, i) => (
        <QuestionCard key={q.key} form={form} index={i} count={questions.length} />
      ))}
      {typeof form.errors.questions === "string" && (
        <Text c="red" size="xs">
          {form.errors.questions}
        </Text>
      )}
      <Group>
        <Button variant="light" size="xs" disabled={questions.length >= MAX_QUESTIONS} onClick={() => form.insertListItem("questions", newQuestion("text"))}>
          {t.vacancies.addQuestion}
        </Button>
      </Group>
    </Stack>
  );
}
