/** Renders a component inside the app's providers, with a fresh query client and a fetch mock. */
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter } from "react-router";
import { vi } from "vitest";
import { TimeZoneProvider } from "@/components/time-zone";
import { I18nProvider, type Lang } from "@/lib/i18n";

export type Handler = (req: Request, body: unknown) => { status?: number; body?: unknown } | unknown;

/** Replaces fetch: `"POST /api/slots"` -> handler. Unknown routes answer 404. Returns the calls made. */
export function mockApi(handlers: Record<string, Handler>) {
  const calls: { method: string; path: string; body: unknown; url: URL }[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL) => {
    const req = input instanceof Request ? input : new Request(input);
    const url = new URL(req.url);
    const text = await req.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    const key = `${req.method} ${url.pathname}`;
    calls.push({ method: req.method, path: url.pathname, body, url });
    const handler = handlers[key];
    if (!handler) {
      return Response.json({ error: { code: "not_found", message: `no mock for ${key}` } }, { status: 404 });
    }
    const out = handler(req, body);
    const res = (out && typeof out === "object" && ("status" in out || "body" in out) ? out : { body: out }) as { status?: number; body?: unknown };
    const status = res.status ?? 200;
    return status === 204 ? new Response(null, { status }) : Response.json(res.body ?? {}, { status });
  });
  return calls;
}

export function renderWithProviders(ui: ReactElement, { lang = "en" as Lang, zone = "Europe/Moscow" } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <I18nProvider lang={lang}>
          <MemoryRouter>
            <TimeZoneProvider zone={zone}>{ui}</TimeZoneProvider>
          </MemoryRouter>
        </I18nProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}
