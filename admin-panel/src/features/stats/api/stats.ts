import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api-client";

export type StatsRange = { from?: string; to?: string };

/** Dashboard figures for local dates `from`..`to` (server defaults when absent). */
export const statsQueryOptions = (range: StatsRange = {}) =>
  queryOptions({
    queryKey: ["stats", range],
    queryFn: () => unwrap(api.GET("/api/stats", { params: { query: range } })),
  });
