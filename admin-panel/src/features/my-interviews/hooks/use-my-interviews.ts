/**
 * "Мои собеседования": the slots the signed-in account interviews in from this week's Monday (an
 * interview earlier in the week can still be marked) to a week from today (on a Sunday, the coming
 * week is what matters), each with its booked candidates.
 */
import { useQuery } from "@tanstack/react-query";
import { useTimeZone } from "@/components/time-zone";
import { useRole } from "@/features/auth/hooks/use-role";
import { bookingsQueryOptions } from "@/features/bookings/api/bookings";
import { slotsQueryOptions } from "@/features/slots/api/slots";
import type { Schemas } from "@/lib/api-client";
import { addDays, dayjs, localDate, mondayOf, startOfLocalDay, todayIn } from "@/lib/time";

export type MyInterview = { slot: Schemas["CalendarSlot"]; bookings: Schemas["BookingRow"][] };

/** Bookings still counting for their slot (cancelled and moved ones are not the interviewer's business). */
const LIVE: Schemas["BookingStatus"][] = ["active", "attended", "no_show"];

/** Groups the bookings under their slots, in time order; `today` apart from the rest of the week. */
export function groupInterviews(slots: Schemas["CalendarSlot"][], bookings: Schemas["BookingRow"][], today: string, tz: string) {
  const all: MyInterview[] = slots
    .filter((s) => s.status === "open" || bookings.some((b) => b.slot_id === s.id))
    .sort((a, b) => dayjs(a.starts_at).valueOf() - dayjs(b.starts_at).valueOf())
    .map((slot) => ({ slot, bookings: bookings.filter((b) => b.slot_id === slot.id && LIVE.includes(b.status)) }));
  return {
    today: all.filter((i) => localDate(i.slot.starts_at, tz) === today),
    rest: all.filter((i) => localDate(i.slot.starts_at, tz) !== today),
  };
}

export function useMyInterviews() {
  const tz = useTimeZone();
  const { me } = useRole();
  const today = todayIn(tz);
  const monday = mondayOf(today);
  const range = { from: startOfLocalDay(monday, tz), to: startOfLocalDay(addDays(today, 8), tz), interviewer_id: me?.id };
  const slots = useQuery({ ...slotsQueryOptions(range), enabled: me !== undefined });
  const bookings = useQuery({ ...bookingsQueryOptions({ ...range, limit: 500, offset: 0 }), enabled: me !== undefined });
  const grouped = slots.data && bookings.data ? groupInterviews(slots.data, bookings.data.items, today, tz) : undefined;
  return {
    query: { data: grouped, error: slots.error ?? bookings.error, isPending: slots.isPending || bookings.isPending, refetch: () => Promise.all([slots.refetch(), bookings.refetch()]) },
  };
}
