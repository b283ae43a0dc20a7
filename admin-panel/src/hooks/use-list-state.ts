/** The state of a filtered, paged list: filters, and a page that goes back to 1 when a filter changes. */
import { useCallback, useMemo, useState } from "react";
import type { Paging } from "@/components/pager";

export type ListState<F> = {
  filters: F;
  setFilter: <K extends keyof F>(key: K, value: F[K]) => void;
  /** Back to the initial filters (and page 1). */
  resetFilters: () => void;
  /** Whether any filter differs from the initial ones. */
  filtered: boolean;
  page: number;
  setPage: (page: number) => void;
  pageSize: number;
  /** What the API calls the page: `offset` = (page - 1) * `limit`. */
  offset: number;
  /** The table's pager for a list of `total` items. */
  paging: (total: number | undefined) => Paging;
};

export function useListState<F extends Record<string, unknown>>(initial: F, pageSize: number): ListState<F> {
  const [start] = useState(initial);
  const [filters, setFilters] = useState<F>(start);
  const [page, setPage] = useState(1);
  const setFilter = useCallback(<K extends keyof F>(key: K, value: F[K]) => {
    setFilters((f) => ({ ...f, [key]: value }));
    setPage(1);
  }, []);
  const resetFilters = useCallback(() => {
    setFilters(start);
    setPage(1);
  }, [start]);
  const filtered = useMemo(() => Object.keys(start).some((k) => filters[k] !== start[k]), [filters, start]);
  const paging = useCallback((total: number | undefined) => ({ total: total ?? 0, page, pageSize, onPageChange: setPage }), [page, pageSize]);
  return { filters, setFilter, resetFilters, filtered, page, setPage, pageSize, offset: (page - 1) * pageSize, paging };
}
