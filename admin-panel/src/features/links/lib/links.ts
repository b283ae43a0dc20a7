/** How the panel says a link's state, and a CSV import's error, in the reader's language. */
import { ApiError, type Schemas } from "@/lib/api-client";
import type { Dict } from "@/lib/i18n/ru";
import { errorMessage } from "@/components/query-state";

/** "действует", "истекла", "использована", "отозвана" / "active", "expired", ... */
export const linkStateLabel = (t: Dict, state: Schemas["LinkState"]) => t.links.state[state];

/** The badge colour of a state (StatusBadge's palette). */
export const linkStateStatus = (state: Schemas["LinkState"]) =>
  ({ active: "open", expired: "no_show", used: "completed", revoked: "cancelled" })[state];

/**
 * A CSV import's error as a recruiter reads it: the server answers 422 with an English message
 * naming the line ("csv: line 3: is not a phone number"); the line and the known reasons are said
 * in the panel's language, an unknown reason as the server put it.
 */
export function csvImportError(error: unknown, t: Dict): string {
  if (!(error instanceof ApiError) || error.code !== "validation_failed") return errorMessage(error, t);
  const e = t.links.csvErrors;
  const message = error.message.replace(/^csv:\s*/, "");
  if (/^expires_at/.test(message)) return e.expires;
  if (/no one to invite/.test(message)) return e.nobody;
  const many = /at most (\d+) people/.exec(message);
  if (many) return e.tooMany(many[1]!);
  const line = /^line (\d+):\s*(.*)$/s.exec(message);
  if (!line) return message;
  const [, n, why = ""] = line;
  const reason = /name column/.test(why)
    ? e.header
    : /phone/.test(why)
      ? e.phone
      : /quote/.test(why)
        ? e.quote
        : /the (name|label)|1 to \d+ characters/.test(why)
          ? e.label
          : /at most \d+ characters/.test(why)
            ? e.note
            : why;
  return e.line(Number(n), reason);
}
