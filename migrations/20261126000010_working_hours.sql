-- An interviewer's working hours: bulk generation gives them slots only within these (none
-- recorded: any time). Weekday 1 = Monday; minutes of the local day, [start, end).
CREATE TABLE working_hours (
    admin_id     INTEGER NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute   INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    CHECK (end_minute > start_minute)
);
CREATE INDEX working_hours_admin ON working_hours (admin_id, weekday);
