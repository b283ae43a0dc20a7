/**
 * Telegram "HTML style" helpers for the broadcast composer: the visible length (UTF-16 code
 * units, as Telegram and the server count them) and a preview rendered from the supported tags
 * only, as React elements (never injected HTML), the way Telegram shows the message: whitespace
 * kept inside (the bubble is `pre-wrap`), trimmed at both ends as Telegram trims a message, the
 * entities styled, spoilers hidden, links clickable. The server's check is the authority.
 */
import type { ReactNode } from "react";

export const MAX_VISIBLE_LEN = 4096;
/** Telegram's limit on a photo's caption: a broadcast with a photo sends its text as one. */
export const MAX_CAPTION_LEN = 1024;

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

/** The title a broadcast gets when none is given: its first non-empty visible line, at most 80 characters (as the server does). */
export function defaultTitle(html: string): string {
  const line = visibleText(html).trimStart().split("\n")[0] ?? "";
  return Array.from(line.trim()).slice(0, 80).join("").trimEnd();
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
      return (
        <code key={key} style={{ fontFamily: "monospace", color: "#c7254e" }}>
          {children}
        </code>
      );
    case "pre":
      return (
        <pre key={key} style={{ margin: 0, whiteSpace: "pre-wrap", fontFamily: "monospace" }}>
          {children}
        </pre>
      );
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

/** The text nodes under `root`, in document order. */
function textNodes(root: Node): Text[] {
  const out: Text[] = [];
  const walk = (n: Node) => {
    if (n.nodeType === Node.TEXT_NODE) out.push(n as Text);
    n.childNodes.forEach(walk);
  };
  walk(root);
  return out;
}

/** Telegram drops the whitespace at the start and the end of a message, inside tags or not. */
function trimEnds(root: Node) {
  const nodes = textNodes(root);
  for (const n of nodes) {
    n.data = n.data.replace(/^\s+/, "");
    if (n.data) break;
  }
  for (const n of nodes.reverse()) {
    n.data = n.data.replace(/\s+$/, "");
    if (n.data) break;
  }
}

/** The message as Telegram would show it, from the supported tags only. */
export function TelegramPreview({ html }: { html: string }) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  trimEnds(doc.body);
  return <>{Array.from(doc.body.childNodes).map(renderNode)}</>;
}

/** What goes under the message: a link, or a button that answers the bot. */
export type PreviewButton = { text: string; url?: string };

/**
 * A Telegram chat bubble: the photo above the text (then its caption), whitespace kept, the
 * inline button under the bubble.
 */
export function TelegramMessage({ html, photoUrl, button }: { html: string; photoUrl?: string; button?: PreviewButton }) {
  return (
    <div data-testid="telegram-message" style={{ maxWidth: 420 }}>
      <div
        data-testid="telegram-bubble"
        style={{ background: "white", borderRadius: 12, overflow: "hidden", boxShadow: "0 1px 2px rgba(0,0,0,.15)" }}
      >
        {photoUrl && <img data-testid="telegram-photo" src={photoUrl} alt="" style={{ display: "block", width: "100%" }} />}
        <div
          data-testid="telegram-text"
          style={{ padding: "6px 10px", whiteSpace: "pre-wrap", wordBreak: "break-word", fontSize: 15, lineHeight: 1.35 }}
        >
          <TelegramPreview html={html} />
        </div>
      </div>
      {button && (
        <div
          data-testid="telegram-button"
          style={{
            marginTop: 4,
            padding: "8px 10px",
            borderRadius: 10,
            textAlign: "center",
            color: "white",
            background: "rgba(80, 110, 140, .55)",
            fontWeight: 500,
          }}
        >
          {button.text}
          {button.url && <span aria-hidden> ↗</span>}
        </div>
      )}
    </div>
  );
}
