/** A candidate's conversation: fetched (more on demand), and marked read while it is open. */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { conversationQueryOptions, useMarkRead } from "../api/inbox";

/** Messages shown at first, and how many more each "earlier" adds (the API gives at most 200). */
const PAGE = 50;
const MAX = 200;

export function useConversation(id: number) {
  const [limit, setLimit] = useState(PAGE);
  const query = useQuery(conversationQueryOptions(id, limit));
  const markRead = useMarkRead(id);
  const unread = query.data?.unread ?? 0;
  const { mutate, isPending } = markRead;
  // Opening the conversation reads it; a message arriving while it is open is read too.
  useEffect(() => {
    if (unread > 0 && !isPending) mutate();
  }, [unread, isPending, mutate]);
  const canShowOlder = Boolean(query.data?.has_older) && limit < MAX;
  return { query, canShowOlder, showOlder: () => setLimit((l) => Math.min(l + PAGE, MAX)) };
}
