/** A candidate's conversation, oldest to newest, and the reply box under it; opening it marks it read. */
import { Button, Center, Stack } from "@mantine/core";
import { useEffect, useRef } from "react";
import { Empty, ErrorState, Loading } from "@/components/query-state";
import { useI18n } from "@/lib/i18n";
import { useConversation } from "../hooks/use-conversation";
import { MessageBubble } from "./message-bubble";
import { ReplyBox } from "./reply-box";

export function ConversationView({ candidateId }: { candidateId: number }) {
  const { t } = useI18n();
  const { query, canShowOlder, showOlder } = useConversation(candidateId);
  const bottom = useRef<HTMLDivElement>(null);
  const newest = query.data?.items.at(-1)?.id;
  // The newest message in view when the conversation opens or grows.
  useEffect(() => {
    if (newest !== undefined) bottom.current?.scrollIntoView?.({ block: "nearest" });
  }, [newest]);
  return (
    <Stack gap="sm">
      {query.isPending ? (
        <Loading />
      ) : query.data === undefined ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <Empty>{t.inbox.emptyConversation}</Empty>
      ) : (
        <Stack gap="xs" mah={520} style={{ overflowY: "auto" }} aria-label={t.inbox.conversation}>
          {canShowOlder && (
            <Center>
              <Button size="xs" variant="subtle" onClick={showOlder}>
                {t.inbox.older}
              </Button>
            </Center>
          )}
          {query.data.items.map((m) => (
            <MessageBubble key={m.id} message={m} />
          ))}
          <div ref={bottom} />
        </Stack>
      )}
      <ReplyBox candidateId={candidateId} />
    </Stack>
  );
}
