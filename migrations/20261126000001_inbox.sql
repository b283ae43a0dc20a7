-- The inbox: what candidates write to the bot (text, photos, documents) and the recruiters'
-- replies from the panel, one conversation per candidate.
-- An incoming message is unread until a recruiter opens the conversation (read_at). A reply
-- travels the queue as a notification delivery; its delivery's status is the reply's status.
CREATE TABLE conversation_messages (
    id              INTEGER PRIMARY KEY,
    candidate_id    INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    -- in: the candidate wrote it; out: a recruiter's reply.
    direction       TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    -- The text, or a photo's or document's caption.
    text            TEXT,
    attachment_kind TEXT    CHECK (attachment_kind IN ('photo', 'document')),
    -- Telegram's file_id of the attachment (the largest size of a photo).
    file_id         TEXT,
    -- A document's file name as the candidate sent it.
    file_name       TEXT,
    created_at      INTEGER NOT NULL,
    -- Incoming only: when a recruiter opened the conversation; NULL while unread.
    read_at         INTEGER,
    -- Outgoing only: the delivery that carries the reply.
    delivery_id     INTEGER REFERENCES deliveries (id) ON DELETE SET NULL,
    -- Outgoing only: the recruiter who replied.
    admin_id        INTEGER REFERENCES admins (id) ON DELETE SET NULL,
    -- Something to show: a text, an attachment, or both.
    CHECK (text IS NOT NULL OR attachment_kind IS NOT NULL),
    CHECK ((attachment_kind IS NULL) = (file_id IS NULL)),
    CHECK (direction = 'in' OR (read_at IS NULL AND attachment_kind IS NULL AND text IS NOT NULL)),
    CHECK (direction = 'out' OR (delivery_id IS NULL AND admin_id IS NULL))
);
-- A conversation, in order.
CREATE INDEX conversation_messages_candidate ON conversation_messages (candidate_id, id);
-- The unread messages (counted on every page of the panel and by its live view).
CREATE INDEX conversation_messages_unread ON conversation_messages (candidate_id)
    WHERE direction = 'in' AND read_at IS NULL;
-- The replies, by their delivery (the live view follows the ones still on their way).
CREATE INDEX conversation_messages_delivery ON conversation_messages (delivery_id)
    WHERE delivery_id IS NOT NULL;
