/** Create one slot, or edit one: local date and time in the server's zone. */
import { Alert, Button, Group, NumberInput, SimpleGrid, Stack, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { DateField, TimeField } from "@/components/date-fields";
import { errorMessage } from "@/components/query-state";
import { useTimeZone, useZoneAside } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import type { Dict } from "@/lib/i18n/ru";
import { dayjs, localDate, localToIso } from "@/lib/time";
import { useCreateSlot, useUpdateSlot } from "../api/slots";
import { formatErrors, formatToSend, formatValues, type FormatValues } from "../lib/format-choice";
import { FormatFields } from "./format-fields";
import { VacancySelect } from "@/features/vacancies/components/vacancy-select";
import { useVacancyDefaults } from "@/features/vacancies/hooks/use-vacancy-info";
import { InterviewerSelect } from "@/features/accounts/components/interviewer-select";

export type SlotFormValues = FormatValues & {
  date: string;
  time: string;
  duration_minutes: number | string;
  capacity: number | string;
  location: string;
  notes: string;
  /** The vacancy the interview is for; `null`: any vacancy. */
  vacancyId: number | null;
  /** Who interviews (several: a panel interview, offered only when all are free). */
  interviewerIds: number[];
};

export function validateSlot(v: SlotFormValues, tz: string, t: Dict, now = new Date()) {
  const errors: Partial<Record<keyof SlotFormValues, string>> = formatErrors(v, t);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.date)) errors.date = t.common.required;
  if (!/^\d{2}:\d{2}$/.test(v.time)) errors.time = t.common.required;
  const d = Number(v.duration_minutes);
  if (!Number.isInteger(d) || d < 5 || d > 480) errors.duration_minutes = t.slots.errors.durationRange;
  const c = Number(v.capacity);
  if (!Number.isInteger(c) || c < 1 || c > 100) errors.capacity = t.slots.errors.capacityRange;
  if (!errors.date && !errors.time && dayjs(localToIso(v.date, v.time, tz)).isBefore(now)) errors.time = t.slots.errors.inPast;
  return errors;
}

const sameIds = (a: number[], b: number[]) => a.length === b.length && [...a].sort().every((id, i) => id === [...b].sort()[i]);

/** Without `slot`, a new one; with it (fetched whole, its interviewers included), its edit form. */
export function SlotForm({ slot, onDone }: { slot?: Schemas["SlotDetail"]; onDone: () => void }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const create = useCreateSlot();
  const update = useUpdateSlot();
  const mutation = slot ? update : create;
  const form = useForm<SlotFormValues>({
    initialValues: slot
      ? {
          date: localDate(slot.starts_at, tz),
          time: dayjs(slot.starts_at).tz(tz).format("HH:mm"),
          duration_minutes: slot.duration_minutes,
          capacity: slot.capacity,
          ...formatValues(slot.format),
          location: slot.location ?? "",
          notes: slot.notes ?? "",
          vacancyId: slot.vacancy_id ?? null,
          interviewerIds: slot.interviewers.map((i) => i.id),
        }
      : { date: "", time: "10:00", duration_minutes: 60, capacity: 1, format: "online", ownFormat: "", location: "", notes: "", vacancyId: null, interviewerIds: [] },
    validate: (v) => validateSlot(v, tz, t),
  });
  const zoneAside = useZoneAside(form.values.date);
  // A slot for a vacancy starts from the vacancy's duration, places, format and place.
  const defaults = useVacancyDefaults();
  const submit = (v: SlotFormValues) => {
    const body = {
      starts_at: localToIso(v.date, v.time, tz),
      duration_minutes: Number(v.duration_minutes),
      capacity: Number(v.capacity),
      format: formatToSend(v),
      location: v.location.trim() || null,
      notes: v.notes.trim() || null,
    };
    const done = () => {
      notifications.show({ color: "green", message: slot ? t.slots.updated : t.slots.created });
      onDone();
    };
    if (slot) {
      // The vacancy and the interviewers go only when changed (absent keeps them; the API checks
      // a change against the slot's bookings: 409 vacancy_mismatch, interviewer_busy).
      const changes: Schemas["SlotChanges"] = { ...body };
      if (v.vacancyId !== (slot.vacancy_id ?? null)) changes.vacancy_id = v.vacancyId;
      const before = slot.interviewers.map((i) => i.id);
      if (!sameIds(v.interviewerIds, before)) changes.interviewer_ids = v.interviewerIds;
      update.mutate({ id: slot.id, changes }, { onSuccess: done });
    } else create.mutate({ ...body, vacancy_id: v.vacancyId, interviewer_ids: v.interviewerIds }, { onSuccess: done });
  };
  return (
    <form noValidate onSubmit={form.onSubmit(submit)}>
      <Stack>
        {mutation.error && (
          <Alert color="red" role="alert">
            {errorMessage(mutation.error)}
          </Alert>
        )}
        <VacancySelect
          label={t.slots.vacancy}
          anyLabel={t.slots.anyVacancy}
          value={form.values.vacancyId}
          onChange={(id) => {
            form.setFieldValue("vacancyId", id);
            // A new slot starts from the vacancy's defaults; an existing one keeps what it has.
            const d = slot ? undefined : defaults(id);
            if (d) form.setValues({ duration_minutes: d.duration_minutes, capacity: d.capacity, location: d.location, ...formatValues(d.format) });
          }}
        />
        <InterviewerSelect value={form.values.interviewerIds} onChange={(ids) => form.setFieldValue("interviewerIds", ids)} />
        <SimpleGrid cols={2}>
          <DateField label={`${t.slots.date} ${zoneAside}`} {...form.getInputProps("date")} />
          <TimeField label={t.slots.time} {...form.getInputProps("time")} />
          <NumberInput label={t.slots.duration} min={5} max={480} step={15} {...form.getInputProps("duration_minutes")} />
          <NumberInput label={t.slots.capacity} min={1} max={100} {...form.getInputProps("capacity")} />
        </SimpleGrid>
        <FormatFields choice={form.getInputProps("format")} own={form.getInputProps("ownFormat")} />
        <TextInput label={t.slots.location} {...form.getInputProps("location")} />
        <Textarea label={t.slots.notes} autosize minRows={2} {...form.getInputProps("notes")} />
        <Group justify="flex-end">
          <Button type="submit" loading={mutation.isPending}>
            {slot ? t.common.save : t.common.create}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
