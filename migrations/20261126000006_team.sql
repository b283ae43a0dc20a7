-- Team accounts (issue 14, first part): every panel account has a role; admins invite team
-- members with a one-time set-password link, change roles, deactivate and reset passwords.

-- admin: everything, accounts included; recruiter: everything but accounts; interviewer: their
-- own interviews. The accounts that exist keep everything they had.
ALTER TABLE admins ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'
    CHECK (role IN ('admin', 'recruiter', 'interviewer'));
-- The name the team and candidates see ("Мария Иванова"); the login when absent.
ALTER TABLE admins ADD COLUMN display_name TEXT;
-- A deactivated account cannot log in, and its sessions end at once.
ALTER TABLE admins ADD COLUMN deactivated_at INTEGER;

-- One-time set-password links: an invitation (a new account sets its first password) or a
-- reset. Only the token's SHA-256 is stored; a newer link of an account replaces the older.
CREATE TABLE account_tokens (
    id         INTEGER PRIMARY KEY,
    admin_id   INTEGER NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    token_hash TEXT    NOT NULL UNIQUE,
    purpose    TEXT    NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_by INTEGER REFERENCES admins (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX account_tokens_admin ON account_tokens (admin_id);
