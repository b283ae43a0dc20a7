/** The reply: a text box with Telegram's limit counted, Ctrl+Enter (⌘+Enter) to send, and the server's refusal shown. */
import { Button, Group, Text, Textarea } from "@mantine/core";
import { useState, type KeyboardEvent } from "react";
import { errorMessage } from "@/components/query-state";
import { ApiError } from "@/lib/api-client";
import type { Dict } from "@/lib/i18n/ru";
import { useI18n } from "@/lib/i18n";
import { MAX_REPLY, useReply } from "../api/inbox";

/** Why a reply cannot be sent, or `null`: empty, or longer than Telegram takes. */
export function validateReply(text: string, t: Dict): string | null {
  const trimmed = text.trim();
  if (!trimmed) return t.inbox.emptyReply;
  if ([...trimmed].length > MAX_REPLY) return t.inbox.tooLong(MAX_REPLY);
  return null;
}

/** The server's refusal in the reader's language where the panel knows it. */
function refusal(error: unknown, t: Dict): string {
  if (error instanceof ApiError && error.code === "candidate_not_active") return t.inbox.cannotReach;
  return errorMessage(error);
}

export function ReplyBox({ candidateId }: { candidateId: number }) {
  const { t } = useI18n();
  const reply = useReply(candidateId);
  const [text, setText] = useState("");
  const [shownError, setShownError] = useState<string | null>(null);
  const length = [...text.trim()].length;
  const send = () => {
    const invalid = validateReply(text, t);
    if (invalid) {
      setShownError(invalid);
      return;
    }
    setShownError(null);
    reply.mutate(text.trim(), {
      onSuccess: () => setText(""),
      onError: (e) => setShownError(refusal(e, t)),
    });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send();
    }
  };
  return (
    <div>
      <Textarea
        label={t.inbox.replyLabel}
        placeholder={t.inbox.replyPlaceholder}
        autosize
        minRows={2}
        maxRows={8}
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value);
          if (shownError) setShownError(null);
        }}
        onKeyDown={onKeyDown}
        error={shownError}
      />
      <Group justify="space-between" mt="xs" wrap="wrap">
        <Text size="xs" c={length > MAX_REPLY ? "red" : "dimmed"} data-testid="reply-counter">
          {t.inbox.counter(length, MAX_REPLY)} · {t.inbox.replyHint}
        </Text>
        <Button size="sm" onClick={send} loading={reply.isPending}>
          {t.inbox.send}
        </Button>
      </Group>
    </div>
  );
}
