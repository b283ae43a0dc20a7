/** Compose a broadcast: segment with its recipient count, Telegram preview, test send, optional send time. */
import { Alert, Button, Group, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { DateField, TimeField } from "@/components/date-fields";
import { ConfirmModal } from "@/components/confirm";
import { errorMessage } from "@/components/query-state";
import { useZoneAside } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { defaultTitle } from "@/lib/telegram-html";
import { formatYmd } from "@/lib/time";
import { useBroadcastCompose } from "../hooks/use-broadcast-compose";
import { MAX_TITLE_LEN } from "../hooks/use-broadcast-compose";
import { AudienceFields, ComposePreview, TestSend } from "./broadcast-compose-parts";
import { ButtonFields, PhotoField, TextTabs, type PreviewLang } from "./broadcast-composer-fields";

export function BroadcastCompose({ onCreated }: { onCreated: (b: Schemas["BroadcastView"]) => void }) {
  const { t } = useI18n();
  const { form, segment, recipients, count, create, send, submit, confirming, setConfirming } = useBroadcastCompose(onCreated);
  const v = form.values;
  const zoneAside = useZoneAside(v.sendDate);
  const sendLabel = v.sendDate ? t.broadcasts.schedule : t.broadcasts.send(count ?? 0);
  const [lang, setLang] = useState<PreviewLang>("ru");
  return (
    <form noValidate onSubmit={submit}>
      <Stack>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Stack>
            <TextInput
              label={t.broadcasts.titleLabel}
              placeholder={defaultTitle(v.text) || undefined}
              description={t.broadcasts.titleHint(MAX_TITLE_LEN)}
              {...form.getInputProps("title")}
            />
            <TextTabs form={form} lang={lang} onLang={setLang} />
            <PhotoField form={form} />
            <ButtonFields form={form} />
            <AudienceFields form={form} segment={segment} recipients={recipients} />
            <Group grow align="flex-start">
              <DateField label={`${t.broadcasts.sendAt} ${zoneAside}`} {...form.getInputProps("sendDate")} />
              <TimeField label={t.slots.time} {...form.getInputProps("sendTime")} />
            </Group>
          </Stack>
          <ComposePreview values={v} lang={lang} />
        </SimpleGrid>
        {create.error && (
          <Alert color="red" role="alert">
            {errorMessage(create.error)}
          </Alert>
        )}
        <Group justify="space-between" align="flex-end">
          <TestSend values={v} />
          <Button type="submit" disabled={segment === null || count === undefined || count === 0}>
            {sendLabel}
          </Button>
        </Group>
      </Stack>
      <ConfirmModal
        opened={confirming}
        title={t.broadcasts.compose}
        confirmLabel={sendLabel}
        cancelLabel={t.broadcasts.notYet}
        color="indigo"
        loading={create.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={send}
      >
        <Text>{t.broadcasts.sendConfirm(count ?? 0)}</Text>
        {v.sendDate && (
          <Text size="sm">
            {formatYmd(v.sendDate)} {v.sendTime} {zoneAside}
          </Text>
        )}
      </ConfirmModal>
    </form>
  );
}
