//! The .ics files the bot sends, read as a calendar application would (the `ical` crate).

use ical::parser::ical::component::IcalCalendar;
use ical::property::Property;

/// The one calendar of an .ics file.
pub fn parse(bytes: &[u8]) -> IcalCalendar {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(bytes));
    let calendar = calendars.next().expect("one calendar").expect("a valid .ics file");
    assert!(calendars.next().is_none(), "exactly one calendar");
    calendar
}

/// A property's value, empty when it is missing.
pub fn property(properties: &[Property], name: &str) -> String {
    properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone()).unwrap_or_default()
}

/// `(METHOD, UID, SEQUENCE)` of a one-event file.
pub fn identity(bytes: &[u8]) -> (String, String, String) {
    let calendar = parse(bytes);
    let event = &calendar.events[0];
    (
        property(&calendar.properties, "METHOD"),
        property(&event.properties, "UID"),
        property(&event.properties, "SEQUENCE"),
    )
}
