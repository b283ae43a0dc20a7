/** One broadcast: status (with a stop button while it runs), audience, progress and text. */
import { Button, Card, Group, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { ConfirmModal } from "@/components/confirm";
import { errorMessage } from "@/components/query-state";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone, useZoneAside } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { TelegramPreview } from "@/lib/telegram-html";
import { formatDateTime, formatYmd } from "@/lib/time";
import { isRunning, useCancelBroadcast } from "../api/broadcasts";
import { BroadcastProgress } from "./broadcast-progress";

export function BroadcastSummary({ broadcast: bc }: { broadcast: Schemas["BroadcastView"] }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const zoneAside = useZoneAside(bc.send_at ?? bc.created_at);
  const [confirming, setConfirming] = useState(false);
  const cancel = useCancelBroadcast();
  return (
    <>
      <Group justify="space-between">
        <Title order={2}>#{bc.id}</Title>
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
        {t.broadcasts.segmentKind[bc.segment.kind]}
        {bc.segment.kind === "booked_on" ? ` ${formatYmd(bc.segment.date)}` : ""} · {formatDateTime(bc.send_at ?? bc.created_at, tz)} {zoneAside}
        {bc.total_recipients != null ? ` · ${t.broadcasts.recipients(bc.total_recipients)}` : ""}
      </Text>
      <Card withBorder>
        <Text fw={600} mb="xs">{t.broadcasts.progress}</Text>
        <BroadcastProgress b={bc} />
      </Card>
      <Card withBorder style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
        <TelegramPreview html={bc.text} />
      </Card>
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
