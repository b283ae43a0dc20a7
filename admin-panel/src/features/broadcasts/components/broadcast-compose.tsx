/** Compose a broadcast: segment with its recipient count, Telegram preview, test send, optional send time. */
import { Alert, Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmModal } from "@/components/confirm";
import { errorMessage } from "@/components/query-state";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import type { Dict } from "@/lib/i18n/ru";
import { MAX_VISIBLE_LEN, TelegramPreview, visibleLength } from "@/lib/telegram-html";
import { dayjs, localToIso } from "@/lib/time";
import { recipientsQueryOptions, useCreateBroadcast, useTestSend } from "../api/broadcasts";

type Kind = Schemas["Segment"]["kind"];
const KINDS: Kind[] = ["all", "upcoming_booking", "never_booked", "booked_on", "attended", "no_show"];

export type ComposeValues = { text: string; kind: Kind; date: string; sendDate: string; sendTime: string };

export function toSegment(v: Pick<ComposeValues, "kind" | "date">): Schemas["Segment"] | null {
  if (v.kind === "booked_on") return /^\d{4}-\d{2}-\d{2}$/.test(v.date) ? { kind: "booked_on", date: v.date } : null;
  return { kind: v.kind } as Schemas["Segment"];
}

export function validateCompose(v: ComposeValues, tz: string, t: Dict, now = new Date()) {
  const e: Partial<Record<keyof ComposeValues, string>> = {};
  if (!v.text.trim()) e.text = t.broadcasts.emptyText;
  else if (visibleLength(v.text) > MAX_VISIBLE_LEN) e.text = t.broadcasts.tooLong(MAX_VISIBLE_LEN);
  if (v.kind === "booked_on" && !/^\d{4}-\d{2}-\d{2}$/.test(v.date)) e.date = t.common.required;
  if (v.sendDate || v.sendTime) {
    if (!v.sendDate) e.sendDate = t.common.required;
    else if (!/^\d{2}:\d{2}$/.test(v.sendTime)) e.sendTime = t.common.required;
    else if (dayjs(localToIso(v.sendDate, v.sendTime, tz)).isBefore(now)) e.sendTime = t.broadcasts.sendAtPast;
  }
  return e;
}

/** Where an unsent draft is kept, so an expired session or a reload does not lose it. */
export const DRAFT_KEY = "broadcast-draft";
const EMPTY: ComposeValues = { text: "", kind: "all", date: "", sendDate: "", sendTime: "" };

function loadDraft(): ComposeValues {
  try {
    const saved = window.localStorage.getItem(DRAFT_KEY);
    return saved ? { ...EMPTY, ...(JSON.parse(saved) as Partial<ComposeValues>) } : EMPTY;
  } catch {
    return EMPTY;
  }
}

export function BroadcastCompose({ onCreated }: { onCreated: (b: Schemas["BroadcastView"]) => void }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const create = useCreateBroadcast();
  const testSend = useTestSend();
  const [confirming, setConfirming] = useState(false);
  const [testId, setTestId] = useState<number | string>("");
  const form = useForm<ComposeValues>({
    initialValues: loadDraft(),
    validate: (v) => validateCompose(v, tz, t),
    onValuesChange: (values) => window.localStorage.setItem(DRAFT_KEY, JSON.stringify(values)),
  });
  const segment = toSegment(form.values);
  const recipients = useQuery({ ...recipientsQueryOptions(segment ?? { kind: "all" }), enabled: segment !== null });
  const count = recipients.data?.count;
  const length = visibleLength(form.values.text);
  const v = form.values;
  const send = () =>
    create.mutate(
      { text: v.text, segment: segment!, send_at: v.sendDate ? localToIso(v.sendDate, v.sendTime, tz) : null },
      {
        onSuccess: (b) => {
          setConfirming(false);
          notifications.show({ color: "green", message: t.broadcasts.sent });
          form.setValues(EMPTY);
          window.localStorage.removeItem(DRAFT_KEY);
          onCreated(b);
        },
        onError: () => setConfirming(false),
      },
    );
  return (
    <form noValidate onSubmit={form.onSubmit(() => setConfirming(true))}>
      <Stack>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Stack>
            <Textarea
              label={t.broadcasts.text}
              autosize
              minRows={6}
              maxRows={16}
              description={t.broadcasts.length(length, MAX_VISIBLE_LEN)}
              {...form.getInputProps("text")}
            />
            <Group grow align="flex-start">
              <Select label={t.broadcasts.segment} allowDeselect={false} data={KINDS.map((k) => ({ value: k, label: t.broadcasts.segmentKind[k] }))} {...form.getInputProps("kind")} />
              {v.kind === "booked_on" && <TextInput type="date" label={`${t.broadcasts.date} (${tz})`} {...form.getInputProps("date")} />}
            </Group>
            <Text size="sm" data-testid="recipient-count" c={count === 0 ? "red" : undefined}>
              {segment === null ? "—" : recipients.isError ? errorMessage(recipients.error) : count === undefined ? t.common.loading : t.broadcasts.recipients(count)}
            </Text>
            <Group grow align="flex-start">
              <TextInput type="date" label={`${t.broadcasts.sendAt} (${tz})`} {...form.getInputProps("sendDate")} />
              <TextInput type="time" label={t.slots.time} {...form.getInputProps("sendTime")} />
            </Group>
          </Stack>
          <Card withBorder bg="var(--mantine-color-blue-0)">
            <Text size="xs" c="dimmed" mb="xs">
              {t.broadcasts.preview}
            </Text>
            <Card radius="lg" p="sm" shadow="xs" data-testid="telegram-preview" style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
              <TelegramPreview html={v.text} />
            </Card>
          </Card>
        </SimpleGrid>
        {create.error && (
          <Alert color="red" role="alert">
            {errorMessage(create.error)}
          </Alert>
        )}
        <Group justify="space-between" align="flex-end">
          <Group align="flex-end" gap="xs">
            <NumberInput w={140} label={t.broadcasts.testCandidate} min={1} value={testId} onChange={setTestId} />
            <Button
              variant="light"
              loading={testSend.isPending}
              disabled={!testId || !v.text.trim() || length > MAX_VISIBLE_LEN}
              onClick={() =>
                testSend.mutate(
                  { candidate_id: Number(testId), text: v.text },
                  {
                    onSuccess: () => notifications.show({ color: "green", message: t.broadcasts.testSent }),
                    onError: (e) => notifications.show({ color: "red", message: errorMessage(e) }),
                  },
                )
              }
            >
              {t.broadcasts.testSend}
            </Button>
          </Group>
          <Button type="submit" disabled={segment === null || count === undefined || count === 0}>
            {v.sendDate ? t.broadcasts.schedule : t.broadcasts.send(count ?? 0)}
          </Button>
        </Group>
      </Stack>
      <ConfirmModal
        opened={confirming}
        title={t.broadcasts.compose}
        confirmLabel={v.sendDate ? t.broadcasts.schedule : t.broadcasts.send(count ?? 0)}
        color="indigo"
        loading={create.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={send}
      >
        <Text>{t.broadcasts.sendConfirm(count ?? 0)}</Text>
        {v.sendDate && (
          <Text size="sm">
            {v.sendDate} {v.sendTime} ({tz})
          </Text>
        )}
      </ConfirmModal>
    </form>
  );
}
