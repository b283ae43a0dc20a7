/** The server's time zone (from `/api/stats`), in which every time is shown and entered. */
import { useQuery } from "@tanstack/react-query";
import { createContext, useContext, type ReactNode } from "react";
import { statsQueryOptions } from "@/features/stats/api/stats";
import { env } from "@/lib/env";

const TimeZoneContext = createContext<string>(env.defaultTimeZone);

export function TimeZoneProvider({ children, zone }: { children: ReactNode; zone?: string }) {
  const stats = useQuery({ ...statsQueryOptions(), enabled: zone === undefined });
  const tz = zone ?? stats.data?.time_zone ?? env.defaultTimeZone;
  return <TimeZoneContext.Provider value={tz}>{children}</TimeZoneContext.Provider>;
}

export const useTimeZone = () => useContext(TimeZoneContext);
