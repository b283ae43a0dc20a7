/**
 * "Мой Telegram" on the profile (every role): which Telegram account is linked, a one-time link
 * to link one (the bot then writes to the team member about their interviews), unlinking.
 */
import { Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ConfirmModal } from "@/components/confirm";
import { errorMessage, QueryState } from "@/components/query-state";
import { myTelegramQueryOptions, useUnlinkTelegram } from "@/features/auth/api/telegram-link";
import { LinkModal } from "@/features/auth/components/my-telegram";
import { useI18n } from "@/lib/i18n";

export function MyTelegramCard() {
  const { t } = useI18n();
  const [linking, setLinking] = useState(false);
  const [unlinking, setUnlinking] = useState(false);
  // While the link is open, watch for "Start" pressed in the bot.
  const me = useQuery({ ...myTelegramQueryOptions(), refetchInterval: (q) => (linking && !q.state.data?.linked ? 2000 : false) });
  const unlink = useUnlinkTelegram();
  const justLinked = linking && Boolean(me.data?.linked);
  useEffect(() => {
    if (justLinked) notifications.show({ color: "green", message: t.myTelegram.linked });
  }, [justLinked, t]);
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={4}>{t.profileTelegram.title}</Title>
        <Text size="sm">{t.profileTelegram.help}</Text>
        <QueryState query={me}>
          {({ linked }) => {
            const name = linked ? (linked.username ? `@${linked.username}` : [linked.first_name, linked.last_name].filter(Boolean).join(" ")) : "";
            return (
              <Group justify="space-between">
                <Text size="sm" c={linked ? undefined : "dimmed"}>
                  {linked ? t.profileTelegram.linked(name) : t.profileTelegram.none}
                </Text>
                {linked ? (
                  <Button variant="subtle" color="red" onClick={() => setUnlinking(true)}>
                    {t.profileTelegram.unlink}
                  </Button>
                ) : (
                  <Button onClick={() => setLinking(true)}>{t.profileTelegram.link}</Button>
                )}
              </Group>
            );
          }}
        </QueryState>
      </Stack>
      {/* Linked: the dialog closes by itself. */}
      <LinkModal opened={linking && !me.data?.linked} onClose={() => setLinking(false)} help={t.profileTelegram.help} />
      <ConfirmModal
        opened={unlinking}
        title={t.profileTelegram.unlinkTitle}
        confirmLabel={t.profileTelegram.unlink}
        cancelLabel={t.profileTelegram.keep}
        loading={unlink.isPending}
        onClose={() => setUnlinking(false)}
        onConfirm={() =>
          unlink.mutate(undefined, {
            onSuccess: () => {
              setUnlinking(false);
              setLinking(false);
              notifications.show({ message: t.myTelegram.unlinked });
            },
            onError: (e) => notifications.show({ color: "red", message: errorMessage(e) }),
          })
        }
      >
        <Text size="sm">{t.profileTelegram.unlinkHint}</Text>
      </ConfirmModal>
    </Card>
  );
}
