/** One message of a conversation: the candidate's on the left, the recruiters' replies on the right with their status. */
import { Box, Group, Paper, Text } from "@mantine/core";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { replyStatusLabel } from "@/lib/labels";
import { formatDateTime } from "@/lib/time";

function AttachmentLine({ m }: { m: Schemas["ConversationMessage"] }) {
  const { t } = useI18n();
  if (m.attachment_kind === "photo") return <Text size="sm" fw={500}>{t.inbox.photo}</Text>;
  if (m.attachment_kind === "document") {
    return (
      <Text size="sm" fw={500} style={{ overflowWrap: "anywhere" }}>
        {m.file_name ? `📎 ${m.file_name}` : t.inbox.document}
      </Text>
    );
  }
  return null;
}

export function MessageBubble({ message: m }: { message: Schemas["ConversationMessage"] }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const out = m.direction === "out";
  return (
    <Box style={{ display: "flex", justifyContent: out ? "flex-end" : "flex-start" }} data-testid={`message-${m.direction}`}>
      <Paper
        withBorder
        p="xs"
        radius="md"
        maw="85%"
        bg={out ? "var(--mantine-color-blue-light)" : "var(--mantine-color-default)"}
      >
        <AttachmentLine m={m} />
        {m.text && (
          <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
            {m.text}
          </Text>
        )}
        <Group gap={6} justify="flex-end" mt={4} wrap="wrap">
          <Text size="xs" c="dimmed">
            {formatDateTime(m.created_at, tz)}
            {out && m.admin_username ? ` · ${t.inbox.replyBy(m.admin_username)}` : ""}
          </Text>
          {out && m.delivery_status && <StatusBadge status={m.delivery_status} label={replyStatusLabel(t, m.delivery_status)} />}
        </Group>
      </Paper>
    </Box>
  );
}
