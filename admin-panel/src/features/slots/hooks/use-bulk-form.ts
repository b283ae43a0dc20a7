/** The bulk generation form: its values and checks, the live `dry_run` preview, and the creation. */
import { useForm } from "@mantine/form";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import type { Dict } from "@/lib/i18n/ru";
import { addDays, dayjs, localDate, todayIn } from "@/lib/time";
import { bulkPreviewQueryOptions, useBulkCreate } from "../api/slots";
import { formatErrors, formatToSend, type FormatValues } from "../lib/format-choice";

export type BulkValues = FormatValues & {
  from_date: string;
  to_date: string;
  weekdays: string[];
  windows: { start: string; end: string }[];
  duration_minutes: number | string;
  gap_minutes: number | string;
  capacity: number | string;
  location: string;
  /** The vacancy every slot is for; `null`: any vacancy. */
  vacancyId: number | null;
  /** The interviewers, and how they share the slots. */
  interviewerIds: number[];
  assignment: Schemas["Assignment"];
  /** `each` and `round_robin`: interviews per interviewer a day; empty: no limit. */
  dailyCap: number | string;
  /** Free minutes an interviewer keeps between interviews. */
  bufferMinutes: number | string;
};

export function validateBulk(v: BulkValues, t: Dict): Record<string, string> {
  const e: Record<string, string> = { ...formatErrors(v, t) };
  if (!v.from_date) e.from_date = t.common.required;
  if (!v.to_date) e.to_date = t.common.required;
  if (v.from_date && v.to_date) {
    const days = dayjs(v.to_date).diff(dayjs(v.from_date), "day");
    if (days < 0) e.to_date = t.bulk.errors.range;
    else if (days > 92) e.to_date = t.bulk.errors.tooLong;
  }
  if (v.weekdays.length === 0) e.weekdays = t.bulk.errors.weekdays;
  if (v.windows.length === 0) e.windows = t.bulk.errors.windows;
  v.windows.forEach((w, i) => {
    if (!/^\d{2}:\d{2}$/.test(w.start)) e[`windows.${i}.start`] = t.common.required;
    if (!/^\d{2}:\d{2}$/.test(w.end)) e[`windows.${i}.end`] = t.common.required;
    else if (w.end <= w.start) e[`windows.${i}.end`] = t.bulk.errors.windows;
  });
  const d = Number(v.duration_minutes);
  if (!Number.isInteger(d) || d < 5 || d > 480) e.duration_minutes = t.slots.errors.durationRange;
  const g = Number(v.gap_minutes);
  if (!Number.isInteger(g) || g < 0 || g > 240) e.gap_minutes = t.bulk.errors.gap;
  const c = Number(v.capacity);
  if (!Number.isInteger(c) || c < 1 || c > 100) e.capacity = t.slots.errors.capacityRange;
  if (v.dailyCap !== "" && (!Number.isInteger(Number(v.dailyCap)) || Number(v.dailyCap) < 1 || Number(v.dailyCap) > 100)) {
    e.dailyCap = t.bulk.errors.dailyCap;
  }
  const b = Number(v.bufferMinutes);
  if (!Number.isInteger(b) || b < 0 || b > 240) e.bufferMinutes = t.bulk.errors.buffer;
  return e;
}

export const toPlan = (v: BulkValues): Schemas["SlotPlan"] => ({
  from_date: v.from_date,
  to_date: v.to_date,
  weekdays: v.weekdays.map(Number).sort(),
  windows: v.windows,
  duration_minutes: Number(v.duration_minutes),
  gap_minutes: Number(v.gap_minutes),
  capacity: Number(v.capacity),
  format: formatToSend(v),
  location: v.location.trim() || null,
  vacancy_id: v.vacancyId,
  interviewer_ids: v.interviewerIds,
  // Sharing needs someone to share among; without interviewers the plan is one calendar.
  assignment: v.interviewerIds.length > 0 ? v.assignment : "panel",
  daily_cap: v.interviewerIds.length > 0 && v.assignment !== "panel" && v.dailyCap !== "" ? Number(v.dailyCap) : null,
  buffer_minutes: v.interviewerIds.length > 0 ? Number(v.bufferMinutes) : 0,
});

/** The local day of the earliest slot created, or the plan's first day when none came back. */
export function firstCreatedDay(out: Schemas["PlanOutcome"], plan: Schemas["SlotPlan"], tz: string): string {
  const starts = out.created.map((s) => s.starts_at);
  if (starts.length === 0) return plan.from_date;
  const first = starts.reduce((a, b) => (dayjs(b).isBefore(a) ? b : a));
  return localDate(first, tz);
}

/** Tomorrow to a week from today, Monday to Friday, 10:00-13:00, 45 min with 15 between. */
const defaults = (today: string): BulkValues => ({
  from_date: addDays(today, 1),
  to_date: addDays(today, 7),
  weekdays: ["1", "2", "3", "4", "5"],
  windows: [{ start: "10:00", end: "13:00" }],
  duration_minutes: 45,
  gap_minutes: 15,
  capacity: 1,
  format: "online",
  ownFormat: "",
  location: "",
  vacancyId: null,
  interviewerIds: [],
  assignment: "panel",
  dailyCap: "",
  bufferMinutes: 0,
});

/** `onDone` gets the local day of the first slot created, for the calendar to show its week. */
export function useBulkForm(onDone: (firstDay: string) => void) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const create = useBulkCreate();
  const form = useForm<BulkValues>({ initialValues: defaults(todayIn(tz)), validate: (v) => validateBulk(v, t) });
  const valid = Object.keys(validateBulk(form.values, t)).length === 0;
  const [plan] = useDebouncedValue(valid ? toPlan(form.values) : null, 300);
  const preview = useQuery({ ...bulkPreviewQueryOptions(plan ?? toPlan(form.values)), enabled: valid && plan !== null });
  const submit = form.onSubmit((v) =>
    create.mutate(toPlan(v), {
      onSuccess: (out, plan) => {
        notifications.show({ color: "green", message: t.bulk.done(out.created.length) });
        onDone(firstCreatedDay(out, plan, tz));
      },
    }),
  );
  return { form, valid, preview, count: preview.data?.created.length ?? 0, create, submit };
}

export type BulkForm = ReturnType<typeof useBulkForm>["form"];
