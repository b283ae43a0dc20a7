/** Times are stored in UTC and shown in the server's zone (named on screen). */
import dayjs from "dayjs";
import utc from "dayjs/plugin/utc";
import timezone from "dayjs/plugin/timezone";
import customParseFormat from "dayjs/plugin/customParseFormat";
// Month and weekday names for the panel's languages (Mantine dates and our own labels).
import "dayjs/locale/ru";
import "dayjs/locale/en";
import { dictionaries, type Lang } from "./i18n";

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(customParseFormat);

export { dayjs };

export const formatDateTime = (iso: string, tz: string) => dayjs(iso).tz(tz).format("DD.MM.YYYY HH:mm");
export const formatDate = (iso: string, tz: string) => dayjs(iso).tz(tz).format("DD.MM.YYYY");
export const formatTime = (iso: string, tz: string) => dayjs(iso).tz(tz).format("HH:mm");
/** `YYYY-MM-DD` of an instant in the zone. */
export const localDate = (iso: string | Date, tz: string) => dayjs(iso).tz(tz).format("YYYY-MM-DD");
/** A local `YYYY-MM-DD` as people read it: `DD.MM.YYYY`. */
export const formatYmd = (ymd: string) => dayjs(ymd, "YYYY-MM-DD").format("DD.MM.YYYY");
export const todayIn = (tz: string) => dayjs().tz(tz).format("YYYY-MM-DD");

/** A wall-clock date and time in `tz` as a UTC RFC 3339 instant. */
export function localToIso(date: string, time: string, tz: string): string {
  return dayjs.tz(`${date} ${time}`, tz).toISOString();
}

/** Monday of the week that holds `date` (`YYYY-MM-DD`). */
export function mondayOf(date: string): string {
  const d = dayjs(date);
  const shift = (d.day() + 6) % 7;
  return d.subtract(shift, "day").format("YYYY-MM-DD");
}

export const addDays = (date: string, days: number) => dayjs(date).add(days, "day").format("YYYY-MM-DD");

/** The instant at local midnight starting `date` in `tz`. */
export const startOfLocalDay = (date: string, tz: string) => localToIso(date, "00:00", tz);

/** `UTC+5`, `UTC+5:30`, `UTC-3:30`, `UTC`: an offset from UTC in minutes as people write it. */
function utcOffsetLabel(minutes: number): string {
  if (minutes === 0) return "UTC";
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  const mm = abs % 60;
  return `UTC${sign}${Math.floor(abs / 60)}${mm ? `:${String(mm).padStart(2, "0")}` : ""}`;
}

/** The zone's own city from its IANA id, in English: `America/New_York` -> "New York". */
function ianaCity(tz: string): string | null {
  const [area, ...rest] = tz.split("/");
  if (rest.length === 0 || area === "Etc") return null;
  return rest.at(-1)!.replaceAll("_", " ");
}

const placeNames = new Map<string, string | null>();

/**
 * Where a zone is, in `lang`. English: the city of the IANA id. Other languages: ICU's generic
 * short name, which is the city ("Екатеринбург", "Нью-Йорк") or, for a country's only zone, the
 * country ("Германия"); the IANA city when the browser has no such name (only an offset).
 */
function placeName(tz: string, lang: Lang): string | null {
  const key = `${lang} ${tz}`;
  if (placeNames.has(key)) return placeNames.get(key)!;
  let name = ianaCity(tz);
  if (name && lang !== "en") {
    try {
      const part = new Intl.DateTimeFormat(lang, { timeZone: tz, timeZoneName: "shortGeneric" })
        .formatToParts(new Date())
        .find((p) => p.type === "timeZoneName")?.value;
      if (part && !/^(GMT|UTC)/.test(part)) name = part;
    } catch {
      // an old browser or an unknown zone: the IANA city
    }
  }
  placeNames.set(key, name);
  return name;
}

type ZoneParts = { place: string | null; offset: string } | { named: string } | { unknown: string };

function zoneParts(tz: string, lang: Lang, at: Date | string): ZoneParts {
  if (tz === "Europe/Moscow") return { named: dictionaries[lang].zones.moscow };
  try {
    // A local day (`YYYY-MM-DD`) is taken at its noon in the zone, clear of any DST change.
    const day = typeof at === "string" && /^\d{4}-\d{2}-\d{2}$/.test(at);
    const instant = day ? dayjs.tz(`${at} 12:00`, tz) : dayjs(at);
    const offset = utcOffsetLabel((instant.isValid() ? instant : dayjs()).tz(tz).utcOffset());
    return { place: placeName(tz, lang), offset };
  } catch {
    return { unknown: tz }; // not a zone this browser knows: its id is all there is to show
  }
}

/**
 * An IANA zone as a person names it, in the panel's language: `Europe/Moscow` is "московское
 * время" / "Moscow time"; any other zone is its place and its offset from UTC at `at` (DST moves
 * it: Berlin is UTC+1 in winter and UTC+2 in summer), e.g. "Екатеринбург (UTC+5)". `at` is an
 * instant or a local day in the zone (now by default).
 */
export function zoneName(tz: string, lang: Lang, at: Date | string = new Date()): string {
  const z = zoneParts(tz, lang, at);
  if ("named" in z) return z.named;
  if ("unknown" in z) return z.unknown;
  return z.place ? `${z.place} (${z.offset})` : z.offset;
}

/**
 * The zone in brackets, to write after a time or a field's name without nesting brackets:
 * "(московское время)", "(Екатеринбург, UTC+5)".
 */
export function zoneAside(tz: string, lang: Lang, at: Date | string = new Date()): string {
  const z = zoneParts(tz, lang, at);
  if ("named" in z) return `(${z.named})`;
  if ("unknown" in z) return `(${z.unknown})`;
  return `(${z.place ? `${z.place}, ` : ""}${z.offset})`;
}
