-- LeadRelay schema v1.
-- PostgreSQL is the source of truth: every accepted lead, every delivery job and every
-- attempt lives here; Redis only carries work that PostgreSQL can always rebuild.
-- Config entities use UUIDs; the high-volume tables (leads, deliveries, attempts,
-- inbound events) use bigint identities, which keep their indexes compact and inserts fast.

CREATE TABLE tenants (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug            text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    default_region  text NOT NULL DEFAULT 'US' CHECK (default_region ~ '^[A-Z]{2}$'),
    timezone        text NOT NULL DEFAULT 'UTC' CHECK (length(timezone) BETWEEN 1 AND 64),
    notification_email text,
    enabled         boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Dashboard logins. Operators see every tenant and have no tenant; members belong to one.
CREATE TABLE users (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid REFERENCES tenants (id) ON DELETE CASCADE,
    email           text NOT NULL CHECK (position('@' IN email) > 1),
    password_hash   text NOT NULL,
    role            text NOT NULL CHECK (role IN ('operator', 'member')),
    enabled         boolean NOT NULL DEFAULT true,
    last_login_at   timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'operator') = (tenant_id IS NULL))
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- API keys are stored only as SHA-256 hashes; the prefix is shown to operators to tell keys apart.
CREATE TABLE api_keys (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    prefix          text NOT NULL UNIQUE,
    key_hash        bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    requests_per_minute integer NOT NULL DEFAULT 1200 CHECK (requests_per_minute > 0),
    last_used_at    timestamptz,
    revoked_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id);

-- Where leads go. `secret_ciphertext` is the destination credential sealed with
-- LEADRELAY_SECRET_KEY (AES-GCM); `account_key` groups destinations that share a CRM
-- account (a GoHighLevel location, a Momence host) for the shared rate limit.
CREATE TABLE destinations (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    kind            text NOT NULL CHECK (kind IN ('ghl', 'ghl_v1', 'momence', 'npa', 'http')),
    config          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    secret_ciphertext bytea,
    base_url        text CHECK (base_url IS NULL OR base_url ~ '^https?://'),
    account_key     text NOT NULL DEFAULT '',
    rate_limit_requests integer CHECK (rate_limit_requests IS NULL OR rate_limit_requests > 0),
    rate_limit_interval_ms integer CHECK (rate_limit_interval_ms IS NULL OR rate_limit_interval_ms > 0),
    retry_schedule_seconds integer[] CHECK (retry_schedule_seconds IS NULL OR cardinality(retry_schedule_seconds) > 0),
    max_attempts    integer NOT NULL DEFAULT 8 CHECK (max_attempts BETWEEN 1 AND 100),
    timeout_ms      integer NOT NULL DEFAULT 10000 CHECK (timeout_ms BETWEEN 100 AND 120000),
    enabled         boolean NOT NULL DEFAULT true,
    dry_run         boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name),
    UNIQUE (id, tenant_id)
);

-- Where leads come from. `token` is the unguessable public part of form and webhook URLs;
-- `secrets_ciphertext` holds the sealed JSON of signing secrets, verify tokens and API tokens.
CREATE TABLE sources (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    kind            text NOT NULL CHECK (kind IN ('api', 'form', 'csv', 'webhook')),
    preset          text CHECK (preset IN ('generic', 'zapier', 'facebook', 'monday', 'shopmonkey')),
    token           text NOT NULL UNIQUE CHECK (length(token) >= 20),
    config          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    field_map       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(field_map) = 'object'),
    secrets_ciphertext bytea,
    notification_email text,
    enabled         boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name),
    UNIQUE (id, tenant_id),
    CHECK ((kind = 'webhook') = (preset IS NOT NULL))
);

-- Fan-out: the destinations a source's leads are delivered to. The composite keys keep a
-- source from ever pointing at another tenant's destination.
CREATE TABLE source_destinations (
    tenant_id       uuid NOT NULL,
    source_id       uuid NOT NULL,
    destination_id  uuid NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_id, destination_id),
    FOREIGN KEY (source_id, tenant_id) REFERENCES sources (id, tenant_id) ON DELETE CASCADE,
    FOREIGN KEY (destination_id, tenant_id) REFERENCES destinations (id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX source_destinations_destination_idx ON source_destinations (destination_id);

-- CSV import jobs and their row-level error report.
CREATE TABLE imports (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    source_id       uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    status          text NOT NULL DEFAULT 'receiving' CHECK (status IN ('receiving', 'completed', 'failed')),
    filename        text,
    encoding        text,
    delimiter       text,
    bytes_received  bigint NOT NULL DEFAULT 0 CHECK (bytes_received >= 0),
    rows_total      integer NOT NULL DEFAULT 0 CHECK (rows_total >= 0),
    accepted        integer NOT NULL DEFAULT 0 CHECK (accepted >= 0),
    duplicates      integer NOT NULL DEFAULT 0 CHECK (duplicates >= 0),
    rejected        integer NOT NULL DEFAULT 0 CHECK (rejected >= 0),
    failure_reason  text,
    warnings        jsonb NOT NULL DEFAULT '[]',
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz
);
CREATE INDEX imports_tenant_created_idx ON imports (tenant_id, created_at DESC);

CREATE TABLE import_errors (
    import_id       uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    row_number      integer NOT NULL,
    line            integer,
    reason          text NOT NULL,
    fields          jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (import_id, row_number)
);

-- Every webhook request exactly as received, whatever its outcome, so it can be replayed.
CREATE TABLE inbound_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       uuid REFERENCES tenants (id) ON DELETE CASCADE,
    source_id       uuid REFERENCES sources (id) ON DELETE CASCADE,
    received_at     timestamptz NOT NULL DEFAULT now(),
    method          text NOT NULL,
    content_type    text,
    headers         jsonb NOT NULL DEFAULT '{}',
    body            bytea NOT NULL DEFAULT '\x',
    body_size       integer NOT NULL DEFAULT 0 CHECK (body_size >= 0),
    body_truncated  boolean NOT NULL DEFAULT false,
    outcome         text NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'rejected', 'bad_signature',
                                                     'ignored', 'too_large', 'verification', 'pending_fetch')),
    reason          text,
    external_event_id text,
    lead_ids        bigint[] NOT NULL DEFAULT '{}',
    replay_of       bigint REFERENCES inbound_events (id) ON DELETE SET NULL
);
CREATE INDEX inbound_events_source_received_idx ON inbound_events (source_id, received_at DESC);
CREATE INDEX inbound_events_tenant_outcome_idx ON inbound_events (tenant_id, outcome, received_at DESC);
CREATE UNIQUE INDEX inbound_events_external_event_key ON inbound_events (source_id, external_event_id)
    WHERE external_event_id IS NOT NULL AND replay_of IS NULL AND outcome IN ('accepted', 'duplicate', 'ignored', 'pending_fetch');

-- Leads: normalized fields, unknown answers in `extra`, the payload as received in `raw`.
-- `phone` is E.164 when normalization succeeded; `phone_raw` always keeps what was typed.
CREATE TABLE leads (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    source_id       uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    channel         text NOT NULL CHECK (channel IN ('api', 'form', 'csv', 'webhook')),
    import_id       uuid REFERENCES imports (id) ON DELETE SET NULL,
    inbound_event_id bigint REFERENCES inbound_events (id) ON DELETE SET NULL,
    external_id     text,
    first_name      text,
    last_name       text,
    email           text,
    phone           text CHECK (phone IS NULL OR phone ~ '^\+[1-9][0-9]{1,16}$'),
    phone_raw       text,
    postal_code     text,
    notes           text,
    extra           jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(extra) = 'object'),
    raw             jsonb,
    flags           text[] NOT NULL DEFAULT '{}',
    dedup_hash      bytea NOT NULL CHECK (length(dedup_hash) = 32),
    status          text NOT NULL DEFAULT 'accepted' CHECK (status IN ('accepted', 'spam')),
    received_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (email IS NOT NULL OR phone_raw IS NOT NULL),
    UNIQUE (source_id, dedup_hash)
);
CREATE UNIQUE INDEX leads_source_external_id_key ON leads (source_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX leads_tenant_received_idx ON leads (tenant_id, received_at DESC);
CREATE INDEX leads_source_received_idx ON leads (source_id, received_at DESC);
CREATE INDEX leads_email_idx ON leads (lower(email)) WHERE email IS NOT NULL;
CREATE INDEX leads_phone_idx ON leads (phone) WHERE phone IS NOT NULL;
CREATE INDEX leads_import_idx ON leads (import_id) WHERE import_id IS NOT NULL;

-- One delivery job per lead × destination. Status machine:
--   pending → queued → processing → succeeded
--                                 → retrying → queued → … → dead
CREATE TABLE deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    lead_id         bigint NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    destination_id  uuid NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'queued', 'processing', 'succeeded', 'retrying', 'dead')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz,
    claimed_by      text,
    claimed_at      timestamptz,
    external_id     text,
    last_http_status integer,
    last_error_class text,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    UNIQUE (lead_id, destination_id),
    CHECK (status <> 'processing' OR claimed_at IS NOT NULL)
);
-- The sweeper's and the dashboard's queues: open work by status and due time.
CREATE INDEX deliveries_open_idx ON deliveries (status, next_attempt_at)
    WHERE status IN ('pending', 'queued', 'processing', 'retrying');
CREATE INDEX deliveries_destination_status_idx ON deliveries (destination_id, status, updated_at DESC);
CREATE INDEX deliveries_tenant_status_idx ON deliveries (tenant_id, status, updated_at DESC);

-- The processing log: one row per attempt.
CREATE TABLE delivery_attempts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id     bigint NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempt         integer NOT NULL CHECK (attempt >= 1),
    worker_id       text NOT NULL,
    started_at      timestamptz NOT NULL,
    duration_ms     integer NOT NULL CHECK (duration_ms >= 0),
    outcome         text NOT NULL CHECK (outcome IN ('succeeded', 'retryable', 'permanent')),
    http_status     integer,
    error_class     text,
    error_message   text,
    response_excerpt text
);
CREATE INDEX delivery_attempts_delivery_idx ON delivery_attempts (delivery_id, attempt);
CREATE INDEX delivery_attempts_started_idx ON delivery_attempts (started_at DESC);

-- Idempotency-Key replays for the bulk API (kept 24 h).
CREATE TABLE idempotency_keys (
    api_key_id      uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash    bytea NOT NULL,
    response_status integer NOT NULL,
    response_body   bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (api_key_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Who did what, when.
CREATE TABLE audit_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    actor           text NOT NULL,
    user_id         uuid REFERENCES users (id) ON DELETE SET NULL,
    tenant_id       uuid REFERENCES tenants (id) ON DELETE SET NULL,
    action          text NOT NULL,
    target_type     text,
    target_id       text,
    details         jsonb NOT NULL DEFAULT '{}',
    ip              inet
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_tenant_at_idx ON audit_log (tenant_id, at DESC);
