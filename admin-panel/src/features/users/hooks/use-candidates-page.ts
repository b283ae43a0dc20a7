/** The candidates page: search and status filters, the page, and the rows. */
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { queryTableProps } from "@/components/data-table";
import { useListState } from "@/hooks/use-list-state";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { usersQueryOptions } from "../api/users";

export const CANDIDATES_PAGE_SIZE = 50;

export type CandidateListFilters = { q: string; status: Schemas["CandidateStatus"] | undefined };

export function useCandidatesPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const list = useListState<CandidateListFilters>({ q: "", status: undefined }, CANDIDATES_PAGE_SIZE);
  const { q, status } = list.filters;
  const users = useQuery(usersQueryOptions({ q: q || undefined, status, limit: CANDIDATES_PAGE_SIZE, offset: list.offset }));
  const table = {
    ...queryTableProps(users),
    paging: list.paging(users.data?.total),
    emptyMessage: list.filtered ? t.candidates.emptyFiltered : t.candidates.empty,
    emptyAction: list.filtered ? { label: t.common.resetFilters, onClick: list.resetFilters } : { label: t.bookings.toSlots, onClick: () => navigate("/slots") },
  };
  return { list, table };
}
