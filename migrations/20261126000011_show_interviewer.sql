-- Whether candidates of a vacancy see their interviewer's name in the bot (issue 14).
ALTER TABLE vacancies ADD COLUMN show_interviewer INTEGER NOT NULL DEFAULT 0 CHECK (show_interviewer IN (0, 1));
