/** Pieces of an invitation link on screen: its t.me address with a copy button, its QR code, its actions. */
import { Anchor, Button, CopyButton, Group, Image, Menu, Modal, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useI18n } from "@/lib/i18n";
import { qrUrl, type LinkView } from "../api/links";

/** The address and a copy button; before the bot's first start, why there is none yet. */
export function LinkAddress({ link }: { link: LinkView }) {
  const { t } = useI18n();
  if (!link.url) {
    return (
      <Text size="xs" c="dimmed" maw={260}>
        {t.links.botNotStarted}
      </Text>
    );
  }
  // The button under the address: beside it, a phone's card would squeeze it to "Ско…".
  return (
    <Stack gap={4} align="flex-start">
      <Anchor href={link.url} target="_blank" rel="noreferrer" size="sm" style={{ wordBreak: "break-all" }} data-testid="link-url">
        {link.url}
      </Anchor>
      <CopyButton value={link.url}>
        {({ copied, copy }) => (
          <Button size="compact-xs" variant={copied ? "filled" : "light"} color={copied ? "teal" : undefined} onClick={copy} aria-label={`${t.links.copy}: ${link.label}`}>
            {copied ? t.links.copied : t.links.copy}
          </Button>
        )}
      </CopyButton>
    </Stack>
  );
}

/** The QR code's preview and its PNG and SVG downloads (none before the bot's first start). */
export function QrButton({ link }: { link: LinkView }) {
  const { t } = useI18n();
  const [opened, setOpened] = useState(false);
  if (!link.url) return null;
  return (
    <>
      <Button size="compact-sm" variant="light" onClick={() => setOpened(true)} aria-label={`${t.links.showQr}: ${link.label}`}>
        {t.links.qr}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t.links.qrTitle(link.label)} centered>
        <Stack align="center">
          <Image src={qrUrl(link.id, "svg")} alt={t.links.qrTitle(link.label)} w={240} h={240} fit="contain" />
          <Text size="sm" ta="center" style={{ overflowWrap: "anywhere" }}>
            {link.url}
          </Text>
          <Group>
            <Button component="a" href={qrUrl(link.id, "png")} download={`qr-${link.code.slice(0, 8)}.png`} variant="light">
              {t.links.qrPng}
            </Button>
            <Button component="a" href={qrUrl(link.id, "svg")} download={`qr-${link.code.slice(0, 8)}.svg`} variant="light">
              {t.links.qrSvg}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

export type LinkActionKind = "revoke" | "delete";

/** Revoke (while it works) and delete, each confirmed by the page. */
export function LinkMenu({ link, onAction }: { link: LinkView; onAction: (link: LinkView, action: LinkActionKind) => void }) {
  const { t } = useI18n();
  return (
    <Menu withinPortal position="bottom-end">
      <Menu.Target>
        <Button size="compact-sm" variant="subtle" aria-label={`${t.links.actions}: ${link.label}`}>
          ⋯
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item color="orange" disabled={link.state === "revoked"} onClick={() => onAction(link, "revoke")}>
          {t.links.revoke}
        </Menu.Item>
        <Menu.Item color="red" onClick={() => onAction(link, "delete")}>
          {t.links.delete}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
