/**
 * Live updates: the server's event stream (`GET /api/live`) says what changed — a booking made
 * in the bot, a candidate registered, a broadcast moving on, a message to the inbox — and the
 * panel fetches those lists again, without polling and without a reload. `EventSource`
 * reconnects by itself; every (re)open fetches what is on screen again, so nothing said while
 * the stream was down is missed. While the stream is down, the lists that matter fall back to
 * polling (`pollUnlessLive`).
 */
import { useEffect, useSyncExternalStore } from "react";
import { useQueryClient, type QueryClient, type QueryKey } from "@tanstack/react-query";
import { baseUrl } from "./api-client";

export type LiveState = "connecting" | "open" | "closed";

let state: LiveState = "closed";
const listeners = new Set<() => void>();

function setState(next: LiveState) {
  if (state === next) return;
  state = next;
  listeners.forEach((listener) => listener());
}

/** Whether the event stream is up right now. */
export const liveIsOpen = () => state === "open";

/**
 * A `refetchInterval`: `ms` while the stream is down, a slow safety net while it is up (the
 * interval is re-read after every fetch, so a dropped stream is noticed within `safety` ms).
 */
export const pollUnlessLive =
  (ms: number, safety = 60_000) =>
  () =>
    liveIsOpen() ? safety : ms;

export function useLiveState(): LiveState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

/** Which lists each event makes stale. */
export const STALE_ON: Record<string, QueryKey[]> = {
  calendar: [["slots"], ["bookings"], ["stats"], ["users"], ["waitlist"]],
  candidates: [["users"], ["stats"], ["broadcasts", "recipients"]],
  broadcast: [["broadcasts"], ["users", "detail"]],
  inbox: [["inbox"], ["messages"], ["users", "detail"]],
};

function refetchEverything(qc: QueryClient) {
  void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== "auth" });
}

/** Opens the stream and keeps `qc` fresh by it; returns the function that closes it. */
export function connectLive(qc: QueryClient, url = `${baseUrl()}/api/live`): () => void {
  if (typeof EventSource === "undefined") return () => {};
  const source = new EventSource(url, { withCredentials: true });
  setState("connecting");
  source.onopen = () => {
    setState("open");
    refetchEverything(qc);
  };
  source.onerror = () => setState(source.readyState === EventSource.CLOSED ? "closed" : "connecting");
  for (const [event, keys] of Object.entries(STALE_ON)) {
    source.addEventListener(event, () => keys.forEach((queryKey) => void qc.invalidateQueries({ queryKey })));
  }
  source.addEventListener("resync", () => refetchEverything(qc));
  return () => {
    source.close();
    setState("closed");
  };
}

/** Keeps the panel live while the component using it (the signed-in layout) is mounted. */
export function useLiveUpdates() {
  const qc = useQueryClient();
  useEffect(() => connectLive(qc), [qc]);
}
