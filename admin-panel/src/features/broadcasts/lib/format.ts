/**
 * The composer's formatting toolbar as pure functions: each action wraps the selected part of
 * the text in the Telegram HTML tag that formats it, and answers the new text and the selection
 * to restore (the wrapped text, or the caret between the tags when nothing was selected).
 */
import { visibleText } from "@/lib/telegram-html";

export type FormatAction = "bold" | "italic" | "underline" | "strike" | "spoiler" | "code" | "link";

export const FORMAT_ACTIONS: FormatAction[] = ["bold", "italic", "underline", "strike", "spoiler", "link", "code"];

const TAGS: Record<Exclude<FormatAction, "link">, string> = {
  bold: "b",
  italic: "i",
  underline: "u",
  strike: "s",
  spoiler: "tg-spoiler",
  code: "code",
};

/** `<`, `>`, `&` and `"` as the entities Telegram's HTML needs. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A link Telegram opens from a message: http, https or tg (mailto too). */
export function isLinkUrl(url: string): boolean {
  return /^(https?:\/\/[^\s/?#]+|tg:\/\/\S+|mailto:\S+)/i.test(url.trim());
}

/** A link a button may open: http, https or tg (as the server checks). */
export function isButtonUrl(url: string): boolean {
  return /^(https?:\/\/[^\s/?#]+\S*|tg:\/\/\S+)$/i.test(url.trim());
}

/** The bot's label of the "Записаться" button, in the candidate's language (telegram_bot texts). */
export const BOOK_BUTTON_LABEL = { ru: "📅 Записаться", en: "📅 Book" } as const;

export type Edit = { text: string; selectionStart: number; selectionEnd: number };

/**
 * Wraps `text[start, end)` for `action`. Code holds no other tags (Telegram refuses them inside
 * `<code>`), so the selection's own tags are dropped there and its text kept, escaped. A link
 * needs `url` (http, https or tg).
 */
export function applyFormat(text: string, start: number, end: number, action: FormatAction, url?: string): Edit {
  const [from, to] = start <= end ? [start, end] : [end, start];
  let inner = text.slice(from, to);
  let open: string;
  let close: string;
  if (action === "link") {
    if (!url || !isLinkUrl(url)) throw new Error("a link needs an http, https or tg URL");
    open = `<a href="${escapeHtml(url.trim())}">`;
    close = "</a>";
    if (!inner) inner = escapeHtml(url.trim());
  } else {
    const tag = TAGS[action];
    open = `<${tag}>`;
    close = `</${tag}>`;
    if (action === "code") inner = escapeHtml(visibleText(inner));
  }
  const next = text.slice(0, from) + open + inner + close + text.slice(to);
  return { text: next, selectionStart: from + open.length, selectionEnd: from + open.length + inner.length };
}
