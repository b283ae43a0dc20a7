/** A questionnaire's answers: as a list of question and answer, and folded under a button in a table row. */
import { Button, Collapse, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";

export function AnswerList({ answers }: { answers: Schemas["Answer"][] }) {
  const { t } = useI18n();
  return (
    <Stack gap={4}>
      {answers.map((a, i) => (
        <div key={i}>
          <Text size="xs" c="dimmed">
            {a.question}
          </Text>
          <Text size="sm" fs={a.answer == null ? "italic" : undefined} c={a.answer == null ? "dimmed" : undefined}>
            {a.answer ?? t.bookings.skipped}
          </Text>
        </div>
      ))}
    </Stack>
  );
}

/** "Ответы (3)" that unfolds the answers in place; nothing when there are none. */
export function FoldedAnswers({ answers }: { answers: Schemas["Answer"][] | null | undefined }) {
  const { t } = useI18n();
  const [opened, { toggle }] = useDisclosure(false);
  if (!answers || answers.length === 0) return null;
  return (
    <>
      <Button size="compact-xs" variant="subtle" onClick={toggle} aria-expanded={opened}>
        {opened ? t.bookings.hideAnswers : t.bookings.showAnswers(answers.length)}
      </Button>
      <Collapse in={opened}>
        <AnswerList answers={answers} />
      </Collapse>
    </>
  );
}
