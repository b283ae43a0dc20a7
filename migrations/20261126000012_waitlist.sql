-- Issue 15: the waitlist with held offers, reconfirmation and the no-show policy.

-- A candidate waiting for a free time, with optional preferences (read in APP_TIMEZONE).
CREATE TABLE waitlist (
    id             INTEGER PRIMARY KEY,
    candidate_id   INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    -- The vacancy the candidate waits for; NULL when no vacancy was chosen (any slot suits).
    vacancy_id     INTEGER REFERENCES vacancies (id) ON DELETE SET NULL,
    -- Preferred ISO weekdays as bits (bit 0 = Monday ... bit 6 = Sunday); 0 = any day.
    days           INTEGER NOT NULL DEFAULT 0 CHECK (days BETWEEN 0 AND 127),
    -- Preferred parts of the day as bits: 1 morning (before 12:00), 2 afternoon (12:00-17:00),
    -- 4 evening (from 17:00); 0 = any time.
    parts          INTEGER NOT NULL DEFAULT 0 CHECK (parts BETWEEN 0 AND 7),
    -- waiting; booked (left by booking); left (the candidate left); removed (by a recruiter).
    status         TEXT    NOT NULL DEFAULT 'waiting'
                   CHECK (status IN ('waiting', 'booked', 'left', 'removed')),
    joined_at      INTEGER NOT NULL,
    ended_at       INTEGER,
    ended_by_admin INTEGER REFERENCES admins (id) ON DELETE SET NULL
);
-- A candidate waits at most once at a time.
CREATE UNIQUE INDEX waitlist_one_waiting ON waitlist (candidate_id) WHERE status = 'waiting';
CREATE INDEX waitlist_queue ON waitlist (status, joined_at, id);

-- A seat offered to a waiting candidate and held for them until expires_at. A held offer counts
-- against the slot's capacity in the booking transaction; the bot's timed job ends it on expiry.
CREATE TABLE waitlist_offers (
    id           INTEGER PRIMARY KEY,
    entry_id     INTEGER NOT NULL REFERENCES waitlist (id) ON DELETE CASCADE,
    candidate_id INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    slot_id      INTEGER NOT NULL REFERENCES slots (id) ON DELETE CASCADE,
    -- held; accepted (booked); declined; expired; withdrawn (the slot changed or went, the
    -- candidate booked another time or left the list).
    status       TEXT    NOT NULL DEFAULT 'held'
                 CHECK (status IN ('held', 'accepted', 'declined', 'expired', 'withdrawn')),
    -- The recruiter who offered it by hand; NULL for an automatic offer.
    by_admin     INTEGER REFERENCES admins (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    ended_at     INTEGER,
    booking_id   INTEGER REFERENCES bookings (id)
);
-- One offer waits for a candidate's answer at a time.
CREATE UNIQUE INDEX waitlist_offers_one_held ON waitlist_offers (candidate_id) WHERE status = 'held';
CREATE INDEX waitlist_offers_slot ON waitlist_offers (slot_id, status);
CREATE INDEX waitlist_offers_due ON waitlist_offers (status, expires_at);

-- 1 while a seat of the slot freed and nobody waiting could be offered it (each had another
-- offer to answer, say): when such an offer ends, the seat is offered again.
ALTER TABLE slots ADD COLUMN waitlist_wanted INTEGER NOT NULL DEFAULT 0;

-- Reconfirmation: when the candidate answered "yes" to the reminder's "will you come?", and when
-- the deadline before the interview found the booking unconfirmed (flagged, or released).
ALTER TABLE bookings ADD COLUMN confirmed_at INTEGER;
ALTER TABLE bookings ADD COLUMN reconfirm_flagged_at INTEGER;

-- The no-show policy: a candidate over NO_SHOW_LIMIT asks, a recruiter approves or refuses.
CREATE TABLE booking_approvals (
    id           INTEGER PRIMARY KEY,
    candidate_id INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    -- The candidate's no-shows when they asked.
    no_shows     INTEGER NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'requested'
                 CHECK (status IN ('requested', 'approved', 'refused')),
    requested_at INTEGER NOT NULL,
    decided_at   INTEGER,
    decided_by   INTEGER REFERENCES admins (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX booking_approvals_one_open ON booking_approvals (candidate_id) WHERE status = 'requested';
CREATE INDEX booking_approvals_status ON booking_approvals (status, requested_at);
