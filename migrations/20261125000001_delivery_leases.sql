-- A delivery being sent is held under a lease: `sending` rows carry the claim's random token and
-- the time the lease runs out. A second copy of the queue message finds the lease valid and does
-- not send; a bot that dies mid-send leaves the lease to expire, and the sweeper republishes the
-- delivery (see docs/decisions.md, "Delivery leases").
ALTER TABLE deliveries ADD COLUMN lease_token TEXT;
-- Unix seconds; only meaningful while status = 'sending'.
ALTER TABLE deliveries ADD COLUMN lease_until INTEGER;
-- The sweeper's scan: sending rows by lease expiry.
CREATE INDEX deliveries_sending_lease ON deliveries (lease_until) WHERE status = 'sending';
