import { describe, expect, it } from "vitest";
import { applyFormat, FORMAT_ACTIONS, isButtonUrl, type FormatAction } from "./format";

/**
 * Telegram's HTML rules (as core_logic/src/telegram_html.rs checks them): only the supported
 * tags, each with its own attributes, properly nested and closed, nothing inside <code>, and no
 * bare <, > or & in the text.
 */
function isTelegramHtml(html: string): boolean {
  const tags = /<(\/?)([a-z-]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*>/gy;
  const allowed: Record<string, RegExp> = {
    b: /^$/, i: /^$/, u: /^$/, s: /^$/, "tg-spoiler": /^$/, code: /^$/,
    a: /^\s+href="(https?:\/\/|tg:\/\/|mailto:)[^"]*"$/,
  };
  const open: string[] = [];
  let pos = 0;
  while (pos < html.length) {
    const c = html[pos];
    if (c === "<") {
      tags.lastIndex = pos;
      const m = tags.exec(html);
      if (!m) return false;
      const [whole, closing, name = "", attrs = ""] = m;
      if (closing) {
        if (open.pop() !== name) return false;
      } else {
        const rule = allowed[name];
        if (!rule || !rule.test(attrs)) return false;
        if (open.includes("code")) return false;
        open.push(name);
      }
      pos += whole.length;
    } else if (c === ">") {
      return false;
    } else if (c === "&") {
      const m = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(html.slice(pos));
      if (!m) return false;
      pos += m[0].length;
    } else {
      pos += 1;
    }
  }
  return open.length === 0;
}

const URL = "https://example.com/jobs?a=1&b=2";
const expected: Record<FormatAction, string> = {
  bold: "Say <b>hello</b> now",
  italic: "Say <i>hello</i> now",
  underline: "Say <u>hello</u> now",
  strike: "Say <s>hello</s> now",
  spoiler: "Say <tg-spoiler>hello</tg-spoiler> now",
  code: "Say <code>hello</code> now",
  link: `Say <a href="https://example.com/jobs?a=1&amp;b=2">hello</a> now`,
};

describe("the formatting toolbar", () => {
  it.each(FORMAT_ACTIONS)("%s wraps the selection in valid Telegram HTML", (action) => {
    const edit = applyFormat("Say hello now", 4, 9, action, URL);
    expect(edit.text).toBe(expected[action]);
    expect(isTelegramHtml(edit.text)).toBe(true);
    expect(edit.text.slice(edit.selectionStart, edit.selectionEnd)).toBe("hello");
  });

  it.each(FORMAT_ACTIONS)("%s keeps the text valid around formatting already there and with nothing selected", (action) => {
    const inner = applyFormat("<i>a &amp; b</i> and c", 0, 16, action, URL).text;
    expect(isTelegramHtml(inner), inner).toBe(true);
    const caret = applyFormat("text", 4, 4, action, URL);
    expect(isTelegramHtml(caret.text), caret.text).toBe(true);
  });

  it("code takes the visible text only (Telegram allows no tags inside it), escaped", () => {
    expect(applyFormat("<b>x &lt; y</b>", 0, 15, "code").text).toBe("<code>x &lt; y</code>");
  });

  it("a link needs an http, https or tg URL, and an empty selection shows the URL", () => {
    expect(() => applyFormat("x", 0, 1, "link", "javascript:alert(1)")).toThrow();
    expect(applyFormat("Go: ", 4, 4, "link", "tg://resolve?domain=hr").text).toBe('Go: <a href="tg://resolve?domain=hr">tg://resolve?domain=hr</a>');
    expect(isButtonUrl("https://a.b/c")).toBe(true);
    expect(isButtonUrl("mailto:a@b.c")).toBe(false);
  });
});
