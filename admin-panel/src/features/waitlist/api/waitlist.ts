/** The waitlist (issue 15): who waits for a seat, offering one by hand, the no-show approvals, the figures. */
import { queryOptions, useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api-client";
import { pollUnlessLive } from "@/lib/live";

export type DayPart = Schemas["Part"];
export type WaitlistEntryView = Schemas["WaitlistEntryView"];
export type WaitlistStats = Schemas["WaitlistStats"];
export type ApprovalStatus = Schemas["ApprovalStatus"];
export type ApprovalView = Schemas["ApprovalView"];

export type WaitlistFilter = { vacancy_id?: number; day?: string };

export const waitlistQueryOptions = (filter: WaitlistFilter = {}) =>
  queryOptions({
    queryKey: ["waitlist", "list", filter],
    queryFn: () => unwrap(api.GET("/api/waitlist", { params: { query: filter } })),
    // Candidates join, answer offers and let them run out in the bot.
    refetchInterval: pollUnlessLive(15_000, 30_000),
  });

export const waitlistStatsQueryOptions = () =>
  queryOptions({
    queryKey: ["waitlist", "stats"],
    queryFn: () => unwrap(api.GET("/api/waitlist/stats")),
  });

export const approvalsQueryOptions = (status?: ApprovalStatus) =>
  queryOptions({
    queryKey: ["approvals", "list", status ?? "all"],
    queryFn: () => unwrap(api.GET("/api/approvals", { params: { query: status ? { status } : {} } })),
    refetchInterval: pollUnlessLive(15_000, 30_000),
  });

function invalidateWaitlist(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: ["waitlist"] });
  void qc.invalidateQueries({ queryKey: ["slots"] });
  void qc.invalidateQueries({ queryKey: ["audit"] });
}

export function useOfferSlot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ entryId, slotId }: { entryId: number; slotId: number }) =>
      unwrap(api.POST("/api/waitlist/{id}/offer", { params: { path: { id: entryId } }, body: { slot_id: slotId } })),
    onSuccess: () => invalidateWaitlist(qc),
  });
}

export function useRemoveEntry() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (entryId: number) => unwrap(api.DELETE("/api/waitlist/{id}", { params: { path: { id: entryId } } })),
    onSuccess: () => invalidateWaitlist(qc),
  });
}

export function useDecideApproval() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision }: { id: number; decision: "approve" | "refuse" }) =>
      decision === "approve"
        ? unwrap(api.POST("/api/approvals/{id}/approve", { params: { path: { id } } }))
        : unwrap(api.POST("/api/approvals/{id}/refuse", { params: { path: { id } } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["approvals"] });
      void qc.invalidateQueries({ queryKey: ["audit"] });
    },
  });
}
