/** A candidate's name, Telegram identity and status, with block (after a confirmation) and unblock. */
import { Button, Group, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { ConfirmModal } from "@/components/confirm";
import { errorMessage } from "@/components/query-state";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { formatDateTime } from "@/lib/time";
import { useSetBlocked } from "../api/users";

export const candidateName = (u: Pick<Schemas["Candidate"], "first_name" | "last_name">) => `${u.first_name} ${u.last_name ?? ""}`.trim();

/** `actions: false` (an interviewer): no block and unblock buttons. */
export function CandidateHeader({ user: u, actions = true }: { user: Schemas["Candidate"]; actions?: boolean }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const setBlocked = useSetBlocked();
  const [confirming, setConfirming] = useState(false);
  const onError = (e: unknown) => notifications.show({ color: "red", message: errorMessage(e) });
  const name = candidateName(u);
  return (
    <Group justify="space-between">
      <div>
        <Title order={2}>{name}</Title>
        <Text c="dimmed" size="sm">
          {u.username ? `@${u.username} · ` : ""}Telegram {u.telegram_user_id} · {t.candidates.firstSeen} {formatDateTime(u.first_seen_at, tz)}
        </Text>
      </div>
      <Group>
        <StatusBadge status={u.status} label={t.candidates.status[u.status]} />
        {!actions ? null : u.status === "blocked" ? (
          <Button variant="light" loading={setBlocked.isPending} onClick={() => setBlocked.mutate({ id: u.id, blocked: false }, { onError })}>
            {t.candidates.unblock}
          </Button>
        ) : (
          <Button color="red" variant="light" onClick={() => setConfirming(true)}>
            {t.candidates.block}
          </Button>
        )}
      </Group>
      <ConfirmModal
        opened={confirming}
        title={t.candidates.block}
        confirmLabel={t.candidates.block}
        cancelLabel={t.candidates.dontBlock}
        loading={setBlocked.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={() => setBlocked.mutate({ id: u.id, blocked: true }, { onSuccess: () => setConfirming(false), onError })}
      >
        <Text>{t.candidates.blockConfirm(name)}</Text>
      </ConfirmModal>
    </Group>
  );
}
