-- veille store schema (DuckDB). One file holds everything; see docs in README "Store schema".
-- Version of this schema; bumped when a migration is needed.
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

-- One row per distinct cleaned report. id = sha256 of the normalised clean text (first 16 hex).
CREATE TABLE IF NOT EXISTS documents (
    id VARCHAR PRIMARY KEY,
    ext_id VARCHAR,            -- id given by the input (JSONL "id"), if any
    url VARCHAR,
    source VARCHAR,            -- file path / URL the report came from
    record VARCHAR,            -- position inside the source ("line 3", "record 7")
    title VARCHAR,
    published DATE,            -- publication date; first day of the period when precision < day
    date_precision VARCHAR,    -- day | month | year | unknown
    date_source VARCHAR,       -- header | declared | html | dateline | none
    lang VARCHAR,              -- ISO 639-1 code, "und" when undetermined
    lang_supported BOOLEAN,    -- false: stored but not coded
    coded BOOLEAN,             -- events were extracted for this document
    words INTEGER,
    text VARCHAR,
    ingested_at TIMESTAMP,
    host VARCHAR               -- lower-cased host of url ("www.lemonde.fr"), for domain filters
);

-- Reports or files that could not be used, with the reason.
CREATE TABLE IF NOT EXISTS rejected (
    file VARCHAR,
    record VARCHAR,
    reason VARCHAR,
    time TIMESTAMP
);

-- One row per coded event (PLOVER type, with CAMEO/GDELT equivalents).
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY,
    doc_id VARCHAR,
    date DATE,
    date_precision VARCHAR,
    type VARCHAR,
    mode VARCHAR,
    context VARCHAR,
    factuality VARCHAR,
    confidence DOUBLE,
    cameo_root VARCHAR,
    quad_class INTEGER,
    goldstein DOUBLE,
    sentence INTEGER,
    start_char INTEGER,
    end_char INTEGER,
    evidence VARCHAR,
    trigger VARCHAR,
    location_name VARCHAR,
    location_country VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    actor_codes VARCHAR,       -- actor codes joined by "|" (denormalised for fast filters)
    recipient_codes VARCHAR
);

-- Actors and recipients of each event, in order.
CREATE TABLE IF NOT EXISTS event_actors (
    event_id VARCHAR,
    role VARCHAR,              -- actor | recipient
    position INTEGER,
    code VARCHAR,
    name VARCHAR,
    text VARCHAR,
    start_char INTEGER,
    end_char INTEGER,
    via VARCHAR                -- how the code was found (coreference, a generic actor's country); '' if named
);

-- Lookups of an event's actors (event lists, API) and of a document's events.
CREATE INDEX IF NOT EXISTS event_actors_event ON event_actors(event_id);
CREATE INDEX IF NOT EXISTS events_doc ON events(doc_id);

-- Feeds followed by `veille watch`: the last poll of each and what came of it.
CREATE TABLE IF NOT EXISTS feeds (
    url VARCHAR PRIMARY KEY,
    etag VARCHAR,              -- validators for the next conditional GET
    last_modified VARCHAR,
    last_poll TIMESTAMP,
    last_ok TIMESTAMP,
    last_error VARCHAR,        -- NULL when the last poll succeeded
    polls INTEGER,
    errors INTEGER,
    entries INTEGER,           -- articles the feed listed at its last successful poll
    articles INTEGER           -- articles stored from this feed, in all
);

-- Every article URL `veille watch` has fetched or given up on: none is fetched twice.
CREATE TABLE IF NOT EXISTS fetched (
    url VARCHAR PRIMARY KEY,
    feed VARCHAR,
    time TIMESTAMP,
    outcome VARCHAR,           -- stored | duplicate | rejected | refused | failed (tried again later)
    doc_id VARCHAR,
    attempts INTEGER,
    error VARCHAR
);

-- Alerts fired by rules (`veille watch --alerts`, `veille alerts --record`): one per rule and set of events.
CREATE TABLE IF NOT EXISTS alerts (
    id VARCHAR PRIMARY KEY,    -- hash of the rule's name and the sorted event ids
    rule VARCHAR,
    fired_at TIMESTAMP,
    window_start DATE,
    window_end DATE,
    count INTEGER,
    event_ids VARCHAR,         -- joined by "|"
    payload VARCHAR,           -- the alert as JSON, as the webhook receives it
    delivered VARCHAR          -- webhook: '' (none), 'ok', or the last error
);
