-- The embedded queue (used when RABBITMQ_URL is unset): messages as rows in the domain database.
-- Unlike the domain tables, its timestamps are Unix milliseconds: a visibility timeout or a
-- poll interval is far below a second.
CREATE TABLE queue_messages (
    id          INTEGER PRIMARY KEY,
    -- The queue's name, so tests and future queues can share the table.
    queue       TEXT    NOT NULL,
    body        BLOB    NOT NULL,
    enqueued_at INTEGER NOT NULL,
    -- A message is handed out only once visible_at has passed; receiving it pushes visible_at
    -- one visibility timeout ahead, so a consumer that dies without acking loses it to another.
    visible_at  INTEGER NOT NULL,
    -- How many times it was handed out; above 1 means redelivered.
    receives    INTEGER NOT NULL DEFAULT 0,
    -- A random token of the claim that holds it; acks, nacks and dead-letters must present it,
    -- so a late ack never deletes a copy that another consumer claimed since.
    lease       TEXT,
    -- Set when dead-lettered: the row stays for inspection and is never handed out again.
    dead_at     INTEGER,
    dead_reason TEXT
);
-- The consumer's claim: the oldest visible live messages of one queue.
CREATE INDEX queue_messages_ready ON queue_messages (queue, visible_at, id) WHERE dead_at IS NULL;
-- The dead-letter count.
CREATE INDEX queue_messages_dead ON queue_messages (queue) WHERE dead_at IS NOT NULL;
