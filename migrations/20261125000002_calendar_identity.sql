-- One calendar event per booking for its whole life (RFC 5545 UID and SEQUENCE): a reschedule
-- keeps the UID of the booking it replaces and raises the sequence, so the candidate's calendar
-- moves the event instead of keeping the old one; a cancellation sends METHOD:CANCEL for that
-- UID. NULL means the booking's own UID, `booking-<id>@interview-booking`, which is what the
-- files sent before this migration carried.
ALTER TABLE bookings ADD COLUMN calendar_uid TEXT;
ALTER TABLE bookings ADD COLUMN calendar_sequence INTEGER NOT NULL DEFAULT 0;
