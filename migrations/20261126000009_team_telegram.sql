-- The team in Telegram (issue 14): after each interview the bot asks its interviewers whether
-- the candidate came, a 1-5 score and a short note (one row per booking and interviewer, the
-- step it waits for); each morning an interviewer gets the day's agenda once (one row per
-- account and local day, written whether or not there was anything to send).
CREATE TABLE interview_feedback (
    booking_id INTEGER NOT NULL REFERENCES bookings (id),
    admin_id   INTEGER NOT NULL REFERENCES admins (id),
    step       TEXT    NOT NULL DEFAULT 'attendance'
               CHECK (step IN ('attendance', 'score', 'note', 'done')),
    attended   INTEGER CHECK (attended IN (0, 1)),
    score      INTEGER CHECK (score BETWEEN 1 AND 5),
    note       TEXT,
    asked_at   INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (booking_id, admin_id)
);
CREATE INDEX interview_feedback_admin_step ON interview_feedback (admin_id, step);

CREATE TABLE agenda_runs (
    admin_id INTEGER NOT NULL REFERENCES admins (id),
    day      TEXT    NOT NULL,
    sent     INTEGER NOT NULL CHECK (sent IN (0, 1)),
    at       INTEGER NOT NULL,
    PRIMARY KEY (admin_id, day)
);
