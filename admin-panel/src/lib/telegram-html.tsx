/**
 * Telegram "HTML style" helpers for the broadcast composer: the visible length (UTF-16 code
 * units, as Telegram and the server count them) and a preview rendered from the supported tags
 * only, as React elements (never injected HTML). The server's check is the authority.
 */
import type { ReactNode } from "react";

export const MAX_VISIBLE_LEN = 4096;

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      try {
        return String.fromCodePoint(code);
      } catch {
        return whole;
      }
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The text Telegram shows: tags removed, entities decoded. */
export function visibleText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ""));
}

/** Visible length in UTF-16 code units. */
export const visibleLength = (html: string) => visibleText(html).length;

const SAFE_HREF = /^(https?:\/\/|tg:\/\/|mailto:)/i;

function renderNode(node: Node, key: number): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  const children = Array.from(el.childNodes).map(renderNode);
  switch (el.tagName.toLowerCase()) {
    case "b":
    case "strong":
      return <strong key={key}>{children}</strong>;
    case "i":
    case "em":
      return <em key={key}>{children}</em>;
    case "u":
    case "ins":
      return <u key={key}>{children}</u>;
    case "s":
    case "strike":
    case "del":
      return <s key={key}>{children}</s>;
    case "code":
      return <code key={key}>{children}</code>;
    case "pre":
      return <pre key={key} style={{ margin: 0, whiteSpace: "pre-wrap" }}>{children}</pre>;
    case "blockquote":
      return (
        <blockquote key={key} style={{ margin: "4px 0", paddingLeft: 8, borderLeft: "3px solid #4ea4f6" }}>
          {children}
        </blockquote>
      );
    case "a": {
      const href = el.getAttribute("href") ?? "";
      return SAFE_HREF.test(href) ? (
        <a key={key} href={href} target="_blank" rel="noreferrer noopener">
          {children}
        </a>
      ) : (
        <span key={key}>{children}</span>
      );
    }
    case "tg-spoiler":
      return <span key={key} data-spoiler style={{ background: "#999", color: "transparent", borderRadius: 3 }}>{children}</span>;
    case "span":
      return el.classList.contains("tg-spoiler") ? (
        <span key={key} data-spoiler style={{ background: "#999", color: "transparent", borderRadius: 3 }}>{children}</span>
      ) : (
        <span key={key}>{children}</span>
      );
    default:
      return <span key={key}>{children}</span>;
  }
}

/** The message as Telegram would show it, from the supported tags only. */
export function TelegramPreview({ html }: { html: string }) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  return <>{Array.from(doc.body.childNodes).map(renderNode)}</>;
}
