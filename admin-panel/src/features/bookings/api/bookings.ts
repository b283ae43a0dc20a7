import { queryOptions, useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, baseUrl, unwrap, type Schemas } from "@/lib/api-client";

export type BookingFilters = {
  from?: string;
  to?: string;
  status?: Schemas["BookingStatus"];
  q?: string;
  /** Only the interviews of this account (an interviewer's own are all they get anyway). */
  interviewer_id?: number;
  limit: number;
  offset: number;
};

export const bookingsQueryOptions = (filters: BookingFilters) =>
  queryOptions({
    queryKey: ["bookings", "list", filters],
    queryFn: () => unwrap(api.GET("/api/bookings", { params: { query: filters } })),
    placeholderData: (prev) => prev,
  });

function invalidateBookings(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: ["bookings"] });
  void qc.invalidateQueries({ queryKey: ["slots"] });
  void qc.invalidateQueries({ queryKey: ["stats"] });
  void qc.invalidateQueries({ queryKey: ["users"] });
}

export function useMarkAttendance() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, status }: { id: number; status: Schemas["Attendance"] }) =>
      unwrap(api.POST("/api/bookings/{id}/attendance", { params: { path: { id } }, body: { status } })),
    onSuccess: () => invalidateBookings(qc),
  });
}

export function useCancelBooking() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: number; reason?: string }) =>
      unwrap(api.POST("/api/bookings/{id}/cancel", { params: { path: { id } }, body: { reason: reason || null } })),
    onSuccess: () => invalidateBookings(qc),
  });
}

/**
 * The CSV export link for local dates (`YYYY-MM-DD`), in the panel's language (headers, statuses
 * and formats); a plain download, the cookie goes along.
 */
export function exportCsvUrl(range: { from?: string; to?: string }, lang: "ru" | "en"): string {
  const url = new URL("/api/export/bookings.csv", baseUrl());
  if (range.from) url.searchParams.set("from", range.from);
  if (range.to) url.searchParams.set("to", range.to);
  url.searchParams.set("lang", lang);
  return url.toString();
}
