//! iCalendar (.ics) of interviews (RFC 5545, methods of RFC 5546): the candidate's one-event
//! files, `PUBLISH` with the confirmation and after every change, `CANCEL` when the booking is
//! cancelled; and a team member's subscription feed of their interviews. A booking keeps one UID
//! for its whole life and each change raises `SEQUENCE`, so a calendar moves or removes that
//! same event instead of keeping a stale copy. Lines longer than 75 octets are folded.

use chrono::{DateTime, Duration, Utc};

use crate::notifications::CalendarEvent;

/// Whether the file adds (or updates) the event or cancels it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Publish,
    Cancel,
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n")
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A one-event calendar for `event`, in UTC. A published event carries a reminder an hour
/// before; a cancellation is one sequence above the event's, as RFC 5546 asks of an update.
pub fn file(method: Method, event: &CalendarEvent, summary: &str, now: DateTime<Utc>) -> String {
    let (method_name, sequence) = match method {
        Method::Publish => ("PUBLISH", event.sequence),
        Method::Cancel => ("CANCEL", event.sequence + 1),
    };
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//interview-booking//bot//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("METHOD:{method_name}"),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", event.uid),
        format!("SEQUENCE:{sequence}"),
        format!("DTSTAMP:{}", stamp(now)),
        format!("DTSTART:{}", stamp(event.starts_at)),
        format!("DTEND:{}", stamp(event.starts_at + Duration::minutes(event.duration_minutes))),
        format!("SUMMARY:{}", escape(summary)),
    ];
    if let Some(place) = event.location.as_deref().filter(|l| !l.trim().is_empty()) {
        lines.push(format!("LOCATION:{}", escape(place)));
    }
    match method {
        Method::Publish => lines.extend([
            "STATUS:CONFIRMED".to_owned(),
            "BEGIN:VALARM".to_owned(),
            "TRIGGER:-PT1H".to_owned(),
            "ACTION:DISPLAY".to_owned(),
            format!("DESCRIPTION:{}", escape(summary)),
            "END:VALARM".to_owned(),
        ]),
        Method::Cancel => lines.push("STATUS:CANCELLED".to_owned()),
    }
    lines.extend(["END:VEVENT".to_owned(), "END:VCALENDAR".to_owned()]);
    join(&lines)
}

/// Folds a content line at 75 octets (RFC 5545 3.1), never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out
}

fn join(lines: &[String]) -> String {
    lines.iter().map(|l| fold(l)).collect::<Vec<_>>().join("\r\n") + "\r\n"
}

/// One interview in a team member's feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    pub event: CalendarEvent,
    pub summary: String,
    pub description: Option<String>,
}

/// A subscription feed (no method: a calendar app polls it and shows what it holds now): every
/// event with its stable UID and sequence; one that left the feed leaves the calendar.
pub fn feed(name: &str, events: &[FeedEvent], now: DateTime<Utc>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//interview-booking//feed//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("X-WR-CALNAME:{}", escape(name)),
        "REFRESH-INTERVAL;VALUE=DURATION:PT15M".to_owned(),
        "X-PUBLISHED-TTL:PT15M".to_owned(),
    ];
    for e in events {
        let ev = &e.event;
        lines.extend([
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", ev.uid),
            format!("SEQUENCE:{}", ev.sequence),
            format!("DTSTAMP:{}", stamp(now)),
            format!("DTSTART:{}", stamp(ev.starts_at)),
            format!("DTEND:{}", stamp(ev.starts_at + Duration::minutes(ev.duration_minutes))),
            format!("SUMMARY:{}", escape(&e.summary)),
            "STATUS:CONFIRMED".to_owned(),
        ]);
        if let Some(place) = ev.location.as_deref().filter(|l| !l.trim().is_empty()) {
            lines.push(format!("LOCATION:{}", escape(place)));
        }
        if let Some(d) = e.description.as_deref().filter(|d| !d.trim().is_empty()) {
            lines.push(format!("DESCRIPTION:{}", escape(d)));
        }
        lines.push("END:VEVENT".to_owned());
    }
    lines.push("END:VCALENDAR".to_owned());
    join(&lines)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::{Method, file, fold};
    use crate::notifications::CalendarEvent;

    fn event(sequence: i64) -> CalendarEvent {
        CalendarEvent {
            uid: "booking-5@interview-booking".into(),
            sequence,
            starts_at: Utc.with_ymd_and_hms(2026, 12, 2, 7, 0, 0).single().unwrap_or_default(),
            duration_minutes: 45,
            location: Some("Room 4; floor 2".into()),
        }
    }

    #[test]
    fn the_event_has_utc_times_and_escaped_text() {
        let e = event(0);
        let ics = file(Method::Publish, &e, "Interview, round 1", e.starts_at);
        assert!(ics.contains("DTSTART:20261202T070000Z\r\n"));
        assert!(ics.contains("DTEND:20261202T074500Z\r\n"));
        assert!(ics.contains("SUMMARY:Interview\\, round 1\r\n"));
        assert!(ics.contains("LOCATION:Room 4\\; floor 2\r\n"));
        assert!(ics.contains("METHOD:PUBLISH\r\n") && ics.contains("SEQUENCE:0\r\n"));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn a_cancellation_names_the_same_event_one_sequence_higher() {
        let e = event(2);
        let ics = file(Method::Cancel, &e, "Interview", e.starts_at);
        assert!(ics.contains("METHOD:CANCEL\r\n") && ics.contains("STATUS:CANCELLED\r\n"));
        assert!(ics.contains("UID:booking-5@interview-booking\r\n") && ics.contains("SEQUENCE:3\r\n"));
        assert!(!ics.contains("VALARM"));
    }

    #[test]
    fn long_lines_are_folded_between_characters() {
        let line = format!("SUMMARY:{}", "Собеседование ".repeat(10));
        let folded = fold(&line);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75), "{folded}");
        assert_eq!(folded.replace("\r\n ", ""), line);
    }
}
