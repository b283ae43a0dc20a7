/** The paged lists of the broadcasts pages: all broadcasts, and one broadcast's deliveries. */
import { useQuery } from "@tanstack/react-query";
import { queryTableProps } from "@/components/data-table";
import { useListState } from "@/hooks/use-list-state";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { broadcastsQueryOptions, deliveriesQueryOptions } from "../api/broadcasts";

export const BROADCASTS_PAGE_SIZE = 20;
/** The id of the composer's text field (an empty list points there). */
export const BROADCAST_TEXT_ID = "broadcast-text";
export const DELIVERIES_PAGE_SIZE = 50;

export function useBroadcastsPage() {
  const { t } = useI18n();
  const list = useListState({}, BROADCASTS_PAGE_SIZE);
  const broadcasts = useQuery(broadcastsQueryOptions({ limit: BROADCASTS_PAGE_SIZE, offset: list.offset }));
  // The form is above the list: the way out of an empty list is its text field.
  const focusText = () => document.getElementById(BROADCAST_TEXT_ID)?.focus();
  return {
    ...queryTableProps(broadcasts),
    paging: list.paging(broadcasts.data?.total),
    emptyMessage: t.broadcasts.empty,
    emptyAction: { label: t.broadcasts.writeFirst, onClick: focusText },
  };
}

/** `running`: the broadcast is still sending, so the list polls (see `deliveriesQueryOptions`). */
export function useDeliveriesList(id: number, running: boolean) {
  const { t } = useI18n();
  const list = useListState<{ status: Schemas["DeliveryStatus"] | undefined }>({ status: undefined }, DELIVERIES_PAGE_SIZE);
  const deliveries = useQuery(deliveriesQueryOptions(id, { status: list.filters.status, limit: DELIVERIES_PAGE_SIZE, offset: list.offset, running }));
  const table = {
    ...queryTableProps(deliveries),
    paging: list.paging(deliveries.data?.total),
    emptyMessage: list.filtered ? t.broadcasts.noDeliveriesFiltered : t.broadcasts.noDeliveries,
    emptyAction: list.filtered
      ? { label: t.common.resetFilters, onClick: list.resetFilters }
      : { label: t.broadcasts.refresh, onClick: () => void deliveries.refetch() },
  };
  return { list, table };
}
