-- The broadcast composer: a title, an English text beside the Russian one, an optional inline
-- button and an optional photo.

-- A photo uploaded for a broadcast (JPEG, PNG or WebP, checked by its bytes, at most 10 MB).
-- `telegram_file_id` is filled after the first send uploaded it, so later sends reuse it.
CREATE TABLE broadcast_photos (
    id               INTEGER PRIMARY KEY,
    bytes            BLOB    NOT NULL,
    content_type     TEXT    NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    size             INTEGER NOT NULL CHECK (size > 0),
    created_at       INTEGER NOT NULL,
    telegram_file_id TEXT
);

-- What the admins call the broadcast in the panel (never sent): at most 80 characters.
ALTER TABLE broadcasts ADD COLUMN title TEXT NOT NULL DEFAULT '';
-- Telegram HTML for candidates whose language is English; NULL: they get `text`.
ALTER TABLE broadcasts ADD COLUMN text_en TEXT;
-- The inline button under the message, as JSON (core_logic::broadcasts::BroadcastButton):
-- {"kind":"url","text":"...","url":"https://..."} or {"kind":"book"}; NULL for none.
ALTER TABLE broadcasts ADD COLUMN button TEXT CHECK (button IS NULL OR json_valid(button));
-- The photo sent above the text (the text becomes its caption).
ALTER TABLE broadcasts ADD COLUMN photo_id INTEGER REFERENCES broadcast_photos (id);

-- Existing broadcasts are titled by the first non-empty line of their visible text (tags
-- stripped, the four named entities decoded, trimmed, at most 80 characters), as
-- core_logic::broadcasts::default_title does for new ones.
WITH RECURSIVE strip (id, done, rest) AS (
    SELECT id, '', text FROM broadcasts
    UNION ALL
    SELECT id,
           done || CASE WHEN instr(rest, '<') = 0 THEN rest ELSE substr(rest, 1, instr(rest, '<') - 1) END,
           CASE
               WHEN instr(rest, '<') = 0 THEN ''
               WHEN instr(substr(rest, instr(rest, '<')), '>') = 0 THEN ''
               ELSE substr(rest, instr(rest, '<') + instr(substr(rest, instr(rest, '<')), '>'))
           END
    FROM strip
    WHERE rest <> ''
),
visible (id, text) AS (
    SELECT id,
           ltrim(replace(replace(replace(replace(done, '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&amp;', '&'),
                 ' ' || char(9) || char(10) || char(13))
    FROM strip
    WHERE rest = ''
)
UPDATE broadcasts
SET title = (
    SELECT trim(substr(CASE WHEN instr(v.text, char(10)) = 0 THEN v.text
                            ELSE substr(v.text, 1, instr(v.text, char(10)) - 1) END, 1, 80),
                ' ' || char(9) || char(13))
    FROM visible v
    WHERE v.id = broadcasts.id
);
