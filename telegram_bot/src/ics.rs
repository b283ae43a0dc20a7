//! An iCalendar (.ics) file for a booked interview, sent with the confirmation.

use chrono::{DateTime, Duration, Utc};

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n")
}

/// A one-event calendar: the interview, in UTC, with a reminder an hour before.
pub fn interview(
    booking_id: i64,
    starts_at: DateTime<Utc>,
    minutes: i64,
    summary: &str,
    location: Option<&str>,
    now: DateTime<Utc>,
) -> String {
    let fmt = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//interview-booking//bot//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:booking-{booking_id}@interview-booking"),
        format!("DTSTAMP:{}", fmt(now)),
        format!("DTSTART:{}", fmt(starts_at)),
        format!("DTEND:{}", fmt(starts_at + Duration::minutes(minutes))),
        format!("SUMMARY:{}", escape(summary)),
    ];
    if let Some(place) = location.filter(|l| !l.trim().is_empty()) {
        lines.push(format!("LOCATION:{}", escape(place)));
    }
    lines.extend([
        "BEGIN:VALARM".to_owned(),
        "TRIGGER:-PT1H".to_owned(),
        "ACTION:DISPLAY".to_owned(),
        format!("DESCRIPTION:{}", escape(summary)),
        "END:VALARM".to_owned(),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ]);
    lines.join("\r\n") + "\r\n"
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    #[test]
    fn the_event_has_utc_times_and_escaped_text() {
        let t = Utc.with_ymd_and_hms(2026, 12, 2, 7, 0, 0).single().unwrap_or_default();
        let ics = super::interview(5, t, 45, "Interview, round 1", Some("Room 4; floor 2"), t);
        assert!(ics.contains("DTSTART:20261202T070000Z\r\n"));
        assert!(ics.contains("DTEND:20261202T074500Z\r\n"));
        assert!(ics.contains("SUMMARY:Interview\\, round 1\r\n"));
        assert!(ics.contains("LOCATION:Room 4\\; floor 2\r\n"));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    }

    use chrono::Utc;
}
