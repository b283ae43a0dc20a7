/**
 * Labels for values the server sends as codes, so no internal value reaches a person: interview
 * formats (a known code or the recruiter's own words), slot statuses and the dashboard chart's days.
 */
import type { Schemas } from "./api-client";
import type { Lang } from "./i18n";
import type { Dict } from "./i18n/ru";
import { dayjs } from "./time";

/** The interview formats the panel and the bot know by code; any other format is the recruiter's own text. */
export const KNOWN_FORMATS = ["online", "offline", "phone"] as const satisfies readonly (keyof Dict["formats"])[];
export type KnownFormat = (typeof KNOWN_FORMATS)[number];

export const isKnownFormat = (format: string): format is KnownFormat => (KNOWN_FORMATS as readonly string[]).includes(format);

/** `online`/`offline`/`phone` in the reader's language; anything else is the recruiter's own text. */
export function formatLabel(t: Dict, format: string): string {
  const known = t.formats as Record<string, string>;
  return (Object.hasOwn(known, format) ? known[format] : undefined) ?? format;
}

/** The format and, when there is one, the place or link: "онлайн · https://…". */
export const formatWithLocation = (t: Dict, format: string, location?: string | null) =>
  `${formatLabel(t, format)}${location ? ` · ${location}` : ""}`;

/** A slot's status as people read it: an open slot with every place taken is full. */
export type SlotShownStatus = Schemas["SlotStatus"] | "full";

export const slotShownStatus = (slot: { status: Schemas["SlotStatus"]; booked: number; capacity: number }): SlotShownStatus =>
  slot.status === "open" && slot.booked >= slot.capacity ? "full" : slot.status;

/** "открыт", "заполнен", "отменён", "удалён" / "open", "full", ... */
export const slotStatusLabel = (t: Dict, slot: { status: Schemas["SlotStatus"]; booked: number; capacity: number }) =>
  t.slots.status[slotShownStatus(slot)];

/** A chart's day label: "пн, 23 нояб." / "Mon, 23 Nov" (never "11-23"). */
export const dayLabel = (ymd: string, lang: Lang) =>
  // dayjs's short Russian weekdays are "пнд"; the minimal ones ("пн") are what people write.
  dayjs(ymd, "YYYY-MM-DD").locale(lang).format(lang === "ru" ? "dd, D MMM" : "ddd, D MMM");

/** The bookings-per-day chart's rows, in date order, labelled in the reader's language. */
export function perDayRows(perDay: Record<string, number>, lang: Lang): { day: string; n: number }[] {
  return Object.entries(perDay)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, n]) => ({ day: dayLabel(day, lang), n }));
}

/** A reply's delivery status as a recruiter reads it: "в очереди", "отправлено", "ошибка"… */
export const replyStatusLabel = (t: Dict, status: Schemas["DeliveryStatus"]) => t.inbox.status[status];

/** What a conversation message carries, as a short line: its text, or "📷 Фото" / "📎 cv.pdf". */
export function messagePreview(
  t: Dict,
  m: { text?: string | null; attachment_kind?: Schemas["AttachmentKind"] | null; file_name?: string | null },
): string {
  const attachment =
    m.attachment_kind === "photo" ? t.inbox.photo : m.attachment_kind === "document" ? (m.file_name ? `📎 ${m.file_name}` : t.inbox.document) : "";
  return [attachment, m.text ?? ""].filter(Boolean).join(" ");
}
