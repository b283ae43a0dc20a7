/**
 * Composing a broadcast: its values and checks, the draft kept in localStorage, the recipient count
 * of the chosen segment, and sending (after the caller's confirmation).
 */
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import type { Dict } from "@/lib/i18n/ru";
import { MAX_VISIBLE_LEN, visibleLength } from "@/lib/telegram-html";
import { dayjs, localToIso } from "@/lib/time";
import { recipientsQueryOptions, useCreateBroadcast } from "../api/broadcasts";

type Kind = Schemas["Segment"]["kind"];
export const SEGMENT_KINDS: Kind[] = ["all", "upcoming_booking", "never_booked", "booked_on", "attended", "no_show"];

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

export function useBroadcastCompose(onCreated: (b: Schemas["BroadcastView"]) => void) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const create = useCreateBroadcast();
  const [confirming, setConfirming] = useState(false);
  const form = useForm<ComposeValues>({
    initialValues: loadDraft(),
    validate: (v) => validateCompose(v, tz, t),
    onValuesChange: (values) => window.localStorage.setItem(DRAFT_KEY, JSON.stringify(values)),
  });
  const v = form.values;
  const segment = toSegment(v);
  const recipients = useQuery({ ...recipientsQueryOptions(segment ?? { kind: "all" }), enabled: segment !== null });
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
  const submit = form.onSubmit(() => setConfirming(true));
  return { form, segment, recipients, count: recipients.data?.count, create, send, submit, confirming, setConfirming };
}

export type ComposeForm = ReturnType<typeof useBroadcastCompose>["form"];
