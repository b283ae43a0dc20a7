import { queryOptions } from "@tanstack/react-query";
import { api, baseUrl, unwrap } from "@/lib/api-client";

export type FunnelRange = { from: string; to: string };

/** The hiring funnel over local dates `from`..`to`, by vacancy and by source. */
export const funnelQueryOptions = (range: FunnelRange) =>
  queryOptions({
    queryKey: ["funnel", range],
    queryFn: () => unwrap(api.GET("/api/funnel", { params: { query: range } })),
  });

/** The funnel as CSV in the panel's language: a plain download, the session cookie goes along. */
export function funnelCsvUrl(range: FunnelRange, lang: "ru" | "en"): string {
  const url = new URL("/api/export/funnel.csv", baseUrl());
  url.searchParams.set("from", range.from);
  url.searchParams.set("to", range.to);
  url.searchParams.set("lang", lang);
  return url.toString();
}
