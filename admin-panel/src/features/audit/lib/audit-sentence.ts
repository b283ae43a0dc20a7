/**
 * An audit entry told as a sentence in the reader's language ("olga cancelled the booking of
 * candidate Anna Petrova (@anna) on ср, 2 декабря, 10:00 — reason: ..."), from the entry's action,
 * the names the server joins in (candidate, interview time) and its details. Unknown actions get a
 * neutral sentence; the raw details stay behind the expander.
 */
import type { Schemas } from "@/lib/api-client";
import type { Lang } from "@/lib/i18n";
import type { AuditParts, Dict } from "@/lib/i18n/ru";
import { formatLabel } from "@/lib/labels";
import { dayjs, formatDateTime, formatYmd } from "@/lib/time";

type Entry = Schemas["AuditEntry"];
type Details = Record<string, unknown>;

const str = (v: unknown) => (typeof v === "string" ? v : "");
const num = (v: unknown) => (typeof v === "number" ? v : undefined);

/** "ср, 2 декабря, 10:00" / "Wed, 2 December, 10:00" in the server's zone. */
export function humanDateTime(iso: string, tz: string, lang: Lang): string {
  return dayjs(iso)
    .tz(tz)
    .locale(lang)
    .format(lang === "ru" ? "dd, D MMMM, HH:mm" : "ddd, D MMMM, HH:mm");
}

export function auditParts(e: Entry, t: Dict, lang: Lang, tz: string): AuditParts {
  const d: Details = e.details && typeof e.details === "object" && !Array.isArray(e.details) ? (e.details as Details) : {};
  const name = e.candidate_name?.trim();
  const candidate = name ? `${name}${e.candidate_username ? ` (@${e.candidate_username})` : ""}` : t.audit.aCandidate;
  // A deleted slot is gone from the join; its creation entry still carries the time.
  const startsAt = e.slot_starts_at ?? (str(d.starts_at) || null);
  const segment = d.segment && typeof d.segment === "object" ? (d.segment as { kind?: string; date?: string }) : undefined;
  const kinds = t.broadcasts.segmentKind as Record<string, string>;
  const statuses = t.bookings.status as Record<string, string>;
  const cancelled = Array.isArray(d.cancelled_booking_ids) ? d.cancelled_booking_ids.length : undefined;
  return {
    who: e.admin_username ?? (e.admin_id != null ? t.audit.admin : t.audit.system),
    candidate,
    candidateName: name ? candidate : "",
    when: startsAt ? humanDateTime(startsAt, tz, lang) : "",
    format: str(d.format) ? formatLabel(t, str(d.format)) : "",
    reason: str(d.reason),
    status: statuses[str(d.status)] ?? "",
    segment: segment?.kind ? `${kinds[segment.kind] ?? ""}${segment.date ? ` ${formatYmd(segment.date)}` : ""}` : "",
    sendAt: str(d.send_at) ? `${formatDateTime(str(d.send_at), tz)}` : "",
    username: str(d.username),
    ip: str(d.ip),
    title: str(d.title) || str(d.label) || str(d.display_name),
    kind: str(d.kind),
    // A team member's entries (account.*) carry the login and the role given (`role` or `to`).
    role: (t.roles as Record<string, string>)[str(d.role) || str(d.to)] ?? "",
    member: str(d.username),
    count: num(d.notified) ?? cancelled ?? num(d.created) ?? num(d.cancelled_deliveries) ?? num(d.count),
    skipped: num(d.skipped),
  };
}

export function auditSentence(e: Entry, t: Dict, lang: Lang, tz: string): string {
  const parts = auditParts(e, t, lang, tz);
  const say = Object.hasOwn(t.audit.actions, e.action) ? t.audit.actions[e.action] : undefined;
  return (say ?? t.audit.other)(parts);
}
