/** The bookings page: the filters (local dates in the server's zone, status, search), the page and the rows. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { queryTableProps } from "@/components/data-table";
import { useTimeZone } from "@/components/time-zone";
import { useListState } from "@/hooks/use-list-state";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { addDays, dayjs, startOfLocalDay, todayIn } from "@/lib/time";
import { bookingsQueryOptions } from "../api/bookings";

export const BOOKINGS_PAGE_SIZE = 50;

export type BookingListFilters = {
  /** Local dates, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  status: Schemas["BookingStatus"] | undefined;
  q: string;
  /** One interviewer's bookings (a recruiter's filter). */
  interviewerId: number | undefined;
};

export function useBookingsPage() {
  const { t } = useI18n();
  const tz = useTimeZone();
  const navigate = useNavigate();
  const [today] = useState(() => todayIn(tz));
  const list = useListState<BookingListFilters>({ from: addDays(today, -7), to: addDays(today, 28), status: undefined, q: "", interviewerId: undefined }, BOOKINGS_PAGE_SIZE);
  const { from, to, status, q, interviewerId } = list.filters;
  const rangeOk = !from || !to || !dayjs(to).isBefore(dayjs(from));
  const bookings = useQuery({
    ...bookingsQueryOptions({
      from: from ? startOfLocalDay(from, tz) : undefined,
      to: to ? startOfLocalDay(addDays(to, 1), tz) : undefined,
      status,
      q: q || undefined,
      ...(interviewerId !== undefined ? { interviewer_id: interviewerId } : {}),
      limit: BOOKINGS_PAGE_SIZE,
      offset: list.offset,
    }),
    enabled: rangeOk,
  });
  const table = {
    ...queryTableProps(bookings),
    paging: list.paging(bookings.data?.total),
    emptyMessage: list.filtered ? t.bookings.emptyFiltered : t.bookings.empty,
    emptyAction: list.filtered
      ? { label: t.common.resetFilters, onClick: list.resetFilters }
      : { label: t.bookings.toSlots, onClick: () => navigate("/slots") },
  };
  return { list, rangeOk, table };
}
