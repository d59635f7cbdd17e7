-- Polling sources (issue 20): leads nobody pushes to us, read by the workers.
--   sheet            a Google Sheets spreadsheet's ranges/tabs;
--   shopmonkey_poll  Shopmonkey customers (and orders) updated since a cursor;
--   a shopmonkey webhook source with `config.poll` also polls, as a backup of its webhooks: its
--   polled customers share the webhook's dedup key, so a customer received both ways is one lead.
ALTER TABLE sources DROP CONSTRAINT sources_kind_check,
    ADD CONSTRAINT sources_kind_check CHECK (kind IN ('api', 'form', 'csv', 'webhook', 'sheet', 'shopmonkey_poll')) NOT VALID;
ALTER TABLE sources VALIDATE CONSTRAINT sources_kind_check;
ALTER TABLE leads DROP CONSTRAINT leads_channel_check,
    ADD CONSTRAINT leads_channel_check CHECK (channel IN ('api', 'form', 'csv', 'webhook', 'sheet', 'shopmonkey_poll')) NOT VALID;
ALTER TABLE leads VALIDATE CONSTRAINT leads_channel_check;

-- Which sources poll.
CREATE FUNCTION source_is_polled(kind text, preset text, config jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
    SELECT kind IN ('sheet', 'shopmonkey_poll') OR (kind = 'webhook' AND preset = 'shopmonkey' AND config ? 'poll')
$$;

-- One row per polled source: when it polls next, who holds its lease, where it got to, and
-- whether it is in error. A worker polls a source only while it holds the lease
-- (`lease_until` in the future); a worker that dies loses it when `lease_until` passes, which
-- the poller sets to the poll interval + 30 s and renews while a long poll runs.
CREATE TABLE source_polls (
    source_id       uuid PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    next_poll_at    timestamptz NOT NULL DEFAULT now(),
    lease_owner     text,
    lease_until     timestamptz,
    -- Kind-specific progress: a sheet's header and row count per range, Shopmonkey's updatedDate
    -- cursor and the (id, updatedDate) pairs seen inside the overlap window.
    cursor          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(cursor) = 'object'),
    state           text NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'error')),
    error_reason    text,
    error_since     timestamptz,
    -- Consecutive failed polls: the back-off after a 429 or 5xx grows with it.
    failures        integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_polled_at  timestamptz,
    last_success_at timestamptz,
    -- Set by `leadctl source poll S --accept-header` / the dashboard: the next poll takes the
    -- sheet's current header as the expected one.
    accept_header   boolean NOT NULL DEFAULT false,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'error') = (error_reason IS NOT NULL))
);
CREATE INDEX source_polls_due_idx ON source_polls (next_poll_at);

-- A polled source gets its row when it is created or starts polling; a change to its
-- configuration or secrets polls it at once (so a fixed sheet resumes without waiting).
CREATE FUNCTION source_poll_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF source_is_polled(NEW.kind, NEW.preset, NEW.config) THEN
        INSERT INTO source_polls (source_id, tenant_id) VALUES (NEW.id, NEW.tenant_id)
        ON CONFLICT (source_id) DO UPDATE SET next_poll_at = now(), updated_at = now();
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sources_poll_row AFTER INSERT OR UPDATE OF kind, preset, config, field_map, secrets_ciphertext, enabled ON sources
    FOR EACH ROW EXECUTE FUNCTION source_poll_row();
INSERT INTO source_polls (source_id, tenant_id)
SELECT id, tenant_id FROM sources WHERE source_is_polled(kind, preset, config)
ON CONFLICT DO NOTHING;

-- One row per poll: what it read and what became of it. Rejected rows carry the same
-- row-level reasons as a CSV import's error report (`rejections`: [{row, reason, fields}],
-- the first 100). Runs older than 14 days are deleted by the poller.
CREATE TABLE poll_runs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id       uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    worker_id       text NOT NULL,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL DEFAULT now(),
    duration_ms     integer NOT NULL CHECK (duration_ms >= 0),
    requests        integer NOT NULL DEFAULT 0 CHECK (requests >= 0),
    rows_read       integer NOT NULL DEFAULT 0 CHECK (rows_read >= 0),
    new_rows        integer NOT NULL DEFAULT 0 CHECK (new_rows >= 0),
    accepted        integer NOT NULL DEFAULT 0 CHECK (accepted >= 0),
    duplicates      integer NOT NULL DEFAULT 0 CHECK (duplicates >= 0),
    rejected        integer NOT NULL DEFAULT 0 CHECK (rejected >= 0),
    changed         integer NOT NULL DEFAULT 0 CHECK (changed >= 0),
    -- ok: read everything; partial: stopped early (quota, shutdown), goes on next time;
    -- error: nothing read (the reason says why).
    outcome         text NOT NULL CHECK (outcome IN ('ok', 'partial', 'error')),
    error           text,
    rejections      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(rejections) = 'array'),
    notes           text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX poll_runs_source_started_idx ON poll_runs (source_id, started_at DESC);

-- The rows of a sheet source already read, so that each becomes a lead once. A row is known by
-- the hash of its cells by header (`row_hash`, order of columns irrelevant) and its occurrence
-- among identical rows; `previous_hash` is the row above it when last read, which lets a poll
-- tell an edited row (its old hash vanished between the same neighbours) from a new one.
-- `lead_id` is null for rows that were rejected or recorded without import (`start_at: now`).
CREATE TABLE sheet_rows (
    source_id       uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    range_key       text NOT NULL,
    row_hash        bytea NOT NULL CHECK (length(row_hash) = 32),
    occurrence      integer NOT NULL DEFAULT 1 CHECK (occurrence >= 1),
    previous_hash   bytea,
    row_number      integer NOT NULL,
    -- The row's non-empty cells by header, for the before/after of a later edit.
    cells           jsonb NOT NULL,
    lead_id         bigint REFERENCES leads (id) ON DELETE SET NULL,
    rejected        boolean NOT NULL DEFAULT false,
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    changed_at      timestamptz,
    PRIMARY KEY (source_id, range_key, row_hash, occurrence)
);
CREATE INDEX sheet_rows_lead_idx ON sheet_rows (lead_id) WHERE lead_id IS NOT NULL;

-- Changes to a lead's record at its source after it was accepted (an edited sheet row): what
-- the row said before and after. The lead itself keeps what it arrived with.
CREATE TABLE lead_source_changes (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id         bigint NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    source_id       uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    at              timestamptz NOT NULL DEFAULT now(),
    location        text NOT NULL,
    before          jsonb NOT NULL,
    after           jsonb NOT NULL
);
CREATE INDEX lead_source_changes_lead_idx ON lead_source_changes (lead_id, at DESC);
