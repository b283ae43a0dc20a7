-- Campaigns: a vacancy's questionnaire, invitation links (per source, or personal and
-- single-use), where each candidate came from, their answers, and the funnel's first step.

-- The questions asked before a candidate picks a time: a JSON array of
-- {kind, text, text_en, options, optional} (see core_logic::questionnaire).
ALTER TABLE vacancies ADD COLUMN questions TEXT NOT NULL DEFAULT '[]';

-- Invitation links: `https://t.me/<bot>?start=<code>`.
CREATE TABLE invite_links (
    id             INTEGER PRIMARY KEY,
    -- 128 random bits as 32 hex characters: unguessable, URL-safe, within the 64 characters of
    -- a start payload.
    code           TEXT    NOT NULL UNIQUE,
    -- source: one link for everyone who comes through a channel ("hh.ru", a poster);
    -- personal: one person's link, bound to the first Telegram account that opens it.
    kind           TEXT    NOT NULL CHECK (kind IN ('source', 'personal')),
    -- The vacancy the link leads to (the choice is skipped); none: the candidate picks.
    vacancy_id     INTEGER REFERENCES vacancies (id),
    -- The source's label, or the invited person's name.
    label          TEXT    NOT NULL,
    phone          TEXT,
    note           TEXT,
    -- After this the link no longer works (a personal link's chosen date).
    expires_at     INTEGER,
    -- Personal links: the link ends with the person's first booking.
    ends_on_booking INTEGER NOT NULL DEFAULT 1 CHECK (ends_on_booking IN (0, 1)),
    -- Personal links: the account that opened it first, and when.
    candidate_id   INTEGER REFERENCES candidates (id),
    bound_at       INTEGER,
    -- Personal links ending on booking: when the person booked.
    used_at        INTEGER,
    revoked_at     INTEGER,
    created_by     INTEGER REFERENCES admins (id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX invite_links_vacancy ON invite_links (vacancy_id, kind, id);
CREATE INDEX invite_links_candidate ON invite_links (candidate_id);

-- Where candidates entered a vacancy's booking: by a link (`link_id`) or in the bot (none).
-- One row per candidate, vacancy and link, at the first time: the funnel's "opened" step.
CREATE TABLE funnel_touches (
    id           INTEGER PRIMARY KEY,
    candidate_id INTEGER NOT NULL REFERENCES candidates (id),
    vacancy_id   INTEGER REFERENCES vacancies (id),
    link_id      INTEGER REFERENCES invite_links (id),
    at           INTEGER NOT NULL
);
CREATE UNIQUE INDEX funnel_touches_once
    ON funnel_touches (candidate_id, COALESCE(vacancy_id, 0), COALESCE(link_id, 0));
CREATE INDEX funnel_touches_link ON funnel_touches (link_id, at);
CREATE INDEX funnel_touches_vacancy ON funnel_touches (vacancy_id, at);

-- A candidate's first and last invitation link (first and last touch), and the vacancy they
-- are booking for now (the bot's current choice).
ALTER TABLE candidates ADD COLUMN first_link_id INTEGER REFERENCES invite_links (id);
ALTER TABLE candidates ADD COLUMN last_link_id INTEGER REFERENCES invite_links (id);
ALTER TABLE candidates ADD COLUMN vacancy_id INTEGER REFERENCES vacancies (id);

-- A candidate's answers to a vacancy's questions, kept as they go (a restart loses nothing);
-- `step` is the next question; `completed_at` ends it, and it is not asked again.
CREATE TABLE questionnaires (
    candidate_id INTEGER NOT NULL REFERENCES candidates (id),
    vacancy_id   INTEGER NOT NULL REFERENCES vacancies (id),
    -- JSON array of {question, kind, answer} in the order asked; answer null when skipped.
    answers      TEXT    NOT NULL DEFAULT '[]',
    step         INTEGER NOT NULL DEFAULT 0,
    started_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    completed_at INTEGER,
    PRIMARY KEY (candidate_id, vacancy_id)
);
CREATE INDEX questionnaires_vacancy_completed ON questionnaires (vacancy_id, completed_at);

-- The vacancy a booking is for: its slot's, or the candidate's choice for an "any vacancy" slot.
ALTER TABLE bookings ADD COLUMN vacancy_id INTEGER REFERENCES vacancies (id);
CREATE INDEX bookings_vacancy ON bookings (vacancy_id, candidate_id);
