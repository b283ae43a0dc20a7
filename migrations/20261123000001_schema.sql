-- The whole domain of the interview booking system.
-- Every timestamp is INTEGER Unix seconds in UTC; the services show them in APP_TIMEZONE.
-- Status columns are TEXT with a CHECK so a bad value can never be stored.

-- Candidates: Telegram users who talk to the bot.
CREATE TABLE candidates (
    id               INTEGER PRIMARY KEY,
    telegram_user_id INTEGER NOT NULL UNIQUE,
    chat_id          INTEGER NOT NULL UNIQUE,
    first_name       TEXT    NOT NULL DEFAULT '',
    last_name        TEXT,
    username         TEXT,
    language         TEXT    NOT NULL DEFAULT 'ru',
    -- active; blocked by an admin; unreachable because they blocked the bot.
    status           TEXT    NOT NULL DEFAULT 'active'
                     CHECK (status IN ('active', 'blocked', 'unreachable')),
    -- The /start deep-link payload the candidate first came with (e.g. a campaign).
    start_payload    TEXT,
    first_seen_at    INTEGER NOT NULL,
    last_seen_at     INTEGER NOT NULL
);
CREATE INDEX candidates_status ON candidates (status, id);
CREATE INDEX candidates_username ON candidates (username COLLATE NOCASE);
CREATE INDEX candidates_last_seen ON candidates (last_seen_at);

-- Recruiters who use the admin panel.
CREATE TABLE admins (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    -- argon2id PHC string.
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- Server-side admin sessions; the cookie carries a random token, only its SHA-256 is stored.
CREATE TABLE admin_sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT    NOT NULL UNIQUE,
    admin_id     INTEGER NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    -- Absolute expiry; the idle expiry is last_seen_at + the idle timeout.
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    ip           TEXT,
    user_agent   TEXT
);
CREATE INDEX admin_sessions_admin ON admin_sessions (admin_id);
CREATE INDEX admin_sessions_expires ON admin_sessions (expires_at);

-- Interview slots.
CREATE TABLE slots (
    id               INTEGER PRIMARY KEY,
    starts_at        INTEGER NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    capacity         INTEGER NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 1 AND 1000),
    -- online / offline / phone, or anything the recruiters use.
    format           TEXT    NOT NULL DEFAULT 'online',
    -- An address or a meeting link.
    location         TEXT,
    notes            TEXT,
    -- open; cancelled (kept and shown); deleted (hidden, kept for booking history).
    status           TEXT    NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open', 'cancelled', 'deleted')),
    created_by       INTEGER REFERENCES admins (id) ON DELETE SET NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX slots_starts_at ON slots (starts_at);
CREATE INDEX slots_status_starts_at ON slots (status, starts_at);

-- Bookings of slots by candidates.
CREATE TABLE bookings (
    id                   INTEGER PRIMARY KEY,
    slot_id              INTEGER NOT NULL REFERENCES slots (id),
    candidate_id         INTEGER NOT NULL REFERENCES candidates (id),
    status               TEXT    NOT NULL DEFAULT 'active'
                         CHECK (status IN ('active', 'cancelled_by_candidate', 'cancelled_by_admin',
                                           'rescheduled', 'attended', 'no_show')),
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    cancelled_at         INTEGER,
    -- Who ended it: 'candidate', 'admin' or 'system'; the admin's id when an admin did.
    cancelled_by         TEXT CHECK (cancelled_by IN ('candidate', 'admin', 'system')),
    cancelled_by_admin   INTEGER REFERENCES admins (id) ON DELETE SET NULL,
    cancel_reason        TEXT,
    attendance_marked_at INTEGER,
    -- The booking this one replaced when the candidate rescheduled.
    rescheduled_from     INTEGER REFERENCES bookings (id)
);
CREATE INDEX bookings_slot_status ON bookings (slot_id, status);
CREATE INDEX bookings_candidate_status ON bookings (candidate_id, status);
CREATE INDEX bookings_status_created ON bookings (status, created_at);
-- A candidate holds a slot at most once at a time.
CREATE UNIQUE INDEX bookings_one_active_per_slot_and_candidate
    ON bookings (slot_id, candidate_id) WHERE status = 'active';

-- Reminders: one row per booking and offset, sent once.
CREATE TABLE reminders (
    id             INTEGER PRIMARY KEY,
    booking_id     INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    offset_minutes INTEGER NOT NULL CHECK (offset_minutes > 0),
    due_at         INTEGER NOT NULL,
    -- pending; sending (claimed by the bot); sent; failed; cancelled (booking ended);
    -- skipped (caught up after downtime but the interview had started).
    status         TEXT    NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled', 'skipped')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    claimed_at     INTEGER,
    sent_at        INTEGER,
    last_error     TEXT,
    UNIQUE (booking_id, offset_minutes)
);
CREATE INDEX reminders_due ON reminders (status, due_at);

-- Broadcasts written by admins.
CREATE TABLE broadcasts (
    id               INTEGER PRIMARY KEY,
    -- Telegram HTML.
    text             TEXT    NOT NULL,
    -- The target segment as JSON, e.g. {"kind":"all"} or {"kind":"booked_on","date":"2026-12-01"}.
    segment          TEXT    NOT NULL,
    -- When to start sending; NULL means at once.
    send_at          INTEGER,
    -- scheduled (waits for send_at); fanning_out (recipients being queued); sending; completed;
    -- cancelled.
    status           TEXT    NOT NULL DEFAULT 'scheduled'
                     CHECK (status IN ('scheduled', 'fanning_out', 'sending', 'completed', 'cancelled')),
    total_recipients INTEGER,
    created_by       INTEGER REFERENCES admins (id) ON DELETE SET NULL,
    created_at       INTEGER NOT NULL,
    started_at       INTEGER,
    finished_at      INTEGER,
    cancelled_at     INTEGER
);
CREATE INDEX broadcasts_created ON broadcasts (created_at);
CREATE INDEX broadcasts_status ON broadcasts (status);

-- One message to one candidate: a broadcast's delivery, a test send, or a notification.
CREATE TABLE deliveries (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT    NOT NULL DEFAULT 'broadcast'
                        CHECK (kind IN ('broadcast', 'test', 'notification')),
    broadcast_id        INTEGER REFERENCES broadcasts (id) ON DELETE CASCADE,
    candidate_id        INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    -- For notifications and test sends: what to tell the candidate, as JSON the bot renders in
    -- their language (core_logic::notifications::Notification).
    notification        TEXT,
    status              TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'published', 'sending', 'sent', 'failed',
                                          'blocked', 'cancelled')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT,
    telegram_message_id INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    published_at        INTEGER,
    sent_at             INTEGER,
    -- A broadcast delivery takes its text from the broadcast; the others carry their own.
    CHECK ((kind = 'broadcast' AND broadcast_id IS NOT NULL AND notification IS NULL)
        OR (kind IN ('test', 'notification') AND notification IS NOT NULL))
);
-- A broadcast reaches each candidate once, however often its fan-out is resumed.
CREATE UNIQUE INDEX deliveries_one_per_broadcast_and_candidate
    ON deliveries (broadcast_id, candidate_id) WHERE kind = 'broadcast';
CREATE INDEX deliveries_broadcast_status ON deliveries (broadcast_id, status);
CREATE INDEX deliveries_status ON deliveries (status, id);
CREATE INDEX deliveries_candidate ON deliveries (candidate_id, created_at);

-- The transactional outbox: events written in the same transaction as the change they announce.
CREATE TABLE outbox_events (
    id           INTEGER PRIMARY KEY,
    -- broadcast_created, notification_created, ...
    kind         TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    -- Not before this time (a scheduled broadcast's send time).
    available_at INTEGER NOT NULL,
    processed_at INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT
);
CREATE INDEX outbox_events_pending ON outbox_events (available_at, id) WHERE processed_at IS NULL;

-- Every admin action, for the audit page.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    admin_id    INTEGER REFERENCES admins (id) ON DELETE SET NULL,
    action      TEXT    NOT NULL,
    entity_type TEXT    NOT NULL,
    entity_id   INTEGER,
    -- JSON with what changed.
    details     TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);
