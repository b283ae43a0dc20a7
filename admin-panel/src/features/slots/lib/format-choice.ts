/**
 * An interview format as the slot forms offer it: one of the known formats, or "own variant" with
 * the recruiter's own words. The API stores one free-text `format`; these map between the two.
 */
import type { Dict } from "@/lib/i18n/ru";
import { isKnownFormat, type KnownFormat } from "@/lib/labels";

/** The choice standing for the recruiter's own words (never sent: the words are). */
export const OWN_FORMAT = "own";
export type FormatChoice = KnownFormat | typeof OWN_FORMAT;

/** The form's part for the format: the choice, and the own words when that is the choice. */
export type FormatValues = { format: FormatChoice; ownFormat: string };

/** A stored format as the form shows it: a known code is chosen; anything else is the own variant, filled. */
export const formatValues = (format: string): FormatValues =>
  isKnownFormat(format) ? { format, ownFormat: "" } : { format: OWN_FORMAT, ownFormat: format };

/** The format to send: the known code, or the own words trimmed. */
export const formatToSend = (v: FormatValues): string => (v.format === OWN_FORMAT ? v.ownFormat.trim() : v.format);

/** The own variant needs words. */
export function formatErrors(v: FormatValues, t: Dict): { ownFormat?: string } {
  return v.format === OWN_FORMAT && !v.ownFormat.trim() ? { ownFormat: t.common.required } : {};
}
