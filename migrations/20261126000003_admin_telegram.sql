-- An admin's own Telegram account, linked through a one-time deep link from the panel, so test
-- sends can go to the admin themself; and the bot's username as Telegram reports it (getMe at
-- the bot's start), which the panel needs to build t.me links.

ALTER TABLE admins ADD COLUMN telegram_candidate_id INTEGER REFERENCES candidates (id) ON DELETE SET NULL;

-- One-time link codes: only the SHA-256 of a code is stored; a code is used at most once and
-- expires after a short while.
CREATE TABLE admin_link_codes (
    code_hash  TEXT    PRIMARY KEY,
    admin_id   INTEGER NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX admin_link_codes_admin ON admin_link_codes (admin_id);

CREATE TABLE bot_profile (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    username   TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
