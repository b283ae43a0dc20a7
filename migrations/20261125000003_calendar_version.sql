-- The calendar's version: one counter that every change to slots or bookings bumps (triggers,
-- so no write path can forget it). api_server keeps rendered calendar pages while it is
-- unchanged: a busy week is rendered once per change instead of once per request.
CREATE TABLE calendar_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO calendar_version (id, version) VALUES (1, 0);

CREATE TRIGGER calendar_version_slot_inserted AFTER INSERT ON slots
BEGIN UPDATE calendar_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER calendar_version_slot_updated AFTER UPDATE ON slots
BEGIN UPDATE calendar_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER calendar_version_slot_deleted AFTER DELETE ON slots
BEGIN UPDATE calendar_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER calendar_version_booking_inserted AFTER INSERT ON bookings
BEGIN UPDATE calendar_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER calendar_version_booking_updated AFTER UPDATE ON bookings
BEGIN UPDATE calendar_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER calendar_version_booking_deleted AFTER DELETE ON bookings
BEGIN UPDATE calendar_version SET version = version + 1 WHERE id = 1; END;
