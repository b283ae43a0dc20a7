/** Times are stored in UTC and shown in the server's zone (named on screen). */
import dayjs from "dayjs";
import utc from "dayjs/plugin/utc";
import timezone from "dayjs/plugin/timezone";
import customParseFormat from "dayjs/plugin/customParseFormat";
// Month and weekday names for the panel's languages (Mantine dates and our own labels).
import "dayjs/locale/ru";
import "dayjs/locale/en";

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
