/** The waitlist's words and rules the panel needs: preferences in words, which slots may be offered. */
import type { Schemas } from "@/lib/api-client";
import type { Dict } from "@/lib/i18n/ru";
import type { WaitlistEntryView } from "../api/waitlist";

/** "Пн, Ср · утро, вечер", "Пн, Ср · Любое время" or "Любое время" (no preference at all). */
export function preferencesLabel(t: Dict, entry: Pick<WaitlistEntryView, "days" | "parts">): string {
  const days = [...entry.days].sort((a, b) => a - b).map((d) => t.waitlist.days[d - 1] ?? "").filter(Boolean);
  const parts = (["morning", "afternoon", "evening"] as const).filter((p) => entry.parts.includes(p)).map((p) => t.waitlist.parts[p]);
  if (days.length === 0 && parts.length === 0) return t.waitlist.anyTime;
  const dayText = days.length ? days.join(", ") : t.waitlist.anyDay;
  const partText = parts.length ? parts.join(", ") : t.waitlist.anyTime.toLowerCase();
  return `${dayText} · ${partText}`;
}

/** A slot as listed by `GET /api/slots`, with the seats waitlist offers hold. */
export type OfferableSlot = Schemas["CalendarSlot"];

/** Free seats: capacity less the booked and the held ones. */
export const freeSeats = (s: OfferableSlot) => s.capacity - s.booked - s.held;

/**
 * The slots a waiting candidate may be offered: open, in the future, with a free seat, and for
 * the entry's vacancy (or any vacancy); by start time.
 */
export function offerableSlots(slots: OfferableSlot[], entry: Pick<WaitlistEntryView, "vacancy_id">, now = Date.now()): OfferableSlot[] {
  return slots
    .filter((s) => s.status === "open" && freeSeats(s) > 0 && Date.parse(s.starts_at) > now)
    .filter((s) => s.vacancy_id == null || entry.vacancy_id == null || s.vacancy_id === entry.vacancy_id)
    .sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
}
