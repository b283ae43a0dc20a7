/** The server's time zone (from `/api/stats`), in which every time is shown and entered. */
import { useQuery } from "@tanstack/react-query";
import { createContext, useContext, type ReactNode } from "react";
import { statsQueryOptions } from "@/features/stats/api/stats";
import { env } from "@/lib/env";
import { useI18n } from "@/lib/i18n";
import { zoneAside, zoneName } from "@/lib/time";

const TimeZoneContext = createContext<string>(env.defaultTimeZone);

/** The zone: `zone` (from the session, every role), else `/api/stats`, else the build's default. */
export function TimeZoneProvider({ children, zone, askServer = true }: { children: ReactNode; zone?: string; askServer?: boolean }) {
  const stats = useQuery({ ...statsQueryOptions(), enabled: zone === undefined && askServer });
  const tz = zone ?? stats.data?.time_zone ?? env.defaultTimeZone;
  return <TimeZoneContext.Provider value={tz}>{children}</TimeZoneContext.Provider>;
}

/** The server's zone as an IANA id (`Europe/Moscow`), for computing; never shown. */
export const useTimeZone = () => useContext(TimeZoneContext);

/**
 * The server's zone as people name it in the panel's language ("московское время",
 * "Екатеринбург (UTC+5)"), with the offset of `at` (a date or instant concerned; now by default).
 */
export function useZoneName(at?: Date | string): string {
  const { lang } = useI18n();
  return zoneName(useTimeZone(), lang, at || undefined);
}

/** The same in brackets, to follow a time or a field's name: "(московское время)", "(Екатеринбург, UTC+5)". */
export function useZoneAside(at?: Date | string): string {
  const { lang } = useI18n();
  return zoneAside(useTimeZone(), lang, at || undefined);
}
