/** The waitlist (issue 15): who waits for a seat, offering one by hand, the no-show approvals, the figures. */
import { queryOptions, useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { ApiError, baseUrl, unwrap } from "@/lib/api-client";
import { pollUnlessLive } from "@/lib/live";

// TEMPORARY: written by hand from the issue 15 contract until api_server's OpenAPI has them
// (then `npm run gen:api -- --fetch` and these become `Schemas[...]`).
export type DayPart = "morning" | "afternoon" | "evening";
export type EntryOffer = { id: number; slot_id: number; slot_starts_at: string; expires_at: string; by_admin: boolean };
export type WaitlistEntryView = {
  id: number;
  candidate_id: number;
  candidate_name: string;
  username?: string | null;
  vacancy_id?: number | null;
  vacancy_title?: string | null;
  days: number[];
  parts: DayPart[];
  joined_at: string;
  position: number;
  offer?: EntryOffer | null;
};
export type OfferStatus = "held" | "accepted" | "declined" | "expired" | "withdrawn";
export type WaitlistOffer = {
  id: number;
  entry_id: number;
  candidate_id: number;
  slot_id: number;
  status: OfferStatus;
  created_at: string;
  expires_at: string;
  ended_at?: string | null;
  by_admin?: number | null;
  booking_id?: number | null;
};
export type WaitlistStats = {
  waiting_by_vacancy: { vacancy_id?: number | null; vacancy_title?: string | null; waiting: number }[];
  offers: Record<OfferStatus, number>;
  refilled: number;
  confirmation: { asked: number; confirmed: number; rate?: number | null };
  no_show_by_week: { week_start: string; attended: number; no_show: number; rate?: number | null }[];
};
export type ApprovalStatus = "requested" | "approved" | "refused";
export type ApprovalView = {
  id: number;
  candidate_id: number;
  candidate_name: string;
  username?: string | null;
  no_shows: number;
  status: ApprovalStatus;
  requested_at: string;
  decided_at?: string | null;
  decided_by_name?: string | null;
};

/** A JSON call through `unwrap` (errors become `ApiError`s by their code). */
async function call<T>(method: string, path: string, query: Record<string, string | number | undefined> = {}, body?: unknown): Promise<T> {
  const url = new URL(path, baseUrl());
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  return unwrap<T>(
    (async () => {
      const init: RequestInit = { method, credentials: "same-origin" };
      if (body !== undefined) {
        init.body = JSON.stringify(body);
        init.headers = { "Content-Type": "application/json" };
      }
      const response = await globalThis.fetch(new Request(url, init));
      const text = await response.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        throw new ApiError(response.status, "http_error", `HTTP ${response.status}`);
      }
      return response.ok ? { data: json as T, response } : { error: json, response };
    })(),
  );
}

export type WaitlistFilter = { vacancy_id?: number; day?: string };

export const waitlistQueryOptions = (filter: WaitlistFilter = {}) =>
  queryOptions({
    queryKey: ["waitlist", "list", filter],
    queryFn: () => call<WaitlistEntryView[]>("GET", "/api/waitlist", filter),
    // Candidates join, answer offers and let them run out in the bot.
    refetchInterval: pollUnlessLive(15_000, 30_000),
  });

export const waitlistStatsQueryOptions = () =>
  queryOptions({
    queryKey: ["waitlist", "stats"],
    queryFn: () => call<WaitlistStats>("GET", "/api/waitlist/stats"),
  });

export const approvalsQueryOptions = (status?: ApprovalStatus) =>
  queryOptions({
    queryKey: ["approvals", "list", status ?? "all"],
    queryFn: () => call<ApprovalView[]>("GET", "/api/approvals", { status }),
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
      call<WaitlistOffer>("POST", `/api/waitlist/${entryId}/offer`, {}, { slot_id: slotId }),
    onSuccess: () => invalidateWaitlist(qc),
  });
}

export function useRemoveEntry() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (entryId: number) => call<void>("DELETE", `/api/waitlist/${entryId}`),
    onSuccess: () => invalidateWaitlist(qc),
  });
}

export function useDecideApproval() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision }: { id: number; decision: "approve" | "refuse" }) => call<ApprovalView>("POST", `/api/approvals/${id}/${decision}`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["approvals"] });
      void qc.invalidateQueries({ queryKey: ["audit"] });
    },
  });
}
