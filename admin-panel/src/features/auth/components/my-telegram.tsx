/**
 * "Send to me": a test send to the admin's own Telegram, once they linked it with a one-time link
 * from here (the bot binds the first account that opens it).
 */
import { ActionIcon, Alert, Anchor, Button, CopyButton, Group, Menu, Modal, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { errorMessage } from "@/components/query-state";
import { useTimeZone } from "@/components/time-zone";
import { ApiError } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { formatTime } from "@/lib/time";
import { myTelegramQueryOptions, useTelegramLinkOffer, useUnlinkTelegram } from "../api/telegram-link";

type Props = {
  /** Sends the test to the linked account (its candidate id). */
  onSend: (candidateId: number) => void;
  disabled?: boolean;
  loading?: boolean;
};

export function SendToMe({ onSend, disabled, loading }: Props) {
  const { t } = useI18n();
  const [linking, setLinking] = useState(false);
  // While a link is open, watch for the admin pressing "Start" in the bot.
  const me = useQuery({
    ...myTelegramQueryOptions(),
    refetchInterval: (q) => (linking && !q.state.data?.linked ? 2000 : false),
  });
  const unlink = useUnlinkTelegram();
  const linked = me.data?.linked;
  const justLinked = linking && Boolean(linked);
  useEffect(() => {
    if (justLinked) notifications.show({ color: "green", message: t.myTelegram.linked });
  }, [justLinked, t]);
  if (!me.data) return null;
  if (!linked) {
    return (
      <>
        <Button variant="subtle" onClick={() => setLinking(true)}>
          {t.myTelegram.link}
        </Button>
        <LinkModal opened={linking} onClose={() => setLinking(false)} />
      </>
    );
  }
  const name = linked.username ? `@${linked.username}` : [linked.first_name, linked.last_name].filter(Boolean).join(" ");
  return (
    <Group gap={4} wrap="nowrap">
      <Button variant="light" disabled={disabled} loading={loading} onClick={() => onSend(linked.candidate_id)}>
        {t.myTelegram.sendToMe(name)}
      </Button>
      <Menu position="bottom-end">
        <Menu.Target>
          <ActionIcon variant="subtle" aria-label={t.myTelegram.unlink}>
            ⋯
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item
            onClick={() =>
              unlink.mutate(undefined, {
                onSuccess: () => {
                  setLinking(false);
                  notifications.show({ message: t.myTelegram.unlinked });
                },
                onError: (e) => notifications.show({ color: "red", message: errorMessage(e) }),
              })
            }
          >
            {t.myTelegram.unlink}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}

/** The one-time link to the bot; `help` says what linking gives (test sends by default). */
export function LinkModal({ opened, onClose, help }: { opened: boolean; onClose: () => void; help?: string }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const offer = useTelegramLinkOffer();
  const { mutate, reset } = offer;
  useEffect(() => {
    if (opened) mutate();
    else reset();
  }, [opened, mutate, reset]);
  const error = offer.error;
  return (
    <Modal opened={opened} onClose={onClose} title={t.myTelegram.linkTitle}>
      <Stack>
        {error ? (
          <Alert color="red" role="alert">
            {error instanceof ApiError && error.code === "bot_not_started" ? t.myTelegram.botNotStarted : errorMessage(error)}
          </Alert>
        ) : (
          <>
            <Text size="sm">{help ?? t.myTelegram.linkHelp}</Text>
            {offer.data && (
              <>
                <Group>
                  <Button component="a" href={offer.data.url} target="_blank" rel="noreferrer">
                    {t.myTelegram.open}
                  </Button>
                  <CopyButton value={offer.data.url}>
                    {({ copied, copy }) => (
                      <Button variant="default" onClick={copy}>
                        {copied ? t.myTelegram.copied : t.myTelegram.copy}
                      </Button>
                    )}
                  </CopyButton>
                </Group>
                <Anchor size="xs" href={offer.data.url} target="_blank" rel="noreferrer" style={{ wordBreak: "break-all" }}>
                  {offer.data.url}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {t.myTelegram.expires(formatTime(offer.data.expires_at, tz))} {t.myTelegram.waiting}
                </Text>
              </>
            )}
          </>
        )}
      </Stack>
    </Modal>
  );
}
