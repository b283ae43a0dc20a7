import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { defaultTitle, TelegramMessage, TelegramPreview } from "./telegram-html";

/**
 * How Telegram shows messages sent with parse_mode HTML: the text with the whitespace inside it
 * kept (new lines, runs of spaces), trimmed at both ends, and each entity over its exact span.
 * `structure` is the rendered DOM in a compact form: TAG(children), text in quotes.
 */
const RENDERINGS: { html: string; text: string; structure: string }[] = [
  { html: "plain", text: "plain", structure: '"plain"' },
  { html: "  \n lead and trail \n\n ", text: "lead and trail", structure: '"lead and trail"' },
  { html: "<b>  bold start</b> end  ", text: "bold start end", structure: 'STRONG("bold start") " end"' },
  { html: "a\n\n  b", text: "a\n\n  b", structure: '"a\\n\\n  b"' },
  { html: "x  y", text: "x  y", structure: '"x  y"' },
  { html: "<b>bold <i>both</i></b>", text: "bold both", structure: 'STRONG("bold " EM("both"))' },
  { html: "<u>u</u><s>s</s><del>d</del>", text: "usd", structure: 'U("u") S("s") S("d")' },
  { html: "1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;ok&quot; &#128512;", text: '1 < 2 && 3 > 2 "ok" 😀', structure: '"1 < 2 && 3 > 2 \\"ok\\" 😀"' },
  { html: '<a href="https://ex.com/?a=1&amp;b=2">site</a>', text: "site", structure: 'A[https://ex.com/?a=1&b=2]("site")' },
  { html: '<a href="javascript:alert(1)">bad</a>', text: "bad", structure: 'SPAN("bad")' },
  { html: "<tg-spoiler>secret</tg-spoiler> shown", text: "secret shown", structure: 'SPAN[spoiler]("secret") " shown"' },
  { html: '<span class="tg-spoiler">hidden</span>', text: "hidden", structure: 'SPAN[spoiler]("hidden")' },
  { html: "<code>let x = 1;</code>", text: "let x = 1;", structure: 'CODE("let x = 1;")' },
  { html: "<pre>line 1\n  line 2</pre>", text: "line 1\n  line 2", structure: 'PRE("line 1\\n  line 2")' },
  { html: "<blockquote>quoted</blockquote>", text: "quoted", structure: 'BLOCKQUOTE("quoted")' },
];

function structure(node: Node): string {
  return Array.from(node.childNodes)
    .map((n) => {
      if (n.nodeType === Node.TEXT_NODE) return JSON.stringify(n.textContent);
      const el = n as HTMLElement;
      const extra = el.tagName === "A" ? `[${el.getAttribute("href")}]` : el.hasAttribute("data-spoiler") ? "[spoiler]" : "";
      return `${el.tagName}${extra}(${structure(el)})`;
    })
    .filter((s) => s !== '""')
    .join(" ");
}

describe("TelegramPreview renders as Telegram does", () => {
  it.each(RENDERINGS)("$html", ({ html, text, structure: expected }) => {
    const { container } = render(<TelegramPreview html={html} />);
    expect(container.textContent).toBe(text);
    expect(structure(container)).toBe(expected);
  });

  it("never renders a tag Telegram does not support as markup", () => {
    const { container } = render(<TelegramPreview html={'<script>alert(1)</script><img src=x onerror="y">ok'} />);
    expect(container.querySelector("script, img")).toBeNull();
    expect(container.textContent).toBe("alert(1)ok");
  });

  it("hides a spoiler and keeps whitespace in a pre-wrap bubble, the photo above and the button under it", () => {
    const { getByTestId } = render(
      <TelegramMessage html={"Hi\n<tg-spoiler>x</tg-spoiler>"} photoUrl="/api/broadcasts/photos/1" button={{ text: "📅 Записаться" }} />,
    );
    const bubble = getByTestId("telegram-bubble");
    expect(getByTestId("telegram-text").style.whiteSpace).toBe("pre-wrap");
    expect(bubble.firstElementChild).toBe(getByTestId("telegram-photo"));
    expect((bubble.querySelector("[data-spoiler]") as HTMLElement).style.color).toBe("transparent");
    expect(getByTestId("telegram-button").previousElementSibling).toBe(bubble);
    expect(getByTestId("telegram-button")).toHaveTextContent("📅 Записаться");
  });

  it("titles a broadcast by its first visible line, as the server does", () => {
    expect(defaultTitle("\n <b>Новые слоты</b> на &lt;неделе&gt;\nвторая")).toBe("Новые слоты на <неделе>");
    expect(Array.from(defaultTitle("я".repeat(100)))).toHaveLength(80);
  });
});
