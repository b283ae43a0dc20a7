/**
 * The panel's build-time settings, checked once at start (main.tsx shows the error instead of
 * the app when one is wrong).
 *
 * - `VITE_API_BASE_URL`: where api_server is; empty (default) means the same origin, which is how
 *   api_server serves the built panel and how the Vite dev proxy works.
 * - `VITE_DEFAULT_TIME_ZONE`: the zone used until `/api/stats` tells the server's (`Europe/Moscow`).
 */
export type Env = { apiBaseUrl: string; defaultTimeZone: string };

export function parseEnv(raw: Record<string, string | undefined>): Env {
  const base = (raw.VITE_API_BASE_URL ?? "").trim().replace(/\/+$/, "");
  if (base !== "" && !/^https?:\/\/[^/]+/.test(base)) {
    throw new Error(`VITE_API_BASE_URL must be empty or an http(s) URL, got "${base}"`);
  }
  const defaultTimeZone = (raw.VITE_DEFAULT_TIME_ZONE ?? "").trim() || "Europe/Moscow";
  try {
    new Intl.DateTimeFormat("en", { timeZone: defaultTimeZone });
  } catch {
    throw new Error(`VITE_DEFAULT_TIME_ZONE must be an IANA time zone, got "${defaultTimeZone}"`);
  }
  return { apiBaseUrl: base, defaultTimeZone };
}

export const env: Env = parseEnv(import.meta.env as Record<string, string | undefined>);
