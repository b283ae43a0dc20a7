/**
 * The inbox: the conversations list (`["inbox", ...]`) and each candidate's conversation
 * (`["messages", id]`). The live stream's `inbox` event makes both stale; while it is down they
 * poll (`pollUnlessLive`), faster while a reply is on its way.
 */
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api-client";
import { pollUnlessLive } from "@/lib/live";

/** Telegram's limit on a message, in characters. */
export const MAX_REPLY = 4096;

export const inboxQueryOptions = (page: { limit: number; offset: number }) =>
  queryOptions({
    queryKey: ["inbox", "list", page],
    queryFn: () => unwrap(api.GET("/api/inbox", { params: { query: page } })),
    refetchInterval: pollUnlessLive(10_000),
    placeholderData: (prev) => prev,
  });

/** Unread messages in all conversations (the navigation's badge). */
export const unreadQueryOptions = () =>
  queryOptions({
    queryKey: ["inbox", "unread"],
    queryFn: async () => (await unwrap(api.GET("/api/inbox", { params: { query: { limit: 1, offset: 0 } } }))).total_unread,
    refetchInterval: pollUnlessLive(15_000),
  });

/** A reply that has not reached a final status yet. */
export const isOnItsWay = (m: Pick<Schemas["ConversationMessage"], "delivery_status">) =>
  m.delivery_status === "pending" || m.delivery_status === "published" || m.delivery_status === "sending";

export const conversationQueryOptions = (id: number, limit = 50) =>
  queryOptions({
    queryKey: ["messages", id, limit],
    queryFn: () => unwrap(api.GET("/api/users/{id}/messages", { params: { path: { id }, query: { limit } } })),
    refetchInterval: (q) => (q.state.data?.items.some(isOnItsWay) ? pollUnlessLive(2000)() : pollUnlessLive(10_000)()),
    placeholderData: (prev) => prev,
  });

export function useMarkRead(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/users/{id}/messages/read", { params: { path: { id } } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["inbox"] });
      void qc.invalidateQueries({ queryKey: ["messages", id] });
    },
  });
}

export function useReply(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => unwrap(api.POST("/api/users/{id}/messages", { params: { path: { id } }, body: { text } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["messages", id] });
      void qc.invalidateQueries({ queryKey: ["inbox"] });
      void qc.invalidateQueries({ queryKey: ["users", "detail", id] });
    },
  });
}
