-- A team member's secret calendar feed (issue 14): `/calendar/<token>.ics`, which Google
-- Calendar and Outlook subscribe to. Only the token's SHA-256 is stored; regenerating replaces
-- it (the old address stops working), revoking clears it.
ALTER TABLE admins ADD COLUMN feed_token_hash TEXT;
ALTER TABLE admins ADD COLUMN feed_created_at INTEGER;
CREATE UNIQUE INDEX admins_feed_token ON admins (feed_token_hash);
