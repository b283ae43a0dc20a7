/** Renders a component inside the app's providers, with a fresh query client and a fetch mock. */
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { vi } from "vitest";
import { PanelDatesProvider } from "@/components/date-fields";
import { TimeZoneProvider } from "@/components/time-zone";
import { I18nProvider, type Lang } from "@/lib/i18n";

export type Handler = (req: Request, body: unknown) => { status?: number; body?: unknown } | unknown;

/** One request the mock answered; `at` is `performance.now()` when it arrived. */
export type Call = { method: string; path: string; body: unknown; url: URL; at: number };

/** `{ status }`, `{ body }` or both: how a handler sets the status; anything else is the body. */
function isResponseSpec(out: unknown): boolean {
  if (!out || typeof out !== "object" || Array.isArray(out)) return false;
  const keys = Object.keys(out);
  return keys.length > 0 && keys.every((k) => k === "status" || k === "body");
}

/** Replaces fetch: `"POST /api/slots"` -> handler. Unknown routes answer 404. Returns the calls made. */
export function mockApi(handlers: Record<string, Handler>) {
  const calls: Call[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL) => {
    const req = input instanceof Request ? input : new Request(input);
    const url = new URL(req.url);
    const text = await req.text();
    // JSON bodies parsed; any other body (a photo's bytes) kept as its text.
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const key = `${req.method} ${url.pathname}`;
    calls.push({ method: req.method, path: url.pathname, body, url, at: performance.now() });
    const handler = handlers[key];
    if (!handler) {
      return Response.json({ error: { code: "not_found", message: `no mock for ${key}` } }, { status: 404 });
    }
    const out = handler(req, body);
    const res = (isResponseSpec(out) ? out : { body: out }) as { status?: number; body?: unknown };
    const status = res.status ?? 200;
    return status === 204 ? new Response(null, { status }) : Response.json(res.body ?? {}, { status });
  });
  return calls;
}

/** The calls of one `"METHOD /path"`. */
export const callsTo = (calls: Call[], key: string) => calls.filter((c) => `${c.method} ${c.path}` === key);

/** The query parameters of a call as a plain object. */
export const queryOf = (call: Call | undefined) => Object.fromEntries(call?.url.searchParams ?? []);

/** The server's error body. */
export const apiError = (status: number, message: string) => ({ status, body: { error: { code: "test", message } } });

/** Narrows the viewport as Mantine's media queries see it: every `max-width` query matches (a phone). */
export function mockPhoneWidth() {
  vi.spyOn(window, "matchMedia").mockImplementation((query: string) => ({
    matches: query.includes("max-width"),
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }));
}

function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location" hidden>{location.pathname}</div>;
}

/** Where the app is (after a navigation): the router's current path. */
export const currentPath = () => screen.getByTestId("location").textContent;

type Options = {
  lang?: Lang;
  /** The server's zone; `null` asks `/api/stats` for it, as the app does (the stats query is then active). */
  zone?: string | null;
  /** The URL to start at, e.g. `/candidates/5`. */
  route?: string;
  /** A route pattern for `ui`, e.g. `/candidates/:id` (for `useParams`). */
  path?: string;
};

export function renderWithProviders(ui: ReactElement, { lang = "en", zone = "Europe/Moscow", route = "/", path }: Options = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const result = render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <I18nProvider lang={lang}>
          <PanelDatesProvider>
            <MemoryRouter initialEntries={[route]}>
              <TimeZoneProvider zone={zone ?? undefined}>
                {path ? (
                  <Routes>
                    <Route path={path} element={ui} />
                    <Route path="*" element={null} />
                  </Routes>
                ) : (
                  ui
                )}
              </TimeZoneProvider>
              <LocationProbe />
            </MemoryRouter>
          </PanelDatesProvider>
        </I18nProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { ...result, client };
}
