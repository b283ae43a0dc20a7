/** The bookings page's filters: a date range in the server's zone, a status, a search. */
import { DateField } from "@/components/date-fields";
import { InterviewerFilter } from "@/features/accounts/components/interviewer-select";
import { ChoiceFilter, FilterBar, SearchFilter } from "@/components/filter-bar";
import { useZoneAside } from "@/components/time-zone";
import type { ListState } from "@/hooks/use-list-state";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import type { BookingListFilters } from "../hooks/use-bookings-page";

const STATUSES: Schemas["BookingStatus"][] = ["active", "attended", "no_show", "cancelled_by_candidate", "cancelled_by_admin", "rescheduled"];

export function BookingFilters({ list, rangeOk }: { list: ListState<BookingListFilters>; rangeOk: boolean }) {
  const { t } = useI18n();
  const zoneAside = useZoneAside();
  const { filters, setFilter } = list;
  return (
    <FilterBar filtered={list.filtered} onReset={list.resetFilters} cols={{ base: 1, xs: 2, md: 5 }}>
      <DateField label={`${t.common.from} ${zoneAside}`} value={filters.from} onChange={(v) => setFilter("from", v)} />
      <DateField label={t.common.to} value={filters.to} error={rangeOk ? undefined : t.bulk.errors.range} onChange={(v) => setFilter("to", v)} />
      <ChoiceFilter
        label={t.common.status}
        value={filters.status}
        options={STATUSES.map((s) => ({ value: s, label: t.bookings.status[s] }))}
        onChange={(v) => setFilter("status", v)}
      />
      <SearchFilter label={t.common.search} placeholder={t.bookings.query} value={filters.q} onChange={(q) => setFilter("q", q)} />
      <InterviewerFilter value={filters.interviewerId} onChange={(id) => setFilter("interviewerId", id)} />
    </FilterBar>
  );
}
