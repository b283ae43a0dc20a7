/**
 * A vacancy's questionnaire as the form edits it, its checks (the server's rules, said before
 * sending), and the mapping to and from the API's `Question`.
 */
import type { Schemas } from "@/lib/api-client";
import type { Dict } from "@/lib/i18n/ru";

export type QuestionKind = Schemas["QuestionKind"];
export const QUESTION_KINDS: QuestionKind[] = ["full_name", "phone", "text", "choice", "yes_no"];
export const MAX_QUESTIONS = 20;
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 8;

/** One question in the form; `key` only keeps React's rows apart while questions move. */
export type QuestionDraft = {
  key: string;
  kind: QuestionKind;
  text: string;
  textEn: string;
  optional: boolean;
  options: string[];
};

let nextKey = 0;
const newKey = () => `q${(nextKey += 1)}`;

/** The question a recruiter starts from for each kind: the words most vacancies would use. */
export function newQuestion(kind: QuestionKind = "text", t?: Dict): QuestionDraft {
  const text = t && (kind === "full_name" || kind === "phone") ? t.vacancies.kinds[kind] : "";
  return { key: newKey(), kind, text, textEn: "", optional: false, options: kind === "choice" ? ["", ""] : [] };
}

export const fromQuestion = (q: Schemas["Question"]): QuestionDraft => ({
  key: newKey(),
  kind: q.kind,
  text: q.text,
  textEn: q.text_en ?? "",
  optional: q.optional ?? false,
  options: q.kind === "choice" ? [...(q.options ?? [])] : [],
});

export const toQuestion = (d: QuestionDraft): Schemas["Question"] => ({
  kind: d.kind,
  text: d.text.trim(),
  text_en: d.textEn.trim() || null,
  optional: d.optional,
  options: d.kind === "choice" ? d.options.map((o) => o.trim()) : [],
});

/** A draft switched to another kind: a choice gets two empty options to fill, the others none. */
export function withKind(d: QuestionDraft, kind: QuestionKind): QuestionDraft {
  const options = kind === "choice" ? (d.options.length >= MIN_OPTIONS ? d.options : [...d.options, "", ""].slice(0, MIN_OPTIONS)) : [];
  return { ...d, kind, options };
}

/** The questions moved: `from` to `to`, the others keeping their order. */
export function moveQuestion<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return list;
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

/**
 * Errors keyed as the form names its fields (`questions.0.text`, `questions.2.options.1`,
 * `questions.2.options` for the count); empty when the questionnaire is fine.
 */
export function validateQuestions(questions: QuestionDraft[], t: Dict): Record<string, string> {
  const e: Record<string, string> = {};
  if (questions.length > MAX_QUESTIONS) e.questions = t.vacancies.errors.tooMany;
  questions.forEach((q, i) => {
    if (!q.text.trim()) e[`questions.${i}.text`] = t.vacancies.errors.text;
    if (q.kind !== "choice") return;
    if (q.options.length < MIN_OPTIONS || q.options.length > MAX_OPTIONS) e[`questions.${i}.options`] = t.vacancies.errors.options;
    const seen = new Set<string>();
    q.options.forEach((o, j) => {
      const v = o.trim();
      if (!v) e[`questions.${i}.options.${j}`] = t.vacancies.errors.optionEmpty;
      else if (seen.has(v.toLowerCase())) e[`questions.${i}.options.${j}`] = t.vacancies.errors.optionDuplicate;
      seen.add(v.toLowerCase());
    });
  });
  return e;
}
