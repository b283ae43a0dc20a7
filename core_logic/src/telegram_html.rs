//! Checks a text against Telegram's HTML parse mode before it is queued, so an admin learns of a
//! mistake when writing the broadcast rather than from a thousand failed deliveries, and nothing
//! but Telegram's own markup ever reaches the queue or the panel's preview.
//! Rules (Bot API, "HTML style"): only the supported tags, each with only its own attributes
//! (`a href` with an http, https, tg or mailto link; `span class="tg-spoiler"`;
//! `code class="language-..."`; `blockquote expandable`; `tg-emoji emoji-id`), properly nested and
//! closed (nothing inside `code`, only `code` inside `pre`, no blockquote in a blockquote); `<`,
//! `>` and `&` outside tags written as entities, and only `&lt; &gt; &amp; &quot;` or numeric
//! entities of valid Unicode characters; at most 4096 characters of visible text, counted in
//! UTF-16 code units as Telegram counts them. Every refusal names the problem and where it is.

/// Telegram's limit on a message's visible length.
pub const MAX_VISIBLE_LEN: usize = 4096;

/// Telegram's limit on a photo's (or document's) caption, in visible characters.
pub const MAX_CAPTION_LEN: usize = 1024;

/// The supported tags, each with the attributes it may carry.
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

/// Link schemes Telegram opens from a message; anything else (`javascript:`, `data:`, ...) is refused.
const LINK_SCHEMES: &[&str] = &["http", "https", "tg", "mailto"];

/// `Ok` when Telegram will accept `html` in HTML parse mode; else what is wrong and where, in one
/// line (`at character 9: <b> takes no attributes (onmouseover)`).
pub fn validate(html: &str) -> Result<(), String> {
    validate_within(html, MAX_VISIBLE_LEN)
}

/// [`validate`] with another limit on the visible length: [`MAX_CAPTION_LEN`] for a caption.
pub fn validate_within(html: &str, max_visible: usize) -> Result<(), String> {
    let mut open: Vec<&'static str> = Vec::new();
    let mut visible = 0usize;
    let mut pos = 0usize;
    while let Some(c) = html[pos..].chars().next() {
        match c {
            '<' => {
                let end = html[pos..]
                    .find('>')
                    .map(|e| pos + e)
                    .ok_or_else(|| at(html, pos, "a '<' is not closed by '>'; write &lt; for a literal <"))?;
                tag(&html[pos + 1..end], &mut open).map_err(|e| at(html, pos, &e))?;
                pos = end + 1;
            }
            '>' => return Err(at(html, pos, "a literal '>' must be written as &gt;")),
            '&' => {
                let (decoded, len) = entity(&html[pos..]).map_err(|e| at(html, pos, &e))?;
                visible += decoded.len_utf16();
                pos += len;
            }
            _ => {
                visible += c.len_utf16();
                pos += c.len_utf8();
            }
        }
    }
    if let Some(tag) = open.pop() {
        return Err(format!("<{tag}> is not closed"));
    }
    if visible > max_visible {
        return Err(format!("the text is {visible} characters long; Telegram allows at most {max_visible}"));
    }
    Ok(())
}

/// The text Telegram shows for valid `html`: the tags dropped, the entities decoded. (Anything
/// [`validate`] refuses comes back as best it can: a stray `<` or `&` is kept as is.)
pub fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut pos = 0usize;
    while let Some(c) = html[pos..].chars().next() {
        match c {
            '<' => match html[pos..].find('>') {
                Some(end) => pos += end + 1,
                None => {
                    out.push_str(&html[pos..]);
                    break;
                }
            },
            '&' => match entity(&html[pos..]) {
                Ok((decoded, len)) => {
                    out.push(decoded);
                    pos += len;
                }
                Err(_) => {
                    out.push('&');
                    pos += 1;
                }
            },
            _ => {
                out.push(c);
                pos += c.len_utf8();
            }
        }
    }
    out
}

/// `message`, prefixed with the 1-based character position of byte offset `byte` in `html`.
fn at(html: &str, byte: usize, message: &str) -> String {
    format!("at character {}: {message}", html[..byte].chars().count() + 1)
}

/// The entity at the start of `s` (which starts with `&`): its character and its length in bytes.
fn entity(s: &str) -> Result<(char, usize), String> {
    let end = s
        .char_indices()
        .skip(1)
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '#' || *c == ';')
        .find(|(_, c)| *c == ';')
        .map(|(i, _)| i)
        .ok_or("a literal '&' must be written as &amp;")?;
    let name = &s[1..end];
    let numeric = |digits: &str, radix: u32| {
        u32::from_str_radix(digits, radix)
            .ok()
            .filter(|code| *code != 0)
            .and_then(char::from_u32)
            .ok_or_else(|| format!("&{name}; is not a valid Unicode character"))
    };
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        _ => match name.strip_prefix('#') {
            Some(hex)
                if hex.starts_with(['x', 'X']) && hex.len() > 1 && hex[1..].chars().all(|c| c.is_ascii_hexdigit()) =>
            {
                numeric(&hex[1..], 16)?
            }
            Some(dec) if !dec.is_empty() && dec.chars().all(|c| c.is_ascii_digit()) => numeric(dec, 10)?,
            _ => return Err(format!("unknown entity &{name}; (use &lt; &gt; &amp; &quot; or a numeric one)")),
        },
    };
    Ok((c, end + 1))
}

/// Checks one tag (the text between `<` and `>`) and updates the stack of open tags.
fn tag(inner: &str, open: &mut Vec<&'static str>) -> Result<(), String> {
    if let Some(rest) = inner.strip_prefix('/') {
        let rest = rest.trim();
        if rest.contains(char::is_whitespace) {
            return Err(format!(
                "a closing tag takes no attributes: write </{}>",
                rest.split_whitespace().next().unwrap_or("")
            ));
        }
        let name = rest.to_ascii_lowercase();
        return match open.pop() {
            Some(top) if top == name => Ok(()),
            Some(top) => Err(format!("</{name}> closes <{top}>; tags must be nested")),
            None => Err(format!("</{name}> closes nothing")),
        };
    }
    let name_end = inner.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(inner.len());
    let lower = inner[..name_end].to_ascii_lowercase();
    let Some(name) = TAGS.iter().copied().find(|t| *t == lower) else {
        return Err(format!(
            "<{lower}> is not supported by Telegram (use b, i, u, s, a, code, pre, blockquote, tg-spoiler)"
        ));
    };
    check_attributes(name, &attributes(&inner[name_end..])?)?;
    check_nesting(name, open)?;
    open.push(name);
    Ok(())
}

/// The attributes of a tag, names lowercased and values with their entities decoded.
fn attributes(mut s: &str) -> Result<Vec<(String, Option<String>)>, String> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return Ok(out);
        }
        if s.starts_with('/') {
            return Err("self-closing tags (<b/>) are not supported; close the tag with </b>".into());
        }
        let name_end = s.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(s.len());
        let name = s[..name_end].to_ascii_lowercase();
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':')) {
            return Err(format!("{name:?} is not an attribute name"));
        }
        s = s[name_end..].trim_start();
        let value = match s.strip_prefix('=') {
            None => None,
            Some(rest) => {
                let rest = rest.trim_start();
                let quote = rest.chars().next().filter(|q| matches!(q, '"' | '\''));
                let Some(quote) = quote else {
                    return Err(format!("the value of {name} must be in quotes: {name}=\"...\""));
                };
                let close = rest[1..].find(quote).ok_or_else(|| format!("the value of {name} is not closed"))?;
                s = &rest[close + 2..];
                Some(decode(&rest[1..close + 1])?)
            }
        };
        if out.iter().any(|(n, _)| *n == name) {
            return Err(format!("the attribute {name} is given twice"));
        }
        out.push((name, value));
    }
}

/// An attribute value with its entities decoded.
fn decode(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut pos = 0;
    while let Some(c) = raw[pos..].chars().next() {
        if c == '&' {
            let (decoded, len) = entity(&raw[pos..])?;
            out.push(decoded);
            pos += len;
        } else {
            out.push(c);
            pos += c.len_utf8();
        }
    }
    Ok(out)
}

/// Each tag with only its own attributes, as Telegram documents them.
fn check_attributes(tag: &str, attrs: &[(String, Option<String>)]) -> Result<(), String> {
    let allowed: &[&str] = match tag {
        "a" => &["href"],
        "span" => &["class"],
        "code" => &["class"],
        "blockquote" => &["expandable"],
        "tg-emoji" => &["emoji-id"],
        _ => &[],
    };
    if let Some((name, _)) = attrs.iter().find(|(name, _)| !allowed.contains(&name.as_str())) {
        return Err(if allowed.is_empty() {
            format!("<{tag}> takes no attributes ({name})")
        } else {
            format!("<{tag}> does not take the attribute {name} (only {})", allowed.join(", "))
        });
    }
    let value = |attr: &str| attrs.iter().find(|(n, _)| n == attr).map(|(_, v)| v.as_deref());
    match tag {
        "a" => match value("href") {
            Some(Some(href)) => check_link(href),
            _ => Err("<a> needs an href, e.g. <a href=\"https://...\">".into()),
        },
        "span" if value("class") != Some(Some("tg-spoiler")) => {
            Err("<span> is only allowed as <span class=\"tg-spoiler\">".into())
        }
        "code" => match value("class") {
            None => Ok(()),
            Some(Some(class))
                if class.strip_prefix("language-").is_some_and(|l| {
                    !l.is_empty()
                        && l.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '#' | '.' | '_'))
                }) =>
            {
                Ok(())
            }
            Some(_) => Err("<code class> must name a language: class=\"language-python\"".into()),
        },
        "blockquote" if matches!(value("expandable"), Some(Some(_))) => {
            Err("expandable takes no value: write <blockquote expandable>".into())
        }
        "tg-emoji" => match value("emoji-id") {
            Some(Some(id)) if !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()) => Ok(()),
            _ => Err("<tg-emoji> needs a numeric emoji-id, e.g. <tg-emoji emoji-id=\"5368324170671202286\">".into()),
        },
        _ => Ok(()),
    }
}

/// A link Telegram opens: http, https, tg or mailto.
fn check_link(href: &str) -> Result<(), String> {
    let href = href.trim();
    let scheme = href.split_once(':').map(|(scheme, _)| scheme.to_ascii_lowercase());
    match scheme {
        Some(scheme) if LINK_SCHEMES.contains(&scheme.as_str()) => Ok(()),
        Some(scheme) => Err(format!("links may be http, https, tg or mailto, not {scheme}:")),
        None => Err(format!("the link {href:?} must start with http://, https://, tg:// or mailto:")),
    }
}

/// Telegram's nesting limits: nothing inside `code`, only `code` inside `pre`, no blockquote
/// inside a blockquote.
fn check_nesting(tag: &str, open: &[&str]) -> Result<(), String> {
    match open.last() {
        Some(&"code") => return Err(format!("<{tag}> cannot be inside <code>")),
        Some(&"pre") if tag != "code" => return Err(format!("<{tag}> cannot be inside <pre> (only <code>)")),
        _ => {}
    }
    if tag == "blockquote" && open.contains(&"blockquote") {
        return Err("a blockquote cannot be inside another blockquote".into());
    }
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

    #[test]
    fn only_each_tags_own_attributes_and_safe_links_are_accepted() {
        for ok in [
            "<a href=\"http://example.com/?a=1&amp;b=2\">x</a>",
            "<a href=\"tg://user?id=123\">x</a>",
            "<a href=\"mailto:hr@example.com\">x</a>",
            "<A HREF=\"HTTPS://EXAMPLE.COM\">x</A>",
            "<code class=\"language-c++\">x</code>",
            "<blockquote expandable>q</blockquote>",
            "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>",
            "<tg-spoiler>x</tg-spoiler>",
        ] {
            assert_eq!(validate(ok), Ok(()), "{ok}");
        }
        for (bad, says) in [
            ("<b onmouseover=\"alert(1)\">x</b>", "onmouseover"),
            ("<i style=\"color:red\">x</i>", "style"),
            ("<a href=\"javascript:alert(1)\">x</a>", "javascript"),
            ("<a href=\"JavaScript&#58;alert(1)\">x</a>", "javascript"),
            ("<a href=\" data:text/html,x\">x</a>", "data"),
            ("<a href=\"https://x\" onclick=\"y\">x</a>", "onclick"),
            ("<a href=\"https://x\" href=\"https://y\">x</a>", "href"),
            ("<span class=\"tg-spoiler\" id=\"x\">x</span>", "id"),
            ("<code class=\"evil\">x</code>", "language-"),
            ("<blockquote expandable=\"no\">q</blockquote>", "expandable"),
            ("<tg-emoji>x</tg-emoji>", "emoji-id"),
            ("<tg-emoji emoji-id=\"abc\">x</tg-emoji>", "emoji-id"),
            ("<pre title=\"x\">x</pre>", "title"),
            ("</b onclick=\"x\">", "closing"),
            ("x &#x110000; y", "&#x110000;"),
            ("x &#0; y", "&#0;"),
            ("x &#xD800; y", "&#xD800;"),
            ("x &#99999999999999999999; y", "&#99999999999999999999;"),
        ] {
            let err = validate(bad).expect_err(bad);
            assert!(err.contains(says), "{bad}: {err}");
            assert!(err.contains("at character"), "{bad}: the position is named: {err}");
        }
    }

    #[test]
    fn the_position_of_the_problem_is_named() {
        let err = validate("Привет, <b onclick=\"x\">мир</b>").expect_err("an attribute");
        assert!(err.contains("at character 9"), "{err}");
    }
}
