import { queryOptions, useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { pollUnlessLive } from "@/lib/live";
import { api, unwrap, type Schemas } from "@/lib/api-client";

/** A range of instants, and optionally only the slots one account interviews in. */
export type SlotRange = { from: string; to: string; interviewer_id?: number };

/** Every slot of the range: the pages of `GET /api/slots` followed to the last (a week is one). */
export async function fetchAllSlots(range: SlotRange): Promise<Schemas["CalendarSlot"][]> {
  const items: Schemas["CalendarSlot"][] = [];
  let after: string | undefined;
  do {
    const page = await unwrap(api.GET("/api/slots", { params: { query: after ? { ...range, after } : range } }));
    items.push(...page.items);
    after = page.next ?? undefined;
  } while (after);
  return items;
}

export const slotsQueryOptions = (range: SlotRange) =>
  queryOptions({
    queryKey: ["slots", "list", range],
    queryFn: () => fetchAllSlots(range),
    // Candidates book through the bot: the live stream says when (lib/live.ts); poll while it is down.
    refetchInterval: pollUnlessLive(15_000),
  });

/** A slot with its notes and active bookings (who a cancel would notify): fetched on opening it. */
export const slotQueryOptions = (id: number) =>
  queryOptions({
    queryKey: ["slots", "detail", id],
    queryFn: () => unwrap(api.GET("/api/slots/{id}", { params: { path: { id } } })),
  });

/** The live preview of a bulk generation (`dry_run`); the plan itself is the key. */
export const bulkPreviewQueryOptions = (plan: Schemas["SlotPlan"]) =>
  queryOptions({
    queryKey: ["slots", "bulk-preview", plan],
    queryFn: () => unwrap(api.POST("/api/slots/bulk", { body: { ...plan, dry_run: true } })),
    staleTime: 0,
  });

// Slot changes move the dashboard and the bookings (a cancel cancels bookings).
function invalidateSlots(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: ["slots"] });
  void qc.invalidateQueries({ queryKey: ["stats"] });
  void qc.invalidateQueries({ queryKey: ["bookings"] });
}

export function useCreateSlot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["CreateSlot"]) => unwrap(api.POST("/api/slots", { body })),
    onSuccess: () => invalidateSlots(qc),
  });
}

export function useBulkCreate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (plan: Schemas["SlotPlan"]) => unwrap(api.POST("/api/slots/bulk", { body: { ...plan, dry_run: false } })),
    onSuccess: () => invalidateSlots(qc),
  });
}

export function useUpdateSlot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: number; changes: Schemas["SlotChanges"] }) =>
      unwrap(api.PATCH("/api/slots/{id}", { params: { path: { id } }, body: changes })),
    onSuccess: () => invalidateSlots(qc),
  });
}

export function useRemoveSlot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, mode, reason }: { id: number; mode: "cancel" | "delete"; reason?: string }) =>
      mode === "cancel"
        ? unwrap(api.POST("/api/slots/{id}/cancel", { params: { path: { id } }, body: { reason: reason || null } }))
        : unwrap(api.DELETE("/api/slots/{id}", { params: { path: { id }, query: reason ? { reason } : {} } })),
    onSuccess: () => {
      invalidateSlots(qc);
      void qc.invalidateQueries({ queryKey: ["users"] });
    },
  });
}
