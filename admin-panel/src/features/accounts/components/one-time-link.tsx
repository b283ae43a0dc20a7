/** A set-password link shown once, right after it was issued: the address, a copy button, how long it works. */
import { Alert, Button, CopyButton, Modal, Stack, Text } from "@mantine/core";
import { useTimeZone } from "@/components/time-zone";
import { useI18n } from "@/lib/i18n";
import { formatDateTime } from "@/lib/time";
import { setPasswordUrl, type SetPasswordLink } from "../api/accounts";

export const accountName = (a: { display_name?: string | null; username: string }) => a.display_name?.trim() || a.username;

export function OneTimeLinkModal({ link, onClose }: { link: SetPasswordLink | null; onClose: () => void }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const url = link ? setPasswordUrl(link.token) : "";
  return (
    <Modal opened={link !== null} onClose={onClose} title={link ? t.team.linkTitle(accountName(link.account)) : ""} centered>
      {link && (
        <Stack>
          <Text size="sm">{t.team.linkHelp}</Text>
          <Text size="sm" ff="monospace" data-testid="set-password-link" style={{ overflowWrap: "anywhere" }}>
            {url}
          </Text>
          <CopyButton value={url}>
            {({ copied, copy }) => (
              <Button variant={copied ? "filled" : "light"} color={copied ? "teal" : undefined} onClick={copy}>
                {copied ? t.team.copied : t.team.copy}
              </Button>
            )}
          </CopyButton>
          <Alert color="yellow">
            {t.team.linkOnce} {t.team.linkUntil(formatDateTime(link.expires_at, tz))}
          </Alert>
          <Button variant="default" onClick={onClose}>
            {t.team.done}
          </Button>
        </Stack>
      )}
    </Modal>
  );
}
