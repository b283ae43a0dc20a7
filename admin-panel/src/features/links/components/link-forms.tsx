/** A new link (a source, or one person's invitation), and personal invitations imported from CSV. */
import { Alert, Button, FileButton, Group, Stack, Switch, Text, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { DateField } from "@/components/date-fields";
import { errorMessage } from "@/components/query-state";
import { useTimeZone, useZoneAside } from "@/components/time-zone";
import { VacancySelect } from "@/features/vacancies/components/vacancy-select";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { localToIso } from "@/lib/time";
import { useCreateLink, useImportLinks } from "../api/links";
import { csvImportError } from "../lib/links";

/** The end of the chosen local day (a link "valid until 05.12" works all that day), or none. */
export const expiresAt = (date: string, tz: string) => (date ? localToIso(date, "23:59", tz) : null);

type LinkValues = { label: string; phone: string; note: string; vacancyId: number | null; expires: string; endsOnBooking: boolean };

export function NewLinkForm({ kind, vacancyId, onDone }: { kind: Schemas["LinkKind"]; vacancyId: number | null; onDone: () => void }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const create = useCreateLink();
  const form = useForm<LinkValues>({
    initialValues: { label: "", phone: "", note: "", vacancyId, expires: "", endsOnBooking: true },
    validate: { label: (v) => (v.trim() ? null : t.common.required) },
  });
  const zoneAside = useZoneAside(form.values.expires);
  const personal = kind === "personal";
  const submit = (v: LinkValues) =>
    create.mutate(
      {
        kind,
        label: v.label.trim(),
        vacancy_id: v.vacancyId,
        phone: personal ? v.phone.trim() || null : null,
        note: v.note.trim() || null,
        expires_at: expiresAt(v.expires, tz),
        ends_on_booking: personal ? v.endsOnBooking : false,
      },
      {
        onSuccess: () => {
          notifications.show({ color: "green", message: t.links.created });
          onDone();
        },
      },
    );
  return (
    <form noValidate onSubmit={form.onSubmit(submit)}>
      <Stack>
        <TextInput
          label={personal ? t.links.name : t.links.label}
          description={personal ? undefined : t.links.labelHint}
          withAsterisk
          maxLength={100}
          data-autofocus
          {...form.getInputProps("label")}
        />
        {personal && <TextInput label={t.links.phone} type="tel" maxLength={32} {...form.getInputProps("phone")} />}
        <VacancySelect label={t.links.vacancy} anyLabel={t.links.anyVacancy} value={form.values.vacancyId} onChange={(id) => form.setFieldValue("vacancyId", id)} />
        <Textarea label={t.links.note} autosize minRows={1} maxLength={500} {...form.getInputProps("note")} />
        <DateField label={`${t.links.expires} ${zoneAside}`} description={t.links.expiresHint} {...form.getInputProps("expires")} />
        {personal && <Switch label={t.links.endsOnBooking} {...form.getInputProps("endsOnBooking", { type: "checkbox" })} />}
        {create.error && (
          <Alert color="red" role="alert">
            {errorMessage(create.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending}>
            {t.common.create}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ImportLinksForm({ vacancyId, onDone }: { vacancyId: number | null; onDone: () => void }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const imp = useImportLinks();
  const [csv, setCsv] = useState("");
  const [vacancy, setVacancy] = useState<number | null>(vacancyId);
  const [expires, setExpires] = useState("");
  const [endsOnBooking, setEndsOnBooking] = useState(true);
  const [empty, setEmpty] = useState(false);
  const zoneAside = useZoneAside(expires);
  const readFile = (file: File | null) => {
    if (file) void file.text().then((text) => setCsv(text));
  };
  const submit = () => {
    if (!csv.trim()) {
      setEmpty(true);
      return;
    }
    imp.mutate(
      { csv, vacancy_id: vacancy, expires_at: expiresAt(expires, tz), ends_on_booking: endsOnBooking },
      {
        onSuccess: (links) => {
          notifications.show({ color: "green", message: t.links.imported(links.length) });
          onDone();
        },
      },
    );
  };
  return (
    <Stack>
      <Text size="sm">{t.links.importHelp}</Text>
      <Textarea
        label={t.links.csv}
        placeholder={t.links.csvPlaceholder}
        autosize
        minRows={5}
        maxRows={14}
        value={csv}
        error={empty && !csv.trim() ? t.links.csvEmpty : undefined}
        onChange={(e) => setCsv(e.currentTarget.value)}
        styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
      />
      <Group>
        <FileButton onChange={readFile} accept=".csv,text/csv,text/plain">
          {(props) => (
            <Button variant="light" size="xs" {...props}>
              {t.links.chooseFile}
            </Button>
          )}
        </FileButton>
      </Group>
      <VacancySelect label={t.links.vacancy} anyLabel={t.links.anyVacancy} value={vacancy} onChange={setVacancy} />
      <DateField label={`${t.links.expires} ${zoneAside}`} description={t.links.expiresHint} value={expires} onChange={setExpires} />
      <Switch label={t.links.endsOnBooking} checked={endsOnBooking} onChange={(e) => setEndsOnBooking(e.currentTarget.checked)} />
      {imp.error && (
        <Alert color="red" role="alert">
          {csvImportError(imp.error, t)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button loading={imp.isPending} onClick={submit}>
          {t.links.importSubmit}
        </Button>
      </Group>
    </Stack>
  );
}
