/** Pieces of the broadcast form: the audience with its count, the Telegram preview, a test send. */
import { Button, Card, Group, Select, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import type { UseQueryResult } from "@tanstack/react-query";
import { useState } from "react";
import { DateField } from "@/components/date-fields";
import { errorMessage } from "@/components/query-state";
import { SendToMe } from "@/features/auth/components/my-telegram";
import { useZoneAside } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { TelegramMessage, visibleLength, type PreviewButton } from "@/lib/telegram-html";
import { CandidatePicker } from "@/features/users/components/candidate-picker";
import { photoUrl, useTestSend } from "../api/broadcasts";
import { SEGMENT_KINDS, textLimit, toContent, type ComposeForm, type ComposeValues } from "../hooks/use-broadcast-compose";
import { BOOK_BUTTON_LABEL } from "../lib/format";
import type { PreviewLang } from "./broadcast-composer-fields";
import { VacancySelect } from "@/features/vacancies/components/vacancy-select";
import { LinkSelect } from "@/features/links/components/link-select";

/** Who gets it (a date for "booked on") and how many candidates that is now. */
export function AudienceFields({ form, segment, recipients }: {
  form: ComposeForm;
  segment: Schemas["Segment"] | null;
  recipients: UseQueryResult<Schemas["RecipientCount"]>;
}) {
  const { t } = useI18n();
  const zoneAside = useZoneAside(form.values.date);
  const count = recipients.data?.count;
  return (
    <>
      <Group grow align="flex-start">
        <Select
          label={t.broadcasts.segment}
          allowDeselect={false}
          data={SEGMENT_KINDS.map((k) => ({ value: k, label: t.broadcasts.segmentKind[k] }))}
          {...form.getInputProps("kind")}
        />
        {form.values.kind === "booked_on" && <DateField label={`${t.broadcasts.date} ${zoneAside}`} {...form.getInputProps("date")} />}
        {(form.values.kind === "vacancy" || form.values.kind === "answered_never_booked") && (
          <VacancySelect
            label={t.broadcasts.segmentVacancy}
            anyLabel={form.values.kind === "answered_never_booked" ? t.broadcasts.segmentAnyVacancy : undefined}
            placeholder={t.broadcasts.pickVacancy}
            withArchived
            value={form.values.vacancyId}
            error={form.errors.vacancyId}
            onChange={(id) => form.setFieldValue("vacancyId", id)}
          />
        )}
        {form.values.kind === "source" && (
          <LinkSelect label={t.broadcasts.segmentLink} placeholder={t.broadcasts.pickLink} value={form.values.linkId} error={form.errors.linkId} onChange={(id) => form.setFieldValue("linkId", id)} />
        )}
      </Group>
      <Text size="sm" data-testid="recipient-count" c={count === 0 ? "red" : undefined}>
        {segment === null ? "—" : recipients.isError ? errorMessage(recipients.error) : count === undefined ? t.common.loading : t.broadcasts.recipients(count)}
      </Text>
    </>
  );
}

/** What a candidate of `lang` gets: their text (Russian when there is no English one), the photo, the button. */
export function previewOf(v: ComposeValues, lang: PreviewLang): { html: string; photoUrl?: string; button?: PreviewButton } {
  const html = lang === "en" && v.textEn.trim() ? v.textEn : v.text;
  const button: PreviewButton | undefined =
    v.buttonKind === "url" ? { text: v.buttonText || "…", url: v.buttonUrl } : v.buttonKind === "book" ? { text: BOOK_BUTTON_LABEL[lang] } : undefined;
  return { html, photoUrl: v.photoId ? photoUrl(v.photoId) : undefined, button };
}

export function ComposePreview({ values, lang }: { values: ComposeValues; lang: PreviewLang }) {
  const { t } = useI18n();
  return (
    <Card withBorder bg="var(--mantine-color-blue-0)">
      <Text size="xs" c="dimmed" mb="xs">
        {t.broadcasts.preview} · {lang === "en" ? t.broadcasts.langEn : t.broadcasts.langRu}
      </Text>
      <div data-testid="telegram-preview">
        <TelegramMessage {...previewOf(values, lang)} />
      </div>
    </Card>
  );
}

/** Sends what the broadcast would send to one candidate (found by name) before it goes to everyone. */
export function TestSend({ values }: { values: ComposeValues }) {
  const { t } = useI18n();
  const testSend = useTestSend();
  const [testId, setTestId] = useState<number | null>(null);
  const unsendable = !values.text.trim() || visibleLength(values.text) > textLimit(values);
  const send = (candidateId: number) =>
    testSend.mutate(
      { candidate_id: candidateId, ...toContent(values) },
      {
        onSuccess: () => notifications.show({ color: "green", message: t.broadcasts.testSent }),
        onError: (e) => notifications.show({ color: "red", message: errorMessage(e) }),
      },
    );
  return (
    <Group align="flex-end" gap="xs">
      <CandidatePicker w={260} label={t.broadcasts.testCandidate} value={testId} onChange={setTestId} />
      <Button variant="light" loading={testSend.isPending} disabled={!testId || unsendable} onClick={() => send(testId!)}>
        {t.broadcasts.testSend}
      </Button>
      <SendToMe onSend={send} disabled={unsendable} loading={testSend.isPending} />
    </Group>
  );
}
