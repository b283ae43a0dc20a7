/** The signed-in account's calendar feed: its state, a new secret link (shown once), revoking it. */
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, baseUrl, unwrap } from "@/lib/api-client";

export const calendarFeedQueryOptions = () =>
  queryOptions({
    queryKey: ["me", "calendar-feed"],
    queryFn: () => unwrap(api.GET("/api/me/calendar-feed")),
  });

/** The subscription address of a feed's path (`/calendar/<token>.ics`). */
export const feedUrl = (path: string) => new URL(path, baseUrl()).toString();

export function useRegenerateFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/me/calendar-feed")),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["me", "calendar-feed"] }),
  });
}

export function useRevokeFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/me/calendar-feed")),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["me", "calendar-feed"] }),
  });
}
