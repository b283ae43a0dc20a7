//! iCalendar (.ics) files of interviews (RFC 5545, methods of RFC 5546): `PUBLISH` with the
//! confirmation and after every change, `CANCEL` when the booking is cancelled. A booking keeps
//! one UID for its whole life and each change raises `SEQUENCE`, so a calendar that imported the
//! first file moves or removes that same event instead of keeping a stale copy.

use chrono::{DateTime, Duration, Utc};
use core_logic::notifications::CalendarEvent;

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
    lines.join("\r\n") + "\r\n"
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use core_logic::notifications::CalendarEvent;

    use super::{Method, file};

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
}
