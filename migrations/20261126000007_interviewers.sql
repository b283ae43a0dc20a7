-- The interviewers of each slot (issue 14): one, several (a panel interview: offered only when
-- every one of them is free), or none. An interviewer is never booked twice at overlapping
-- times: a slot whose interviewer has a booked interview overlapping it is not offered, and the
-- booking transaction refuses it.
CREATE TABLE slot_interviewers (
    slot_id  INTEGER NOT NULL REFERENCES slots (id) ON DELETE CASCADE,
    admin_id INTEGER NOT NULL REFERENCES admins (id),
    PRIMARY KEY (slot_id, admin_id)
);
CREATE INDEX slot_interviewers_admin ON slot_interviewers (admin_id, slot_id);
