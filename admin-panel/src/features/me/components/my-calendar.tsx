/**
 * "Мой календарь": the account's interviews as a calendar feed. A new link is shown once (with a
 * copy button and how to subscribe); issuing a new one or revoking is confirmed first.
 */
import { Alert, Button, Card, CopyButton, Group, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmModal } from "@/components/confirm";
import { errorMessage, QueryState } from "@/components/query-state";
import { useTimeZone } from "@/components/time-zone";
import { useI18n } from "@/lib/i18n";
import { formatDateTime } from "@/lib/time";
import { calendarFeedQueryOptions, feedUrl, useRegenerateFeed, useRevokeFeed } from "../api/calendar-feed";

export function MyCalendar() {
  const { t } = useI18n();
  const tz = useTimeZone();
  const feed = useQuery(calendarFeedQueryOptions());
  const regenerate = useRegenerateFeed();
  const revoke = useRevokeFeed();
  const [confirm, setConfirm] = useState<"regenerate" | "revoke" | null>(null);
  const onError = (e: unknown) => notifications.show({ color: "red", message: errorMessage(e) });
  const issue = () => regenerate.mutate(undefined, { onSuccess: () => setConfirm(null), onError });
  const shown = regenerate.data ? feedUrl(regenerate.data.path) : null;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={4}>{t.myCalendar.title}</Title>
        <Text size="sm">{t.myCalendar.help}</Text>
        <QueryState query={feed}>
          {(state) => (
            <>
              {shown ? (
                <Alert color="green" title={t.myCalendar.urlTitle}>
                  <Stack gap="xs">
                    <Text size="sm" ff="monospace" data-testid="calendar-feed-url" style={{ overflowWrap: "anywhere" }}>
                      {shown}
                    </Text>
                    <CopyButton value={shown}>
                      {({ copied, copy }) => (
                        <Button size="xs" w="fit-content" variant={copied ? "filled" : "light"} color={copied ? "teal" : undefined} onClick={copy}>
                          {copied ? t.team.copied : t.team.copy}
                        </Button>
                      )}
                    </CopyButton>
                    <Text size="xs">{t.myCalendar.urlOnce}</Text>
                    <Text size="xs">{t.myCalendar.how}</Text>
                  </Stack>
                </Alert>
              ) : (
                <Text size="sm" c="dimmed">
                  {state.active && state.created_at ? t.myCalendar.active(formatDateTime(state.created_at, tz)) : t.myCalendar.none}
                </Text>
              )}
              <Group gap="xs">
                {state.active ? (
                  <>
                    <Button variant="light" onClick={() => setConfirm("regenerate")}>
                      {t.myCalendar.regenerate}
                    </Button>
                    <Button variant="subtle" color="red" onClick={() => setConfirm("revoke")}>
                      {t.myCalendar.revoke}
                    </Button>
                  </>
                ) : (
                  <Button loading={regenerate.isPending} onClick={issue}>
                    {t.myCalendar.create}
                  </Button>
                )}
              </Group>
            </>
          )}
        </QueryState>
      </Stack>
      <ConfirmModal
        opened={confirm === "regenerate"}
        title={t.myCalendar.regenerateTitle}
        confirmLabel={t.myCalendar.regenerate}
        cancelLabel={t.myCalendar.keepOld}
        color="orange"
        loading={regenerate.isPending}
        onClose={() => setConfirm(null)}
        onConfirm={issue}
      >
        <Text size="sm">{t.myCalendar.regenerateHint}</Text>
      </ConfirmModal>
      <ConfirmModal
        opened={confirm === "revoke"}
        title={t.myCalendar.revokeTitle}
        confirmLabel={t.myCalendar.revoke}
        cancelLabel={t.myCalendar.keep}
        loading={revoke.isPending}
        onClose={() => setConfirm(null)}
        onConfirm={() =>
          revoke.mutate(undefined, {
            onSuccess: () => {
              setConfirm(null);
              regenerate.reset();
              notifications.show({ message: t.myCalendar.revoked });
            },
            onError,
          })
        }
      >
        <Text size="sm">{t.myCalendar.revokeHint}</Text>
      </ConfirmModal>
    </Card>
  );
}
