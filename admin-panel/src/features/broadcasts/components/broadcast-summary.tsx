/** One broadcast: its title (renamed inline), status (with a stop button while it runs), audience, progress and message. */
import { ActionIcon, Button, Card, Group, SimpleGrid, Text, TextInput, Title, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { ConfirmModal } from "@/components/confirm";
import { errorMessage } from "@/components/query-state";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone, useZoneAside } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { useSegmentLabel } from "../hooks/use-segment-label";
import { TelegramMessage } from "@/lib/telegram-html";
import { formatDateTime } from "@/lib/time";
import { isRunning, photoUrl, useCancelBroadcast, useRenameBroadcast } from "../api/broadcasts";
import { MAX_TITLE_LEN } from "../hooks/use-broadcast-compose";
import { BOOK_BUTTON_LABEL } from "../lib/format";
import { BroadcastProgress } from "./broadcast-progress";

export function BroadcastSummary({ broadcast: bc }: { broadcast: Schemas["BroadcastView"] }) {
  const { t } = useI18n();
  const segmentLabel = useSegmentLabel();
  const tz = useTimeZone();
  const zoneAside = useZoneAside(bc.send_at ?? bc.created_at);
  const [confirming, setConfirming] = useState(false);
  const cancel = useCancelBroadcast();
  return (
    <>
      <Group justify="space-between">
        <BroadcastTitle broadcast={bc} />
        <Group>
          <StatusBadge status={bc.status} label={t.broadcasts.status[bc.status]} />
          {isRunning(bc) && (
            <Button color="red" variant="light" onClick={() => setConfirming(true)}>
              {t.broadcasts.cancel}
            </Button>
          )}
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        {segmentLabel(bc.segment)} · {formatDateTime(bc.send_at ?? bc.created_at, tz)} {zoneAside}
        {bc.total_recipients != null ? ` · ${t.broadcasts.recipients(bc.total_recipients)}` : ""}
      </Text>
      <Card withBorder>
        <Text fw={600} mb="xs">{t.broadcasts.progress}</Text>
        <BroadcastProgress b={bc} />
      </Card>
      <SimpleGrid cols={{ base: 1, md: bc.text_en ? 2 : 1 }}>
        {(["ru", "en"] as const)
          .filter((lang) => lang === "ru" || bc.text_en)
          .map((lang) => (
            <Card withBorder key={lang} bg="var(--mantine-color-blue-0)">
              <Text size="xs" c="dimmed" mb="xs">
                {lang === "ru" ? t.broadcasts.langRu : t.broadcasts.langEn}
              </Text>
              <TelegramMessage
                html={lang === "en" && bc.text_en ? bc.text_en : bc.text}
                photoUrl={bc.photo_id ? photoUrl(bc.photo_id) : undefined}
                button={
                  bc.button?.kind === "url"
                    ? { text: bc.button.text, url: bc.button.url }
                    : bc.button?.kind === "book"
                      ? { text: BOOK_BUTTON_LABEL[lang] }
                      : undefined
                }
              />
            </Card>
          ))}
      </SimpleGrid>
      <ConfirmModal
        opened={confirming}
        title={t.broadcasts.cancel}
        confirmLabel={t.broadcasts.cancel}
        cancelLabel={t.broadcasts.keepRunning}
        loading={cancel.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={() =>
          cancel.mutate(bc.id, {
            onSuccess: () => setConfirming(false),
            onError: (e) => notifications.show({ color: "red", message: errorMessage(e) }),
          })
        }
      >
        <Text>{t.broadcasts.cancelConfirm}</Text>
      </ConfirmModal>
    </>
  );
}

/** The title, with a pencil that turns it into a field: Enter or the tick saves, Escape cancels. */
function BroadcastTitle({ broadcast: bc }: { broadcast: Schemas["BroadcastView"] }) {
  const { t } = useI18n();
  const rename = useRenameBroadcast();
  const [draft, setDraft] = useState<string | null>(null);
  const save = () => {
    if (draft === null) return;
    rename.mutate(
      { id: bc.id, title: draft },
      {
        onSuccess: () => {
          setDraft(null);
          notifications.show({ color: "green", message: t.broadcasts.renamed });
        },
      },
    );
  };
  if (draft === null) {
    return (
      <Group gap="xs">
        <Title order={2}>{bc.title || t.broadcasts.untitled}</Title>
        <Tooltip label={t.broadcasts.rename}>
          <ActionIcon variant="subtle" aria-label={t.broadcasts.rename} onClick={() => setDraft(bc.title)}>
            ✎
          </ActionIcon>
        </Tooltip>
      </Group>
    );
  }
  return (
    <Group gap="xs" align="flex-start">
      <TextInput
        aria-label={t.broadcasts.titleLabel}
        value={draft}
        autoFocus
        maxLength={MAX_TITLE_LEN + 20}
        w={360}
        error={rename.error ? errorMessage(rename.error) : draft.trim().length > MAX_TITLE_LEN ? t.broadcasts.titleTooLong(MAX_TITLE_LEN) : undefined}
        onChange={(e) => setDraft(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") save();
          if (e.key === "Escape") setDraft(null);
        }}
      />
      <Button loading={rename.isPending} disabled={!draft.trim() || draft.trim().length > MAX_TITLE_LEN} onClick={save}>
        {t.common.save}
      </Button>
      <Button variant="subtle" onClick={() => setDraft(null)}>
        {t.common.cancel}
      </Button>
    </Group>
  );
}
