/** The vacancy form's values, their checks, and the mapping to and from the API's vacancy. */
import { formatErrors, formatToSend, formatValues, type FormatValues } from "@/features/slots/lib/format-choice";
import type { Schemas } from "@/lib/api-client";
import type { Dict } from "@/lib/i18n/ru";
import { fromQuestion, toQuestion, validateQuestions, type QuestionDraft } from "./questions";

/** The server's limit on a title (a button label in the bot). */
export const MAX_TITLE_LEN = 64;

export type VacancyValues = FormatValues & {
  title: string;
  description: string;
  duration_minutes: number | string;
  capacity: number | string;
  location: string;
  position: number | string;
  questions: QuestionDraft[];
  show_interviewer: boolean;
};

export const emptyVacancy = (): VacancyValues => ({
  title: "",
  description: "",
  duration_minutes: 30,
  capacity: 1,
  format: "online",
  ownFormat: "",
  location: "",
  position: 0,
  questions: [],
  show_interviewer: false,
});

export const vacancyValues = (v: Schemas["Vacancy"]): VacancyValues => ({
  title: v.title,
  description: v.description ?? "",
  duration_minutes: v.duration_minutes,
  capacity: v.capacity,
  // "office" (the API's word) and "offline" (the slot forms') are the same choice.
  ...formatValues(v.format === "office" ? "offline" : v.format),
  location: v.location ?? "",
  position: v.position,
  questions: v.questions.map(fromQuestion),
  show_interviewer: v.show_interviewer,
});

export function validateVacancy(v: VacancyValues, t: Dict): Record<string, string> {
  const e: Record<string, string> = { ...formatErrors(v, t), ...validateQuestions(v.questions, t) };
  const title = v.title.trim();
  if (!title || title.length > MAX_TITLE_LEN) e.title = t.vacancies.errors.title;
  const d = Number(v.duration_minutes);
  if (!Number.isInteger(d) || d < 5 || d > 480) e.duration_minutes = t.slots.errors.durationRange;
  const c = Number(v.capacity);
  if (!Number.isInteger(c) || c < 1 || c > 100) e.capacity = t.slots.errors.capacityRange;
  const p = Number(v.position);
  if (!Number.isInteger(p) || p < 0 || p > 1_000_000) e.position = t.vacancies.errors.position;
  return e;
}

export const toFields = (v: VacancyValues): Schemas["VacancyFields"] => ({
  title: v.title.trim(),
  description: v.description.trim() || null,
  duration_minutes: Number(v.duration_minutes),
  capacity: Number(v.capacity),
  format: formatToSend(v),
  location: v.location.trim() || null,
  position: Number(v.position),
  questions: v.questions.map(toQuestion),
  show_interviewer: v.show_interviewer,
});
