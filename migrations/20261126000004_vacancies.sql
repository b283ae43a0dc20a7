-- Vacancies: the positions a hiring team interviews for, each with its own defaults for the
-- slots generated for it. A slot belongs to one vacancy or to none ("any vacancy"). An archived
-- vacancy's slots are hidden from candidates and refuse new bookings; its bookings stay.

CREATE TABLE vacancies (
    id               INTEGER PRIMARY KEY,
    title            TEXT    NOT NULL,
    -- The title lowercased by the application (SQLite's NOCASE folds only ASCII, and titles are
    -- mostly Cyrillic): no two vacancies share one.
    title_key        TEXT    NOT NULL UNIQUE,
    -- Shown to candidates in the bot on request.
    description      TEXT,
    duration_minutes INTEGER NOT NULL DEFAULT 60 CHECK (duration_minutes BETWEEN 1 AND 1440),
    format           TEXT    NOT NULL DEFAULT 'online',
    location         TEXT,
    capacity         INTEGER NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 1 AND 1000),
    status           TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    -- The order candidates and recruiters see vacancies in (smallest first).
    position         INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

ALTER TABLE slots ADD COLUMN vacancy_id INTEGER REFERENCES vacancies (id);
CREATE INDEX slots_vacancy ON slots (vacancy_id, starts_at);
