/**
 * The one API client: openapi-fetch typed by the generated `api-types.ts`, plus `unwrap`, which
 * turns the server's `{"error":{"code","message"}}` into an `ApiError`.
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./api-types";
import { env } from "./env";

export type Schemas = components["schemas"];

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

let unauthorizedHandler: (() => void) | undefined;

/** Called on any 401 except a failed login: the app drops the session and shows the login page. */
export function setUnauthorizedHandler(handler: (() => void) | undefined) {
  unauthorizedHandler = handler;
}

const sessionMiddleware: Middleware = {
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.endsWith("/api/auth/login")) {
      unauthorizedHandler?.();
    }
    return response;
  },
};

export const baseUrl = () => env.apiBaseUrl || window.location.origin;

export const api = createClient<paths>({
  baseUrl: baseUrl(),
  credentials: "same-origin",
  // Looked up at call time so tests can replace globalThis.fetch.
  fetch: (request: Request) => globalThis.fetch(request),
});
api.use(sessionMiddleware);

function isErrorBody(value: unknown): value is Schemas["ErrorBody"] {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const e = (value as { error: unknown }).error;
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

/** Resolves to the response data, or throws an `ApiError` for any non-2xx answer. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result;
  try {
    result = await call;
  } catch (cause) {
    throw new ApiError(0, "network", cause instanceof Error ? cause.message : String(cause));
  }
  const { data, error, response } = result;
  if (!response.ok || error !== undefined) {
    if (isErrorBody(error)) throw new ApiError(response.status, error.error.code, error.error.message);
    throw new ApiError(response.status, "http_error", `HTTP ${response.status}`);
  }
  return data as T;
}
