/** The inbox list: one row per candidate, newest message first, with the unread count; rows wrap on a phone. */
import { Badge, Group, Stack, Text, UnstyledButton } from "@mantine/core";
import { useNavigate } from "react-router";
import { Empty } from "@/components/query-state";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { messagePreview } from "@/lib/labels";
import { formatDateTime } from "@/lib/time";

const nameOf = (c: Schemas["ConversationSummary"]) => `${c.first_name} ${c.last_name ?? ""}`.trim();

export function ConversationList({
  items,
  selected,
  onSelect,
}: {
  items: Schemas["ConversationSummary"][];
  selected?: number;
  onSelect: (candidateId: number) => void;
}) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const navigate = useNavigate();
  if (items.length === 0) {
    return <Empty action={{ label: t.inbox.toCandidates, onClick: () => navigate("/candidates") }}>{t.inbox.empty}</Empty>;
  }
  return (
    <Stack gap={4} role="list" aria-label={t.inbox.title}>
      {items.map((c) => {
        const preview = messagePreview(t, { text: c.last_text, attachment_kind: c.last_attachment_kind, file_name: c.last_file_name });
        const active = c.candidate_id === selected;
        return (
          <UnstyledButton
            key={c.candidate_id}
            role="listitem"
            onClick={() => onSelect(c.candidate_id)}
            aria-current={active ? "true" : undefined}
            p="xs"
            style={{
              borderRadius: "var(--mantine-radius-sm)",
              background: active ? "var(--mantine-color-blue-light)" : undefined,
            }}
          >
            <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
              <div style={{ minWidth: 0, flex: 1 }}>
                <Text fw={c.unread > 0 ? 700 : 500} size="sm" truncate>
                  {nameOf(c)}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {c.username ? `@${c.username}` : t.inbox.noUsername}
                </Text>
                <Text size="sm" lineClamp={2} style={{ overflowWrap: "anywhere" }}>
                  {c.last_direction === "out" ? `${t.inbox.you}: ` : ""}
                  {preview}
                </Text>
              </div>
              <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
                <Text size="xs" c="dimmed">
                  {formatDateTime(c.last_at, tz)}
                </Text>
                {c.unread > 0 && (
                  <Badge color="red" size="sm" aria-label={t.inbox.unreadBadge(c.unread)}>
                    {c.unread}
                  </Badge>
                )}
              </Stack>
            </Group>
          </UnstyledButton>
        );
      })}
    </Stack>
  );
}
