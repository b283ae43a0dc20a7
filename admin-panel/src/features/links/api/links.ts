/** Invitation links: the list (by vacancy and kind), creating one or many from CSV, revoking, deleting. */
import { queryOptions, useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, baseUrl, unwrap, type Schemas } from "@/lib/api-client";

export type LinkView = Schemas["LinkView"];
export type LinkFilter = { vacancy_id?: number; kind?: Schemas["LinkKind"] };

export const linksQueryOptions = (filter: LinkFilter = {}) =>
  queryOptions({
    queryKey: ["links", "list", filter],
    queryFn: () => unwrap(api.GET("/api/links", { params: { query: filter } })),
    // People open links in Telegram: their counts and states move without the panel.
    refetchInterval: 30_000,
  });

/** The QR code of a link as a download (`png` or `svg`); the session cookie goes along. */
export const qrUrl = (id: number, format: "png" | "svg") => new URL(`/api/links/${id}/qr.${format}`, baseUrl()).toString();

function invalidateLinks(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: ["links"] });
  void qc.invalidateQueries({ queryKey: ["funnel"] });
}

export function useCreateLink() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["NewLink"]) => unwrap(api.POST("/api/links", { body })),
    onSuccess: () => invalidateLinks(qc),
  });
}

export function useImportLinks() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["ImportBody"]) => unwrap(api.POST("/api/links/import", { body })),
    onSuccess: () => invalidateLinks(qc),
  });
}

export function useLinkAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: number; action: "revoke" | "delete" }) =>
      action === "revoke"
        ? unwrap(api.POST("/api/links/{id}/revoke", { params: { path: { id } } }))
        : unwrap(api.DELETE("/api/links/{id}", { params: { path: { id } } })),
    onSuccess: () => invalidateLinks(qc),
  });
}
