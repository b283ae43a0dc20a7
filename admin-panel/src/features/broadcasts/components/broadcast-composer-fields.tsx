/**
 * The composer's fields: the Russian and English texts (tabs) under a formatting toolbar, the
 * button (none, a link, or "Записаться"), the photo (upload with a thumbnail, remove).
 */
import { ActionIcon, Button, FileButton, Group, Image, SegmentedControl, Stack, Tabs, Text, TextInput, Textarea, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useRef } from "react";
import { errorMessage } from "@/components/query-state";
import { useI18n } from "@/lib/i18n";
import { visibleLength } from "@/lib/telegram-html";
import { photoUrl, useUploadPhoto } from "../api/broadcasts";
import { BROADCAST_TEXT_ID } from "../hooks/use-broadcast-lists";
import { textLimit, type ButtonKind, type ComposeForm } from "../hooks/use-broadcast-compose";
import { applyFormat, FORMAT_ACTIONS, isLinkUrl, type FormatAction } from "../lib/format";

export type PreviewLang = "ru" | "en";

/** The Russian text keeps the id the "write the first broadcast" link focuses. */
const areaId = (field: "text" | "textEn") => (field === "text" ? BROADCAST_TEXT_ID : `${BROADCAST_TEXT_ID}-en`);

const ICONS: Record<FormatAction, { label: string; style?: React.CSSProperties }> = {
  bold: { label: "B", style: { fontWeight: 700 } },
  italic: { label: "I", style: { fontStyle: "italic" } },
  underline: { label: "U", style: { textDecoration: "underline" } },
  strike: { label: "S", style: { textDecoration: "line-through" } },
  spoiler: { label: "▒" },
  link: { label: "🔗" },
  code: { label: "</>", style: { fontFamily: "monospace", fontSize: 11 } },
};

/** Wraps the selection of the textarea `field` in the tag of each action. */
function FormatToolbar({ form, field }: { form: ComposeForm; field: "text" | "textEn" }) {
  const { t } = useI18n();
  const apply = (action: FormatAction) => {
    const area = document.getElementById(areaId(field)) as HTMLTextAreaElement | null;
    const value = form.values[field];
    const start = area?.selectionStart ?? value.length;
    const end = area?.selectionEnd ?? value.length;
    let url: string | undefined;
    if (action === "link") {
      url = window.prompt(t.broadcasts.linkPrompt)?.trim();
      if (!url) return;
      if (!isLinkUrl(url)) {
        notifications.show({ color: "red", message: t.broadcasts.badLinkUrl });
        return;
      }
    }
    const edit = applyFormat(value, start, end, action, url);
    form.setFieldValue(field, edit.text);
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(edit.selectionStart, edit.selectionEnd);
    });
  };
  return (
    <Group gap={4} role="toolbar" aria-label={t.broadcasts.formatting}>
      {FORMAT_ACTIONS.map((action) => (
        <Tooltip key={action} label={t.broadcasts.format[action]}>
          <ActionIcon variant="default" size="md" aria-label={t.broadcasts.format[action]} onMouseDown={(e) => e.preventDefault()} onClick={() => apply(action)}>
            <span style={ICONS[action].style}>{ICONS[action].label}</span>
          </ActionIcon>
        </Tooltip>
      ))}
    </Group>
  );
}

/** The two texts, a tab each; `lang` is the tab shown (and previewed). */
export function TextTabs({ form, lang, onLang }: { form: ComposeForm; lang: PreviewLang; onLang: (l: PreviewLang) => void }) {
  const { t } = useI18n();
  const limit = textLimit(form.values);
  const area = (field: "text" | "textEn", label: string, description?: string) => (
    <Stack gap={4}>
      <FormatToolbar form={form} field={field} />
      <Textarea
        id={areaId(field)}
        label={label}
        autosize
        minRows={6}
        maxRows={16}
        description={`${t.broadcasts.length(visibleLength(form.values[field]), limit)}${description ? ` · ${description}` : ""}`}
        {...form.getInputProps(field)}
      />
    </Stack>
  );
  return (
    <Tabs value={lang} onChange={(v) => onLang((v as PreviewLang) ?? "ru")} keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="ru">{t.broadcasts.langRu}</Tabs.Tab>
        <Tabs.Tab value="en">{t.broadcasts.langEn}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="ru" pt="xs">
        {area("text", t.broadcasts.text)}
      </Tabs.Panel>
      <Tabs.Panel value="en" pt="xs">
        {area("textEn", t.broadcasts.textEn, t.broadcasts.textEnHint)}
      </Tabs.Panel>
    </Tabs>
  );
}

/** None, a link (label and URL), or "Записаться" opening the booking in the bot. */
export function ButtonFields({ form }: { form: ComposeForm }) {
  const { t } = useI18n();
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t.broadcasts.button}
      </Text>
      <SegmentedControl
        aria-label={t.broadcasts.button}
        data={(["none", "url", "book"] as ButtonKind[]).map((k) => ({ value: k, label: t.broadcasts.buttonKind[k] }))}
        {...form.getInputProps("buttonKind")}
      />
      {form.values.buttonKind === "url" && (
        <Group grow align="flex-start">
          <TextInput label={t.broadcasts.buttonText} {...form.getInputProps("buttonText")} />
          <TextInput label={t.broadcasts.buttonUrl} placeholder="https://" {...form.getInputProps("buttonUrl")} />
        </Group>
      )}
      {form.values.buttonKind === "book" && (
        <Text size="xs" c="dimmed">
          {t.broadcasts.bookHint}
        </Text>
      )}
    </Stack>
  );
}

/** Upload a photo (JPEG, PNG or WebP up to 10 MB), see its thumbnail, remove it. */
export function PhotoField({ form }: { form: ComposeForm }) {
  const { t } = useI18n();
  const upload = useUploadPhoto();
  const resetRef = useRef<() => void>(null);
  const id = form.values.photoId;
  const onFile = (file: File | null) => {
    if (!file) return;
    upload.mutate(file, {
      onSuccess: (photo) => form.setFieldValue("photoId", photo.id),
      onError: (e) => notifications.show({ color: "red", message: errorMessage(e) }),
      onSettled: () => resetRef.current?.(),
    });
  };
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t.broadcasts.photo}
      </Text>
      {id ? (
        <Group align="flex-start">
          <Image src={photoUrl(id)} alt={t.broadcasts.photo} w={96} h={96} fit="cover" radius="sm" data-testid="photo-thumbnail" />
          <Button variant="subtle" color="red" onClick={() => form.setFieldValue("photoId", null)}>
            {t.broadcasts.removePhoto}
          </Button>
        </Group>
      ) : (
        <FileButton resetRef={resetRef} onChange={onFile} accept="image/jpeg,image/png,image/webp">
          {(props) => (
            <Button {...props} variant="light" loading={upload.isPending} w="fit-content">
              {t.broadcasts.addPhoto}
            </Button>
          )}
        </FileButton>
      )}
      <Text size="xs" c="dimmed">
        {t.broadcasts.photoHint}
      </Text>
    </Stack>
  );
}
