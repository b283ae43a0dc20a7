//! Checks a text against Telegram's HTML parse mode before it is queued, so an admin learns of a
//! mistake when writing the broadcast rather than from a thousand failed deliveries.
//! Rules (Bot API, "HTML style"): only the supported tags, properly nested and closed; `<`, `>`
//! and `&` outside tags written as entities; at most 4096 characters of visible text, counted in
//! UTF-16 code units as Telegram counts them.

/// Telegram's limit on a message's visible length.
pub const MAX_VISIBLE_LEN: usize = 4096;

const TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
];

/// `Ok` when Telegram will accept `html` in HTML parse mode; else what is wrong, in one line.
pub fn validate(html: &str) -> Result<(), String> {
    let mut open: Vec<String> = Vec::new();
    let mut visible = 0usize;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let end = rest.find('>').ok_or("a '<' is not closed by '>'; write &lt; for a literal <")?;
                parse_tag(&rest[1..end], &mut open)?;
                rest = &rest[end + 1..];
            }
            '>' => return Err("a literal '>' must be written as &gt;".into()),
            '&' => {
                let end = rest.find(';').filter(|e| *e <= 10).ok_or("a literal '&' must be written as &amp;")?;
                let entity = &rest[1..end];
                let known = matches!(entity, "lt" | "gt" | "amp" | "quot")
                    || entity
                        .strip_prefix("#x")
                        .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
                    || entity.strip_prefix('#').is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
                if !known {
                    return Err(format!("unknown entity &{entity}; (use &lt; &gt; &amp; &quot; or a numeric one)"));
                }
                visible += 1;
                rest = &rest[end + 1..];
            }
            _ => {
                visible += c.len_utf16();
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if let Some(tag) = open.pop() {
        return Err(format!("<{tag}> is not closed"));
    }
    if visible > MAX_VISIBLE_LEN {
        return Err(format!("the text is {visible} characters long; Telegram allows at most {MAX_VISIBLE_LEN}"));
    }
    Ok(())
}

fn parse_tag(inner: &str, open: &mut Vec<String>) -> Result<(), String> {
    if let Some(name) = inner.strip_prefix('/') {
        let name = name.trim().to_ascii_lowercase();
        return match open.pop() {
            Some(top) if top == name => Ok(()),
            Some(top) => Err(format!("</{name}> closes <{top}>; tags must be nested")),
            None => Err(format!("</{name}> closes nothing")),
        };
    }
    let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    if !TAGS.contains(&name.as_str()) {
        return Err(format!(
            "<{name}> is not supported by Telegram (use b, i, u, s, a, code, pre, blockquote, tg-spoiler)"
        ));
    }
    let attrs = inner[name_end..].trim();
    match name.as_str() {
        "a" if !attrs.starts_with("href=") => return Err("<a> needs an href, e.g. <a href=\"https://...\">".into()),
        "span" if attrs != "class=\"tg-spoiler\"" => {
            return Err("<span> is only allowed as <span class=\"tg-spoiler\">".into());
        }
        _ => {}
    }
    open.push(name);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_telegram_accepts() {
        for ok in [
            "Привет!",
            "<b>bold</b> <i>it</i> <a href=\"https://t.me/x\">link</a> &lt;3 &amp; &#128512;",
            "<pre><code class=\"language-rust\">fn main() {}</code></pre>",
            "<span class=\"tg-spoiler\">x</span><blockquote expandable>q</blockquote>",
        ] {
            assert_eq!(validate(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_what_telegram_rejects() {
        for bad in [
            "1 < 2",
            "a > b",
            "Tom & Jerry",
            "<b>open",
            "<b><i>x</b></i>",
            "<div>x</div>",
            "</b>",
            "<a>x</a>",
            "&nbsp;",
        ] {
            assert!(validate(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn counts_visible_characters_not_markup() {
        let text = format!("<b>{}</b>", "я".repeat(MAX_VISIBLE_LEN));
        assert_eq!(validate(&text), Ok(()));
        assert!(validate(&"я".repeat(MAX_VISIBLE_LEN + 1)).is_err());
        // An emoji outside the BMP is two UTF-16 units, as Telegram counts it.
        assert!(validate(&"😀".repeat(MAX_VISIBLE_LEN / 2 + 1)).is_err());
    }
}
