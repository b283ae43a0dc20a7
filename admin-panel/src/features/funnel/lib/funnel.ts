/**
 * The funnel's arithmetic: the main steps (opened -> answered -> booked -> attended), each step's
 * share of the one before, and how a source is named for people.
 */
import type { Schemas } from "@/lib/api-client";
import type { Dict } from "@/lib/i18n/ru";

export type Counts = Schemas["Counts"];
export type FunnelStep = "opened" | "answered" | "booked" | "attended";
/** The main steps, in order; no-show and cancelled are outcomes of a booking, beside "attended". */
export const STEPS: FunnelStep[] = ["opened", "answered", "booked", "attended"];
export const OUTCOMES = ["no_show", "cancelled"] as const;

/** `part / whole`, or `null` when there is no whole to speak of (0 people at the step before). */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** "67%", or "—" when there is nothing to compare with. */
export const percent = (r: number | null) => (r === null ? "—" : `${Math.round(r * 100)}%`);

/** Each main step with its count and its share of the step before (the first step has none). */
export function stepsOf(c: Counts): { step: FunnelStep; value: number; ofPrevious: number | null }[] {
  return STEPS.map((step, i) => ({ step, value: c[step], ofPrevious: i === 0 ? null : rate(c[step], c[STEPS[i - 1]!]) }));
}

/** Booked of opened: the figure a recruiter compares sources by. */
export const conversion = (c: Counts) => rate(c.booked, c.opened);

/** The counts of many rows added up (the whole period across vacancies). */
export function total(rows: Counts[]): Counts {
  const zero: Counts = { opened: 0, answered: 0, booked: 0, attended: 0, no_show: 0, cancelled: 0 };
  return rows.reduce<Counts>(
    (sum, r) => ({
      opened: sum.opened + r.opened,
      answered: sum.answered + r.answered,
      booked: sum.booked + r.booked,
      attended: sum.attended + r.attended,
      no_show: sum.no_show + r.no_show,
      cancelled: sum.cancelled + r.cancelled,
    }),
    zero,
  );
}

/** A source as people read it: its label, "Личное: <name>" for one person's link, or "no link". */
export function sourceLabel(t: Dict, s: Pick<Schemas["SourceRow"], "link_id" | "label" | "kind">): string {
  if (s.link_id == null) return t.funnel.noLink;
  const label = s.label ?? "";
  return s.kind === "personal" ? t.funnel.personal(label) : label;
}
