/** The inbox page's list: one page of conversations and its pager. */
import { useQuery } from "@tanstack/react-query";
import { useListState } from "@/hooks/use-list-state";
import { inboxQueryOptions } from "../api/inbox";

export const INBOX_PAGE_SIZE = 30;

export function useInboxPage() {
  const list = useListState({}, INBOX_PAGE_SIZE);
  const query = useQuery(inboxQueryOptions({ limit: list.pageSize, offset: list.offset }));
  return { query, paging: list.paging(query.data?.total) };
}
