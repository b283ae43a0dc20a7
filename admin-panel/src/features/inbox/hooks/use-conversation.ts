/** A candidate's conversation: fetched (more on demand), and marked read while it is open. */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { conversationQueryOptions, useMarkRead } from "../api/inbox";

/** Messages shown at first, and how many more each "earlier" adds (the API gives at most 200). */
const PAGE = 50;
const MAX = 200;

export function useConversation(id: number) {
  const [limit, setLimit] = useState(PAGE);
  const query = useQuery(conversationQueryOptions(id, limit));
  const { mutate } = useMarkRead(id);
  const unread = query.data?.unread ?? 0;
  const newest = query.data?.items.at(-1)?.id;
  // The newest message marked read: once per message that arrives, not once per render.
  const marked = useRef<number | undefined>(undefined);
  // Opening the conversation reads it; a message arriving while it is open is read too.
  useEffect(() => {
    if (unread === 0 || newest === undefined || marked.current === newest) return;
    marked.current = newest;
    mutate(undefined, {
      onError: () => {
        marked.current = undefined;
      },
    });
  }, [unread, newest, mutate]);
  const canShowOlder = Boolean(query.data?.has_older) && limit < MAX;
  return { query, canShowOlder, showOlder: () => setLimit((l) => Math.min(l + PAGE, MAX)) };
}
