//! Logging for both services: `tracing` with an env filter (`RUST_LOG`, default `info`), as text
//! or as JSON lines (`LOG_FORMAT=json`).
//!
//! Log lines must not be forgeable: user-supplied strings (a login username, a candidate's name)
//! are logged as fields, never spliced into the message, and in the text format every field and
//! the message itself are written with their control characters escaped, so a newline in a
//! username shows up as `\n` and can never start a line of its own. (JSON escapes them anyway.)

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::field::MakeExt;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::{self, FormatFields};
use tracing_subscriber::util::SubscriberInitExt;

use crate::config::LogFormat;

/// A ready subscriber, boxed so both formats have one type.
pub type BoxedSubscriber = Box<dyn tracing::Subscriber + Send + Sync + 'static>;

/// Installs the global subscriber (and bridges the `log` crate into it). Call once, first thing
/// in `main`.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    subscriber(format, filter, std::io::stdout).init();
}

/// The subscriber [`init`] installs, writing to `writer` (tests capture what it writes).
pub fn subscriber<W>(format: LogFormat, filter: EnvFilter, writer: W) -> BoxedSubscriber
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    // Colour only on a terminal: logs piped to a file or a collector stay plain text.
    let ansi = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let builder =
        tracing_subscriber::fmt().with_env_filter(filter).with_target(true).with_ansi(ansi).with_writer(writer);
    match format {
        LogFormat::Text => Box::new(builder.fmt_fields(escaped_fields()).finish()),
        LogFormat::Json => Box::new(builder.json().flatten_event(true).finish()),
    }
}

/// The text format's fields: `name=value` separated by spaces (the message bare), each written
/// with its control characters escaped, whether it was recorded with `%`, `?` or as a plain value.
fn escaped_fields() -> impl for<'w> FormatFields<'w> + Send + Sync + 'static {
    format::debug_fn(|writer, field, value| {
        let raw = format!("{value:?}");
        let text = escape_controls(&raw);
        if field.name() == "message" { write!(writer, "{text}") } else { write!(writer, "{field}={text}") }
    })
    .delimited(" ")
}

/// `text` with every control character written as an escape (`\n`, `\r`, `\t`, `\u{1b}`).
fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Collects what the subscriber writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Captured {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)).into_owned()
        }
    }

    fn logged(format: LogFormat, emit: impl FnOnce()) -> String {
        let out = Captured::default();
        let writer = out.clone();
        let subscriber = subscriber(format, EnvFilter::new("info"), move || writer.clone());
        tracing::subscriber::with_default(subscriber, emit);
        out.text()
    }

    const FORGED: &str = "admin\n2026-01-01T00:00:00.000000Z  INFO api_server: admin logged in admin=root\r";

    #[test]
    fn a_newline_in_a_field_or_the_message_cannot_start_a_line_in_the_text_format() {
        let text = logged(LogFormat::Text, || {
            tracing::warn!(client = %"127.0.0.1", username = %FORGED, "failed login");
            tracing::warn!(username = ?FORGED, "failed login");
            tracing::warn!(username = FORGED, "failed login");
            tracing::warn!("failed login for {FORGED}");
        });

        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "one line per event: {text}");
        assert!(lines.iter().all(|l| l.contains("WARN")), "{text}");
        assert!(!text.contains('\r'), "{text:?}");
        assert!(lines[0].contains(r"username=admin\n2026-01-01"), "{}", lines[0]);
        assert!(lines[3].contains(r"failed login for admin\n2026-01-01"), "{}", lines[3]);
    }

    #[test]
    fn the_json_format_keeps_one_object_per_line() {
        let text = logged(LogFormat::Json, || tracing::warn!(username = %FORGED, "failed login"));

        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1, "{text}");
        let event: serde_json::Value = serde_json::from_str(lines[0]).unwrap_or_default();
        assert_eq!(event["username"], FORGED);
    }
}
