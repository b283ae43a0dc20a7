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
import { MAX_CAPTION_LEN, MAX_VISIBLE_LEN, visibleLength } from "@/lib/telegram-html";
import { dayjs, localToIso } from "@/lib/time";
import { recipientsQueryOptions, useCreateBroadcast } from "../api/broadcasts";
import { isButtonUrl } from "../lib/format";

type Kind = Schemas["Segment"]["kind"];
export const SEGMENT_KINDS: Kind[] = ["all", "upcoming_booking", "never_booked", "booked_on", "attended", "no_show", "vacancy", "source", "answered_never_booked"];

export type ButtonKind = "none" | "url" | "book";

export type ComposeValues = {
  title: string;
  text: string;
  textEn: string;
  buttonKind: ButtonKind;
  buttonText: string;
  buttonUrl: string;
  photoId: number | null;
  kind: Kind;
  date: string;
  /** "By vacancy" (required) and "answered, never booked" (`null`: any vacancy). */
  vacancyId: number | null;
  /** "By source": the invitation link. */
  linkId: number | null;
  sendDate: string;
  sendTime: string;
};

export const MAX_TITLE_LEN = 80;
export const MAX_BUTTON_TEXT_LEN = 64;

/** The limit on each text: a caption's with a photo, a message's without. */
export const textLimit = (v: Pick<ComposeValues, "photoId">) => (v.photoId ? MAX_CAPTION_LEN : MAX_VISIBLE_LEN);

/** What the broadcast sends, as the API takes it (the create body and the test send share it). */
export function toContent(v: ComposeValues) {
  const button: Schemas["BroadcastButton"] | null =
    v.buttonKind === "url"
      ? { kind: "url", text: v.buttonText.trim(), url: v.buttonUrl.trim() }
      : v.buttonKind === "book"
        ? { kind: "book" }
        : null;
  return { text: v.text, text_en: v.textEn.trim() ? v.textEn : null, button, photo_id: v.photoId };
}

export function toSegment(v: Pick<ComposeValues, "kind" | "date" | "vacancyId" | "linkId">): Schemas["Segment"] | null {
  switch (v.kind) {
    case "booked_on":
      return /^\d{4}-\d{2}-\d{2}$/.test(v.date) ? { kind: "booked_on", date: v.date } : null;
    case "vacancy":
      return v.vacancyId === null ? null : { kind: "vacancy", vacancy_id: v.vacancyId };
    case "source":
      return v.linkId === null ? null : { kind: "source", link_id: v.linkId };
    case "answered_never_booked":
      return { kind: "answered_never_booked", vacancy_id: v.vacancyId };
    default:
      return { kind: v.kind };
  }
}

export function validateCompose(v: ComposeValues, tz: string, t: Dict, now = new Date()) {
  const e: Partial<Record<keyof ComposeValues, string>> = {};
  const limit = textLimit(v);
  if (!v.text.trim()) e.text = t.broadcasts.emptyText;
  else if (visibleLength(v.text) > limit) e.text = t.broadcasts.tooLong(limit);
  if (v.textEn.trim() && visibleLength(v.textEn) > limit) e.textEn = t.broadcasts.tooLong(limit);
  if (v.title.trim().length > MAX_TITLE_LEN) e.title = t.broadcasts.titleTooLong(MAX_TITLE_LEN);
  if (v.buttonKind === "url") {
    if (!v.buttonText.trim()) e.buttonText = t.common.required;
    else if (v.buttonText.trim().length > MAX_BUTTON_TEXT_LEN) e.buttonText = t.broadcasts.buttonTextTooLong(MAX_BUTTON_TEXT_LEN);
    if (!isButtonUrl(v.buttonUrl)) e.buttonUrl = t.broadcasts.badButtonUrl;
  }
  if (v.kind === "booked_on" && !/^\d{4}-\d{2}-\d{2}$/.test(v.date)) e.date = t.common.required;
  if (v.kind === "vacancy" && v.vacancyId === null) e.vacancyId = t.broadcasts.pickVacancy;
  if (v.kind === "source" && v.linkId === null) e.linkId = t.broadcasts.pickLink;
  if (v.sendDate || v.sendTime) {
    if (!v.sendDate) e.sendDate = t.common.required;
    else if (!/^\d{2}:\d{2}$/.test(v.sendTime)) e.sendTime = t.common.required;
    else if (dayjs(localToIso(v.sendDate, v.sendTime, tz)).isBefore(now)) e.sendTime = t.broadcasts.sendAtPast;
  }
  return e;
}

/** Where an unsent draft is kept, so an expired session or a reload does not lose it. */
export const DRAFT_KEY = "broadcast-draft";
export const EMPTY: ComposeValues = {
  title: "",
  text: "",
  textEn: "",
  buttonKind: "none",
  buttonText: "",
  buttonUrl: "",
  photoId: null,
  kind: "all",
  date: "",
  vacancyId: null,
  linkId: null,
  sendDate: "",
  sendTime: "",
};

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
      {
        title: v.title.trim() || null,
        ...toContent(v),
        segment: segment!,
        send_at: v.sendDate ? localToIso(v.sendDate, v.sendTime, tz) : null,
      },
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
