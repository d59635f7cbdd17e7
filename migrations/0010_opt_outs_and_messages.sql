-- Talking to the lead (issue 18): who may not be messaged, and every message out and in.

-- Opt-outs per tenant, channel and address (E.164 phone, lower-cased email). A row with
-- opted_out = false records an opt-in after an opt-out; the history is in audit_log. Checked by
-- the worker immediately before every message; kept here, never only in Redis.
CREATE TABLE opt_outs (
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    channel         text NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email')),
    address         text NOT NULL CHECK (length(address) BETWEEN 3 AND 320),
    opted_out       boolean NOT NULL DEFAULT true,
    cause           text NOT NULL CHECK (cause IN ('keyword', 'provider_error', 'operator')),
    keyword         text,
    actor           text,
    inbound_event_id bigint REFERENCES inbound_events (id) ON DELETE SET NULL,
    changed_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, channel, address)
);

-- The conversation: one row per message sent to a lead (from its delivery, when the provider
-- accepted it) or received from one (a reply). Status notifications raise `status` by rank only
-- (a `read` before `delivered` stays `read`). Personal data, like leads.notes.
CREATE TABLE messages (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    lead_id         bigint REFERENCES leads (id) ON DELETE CASCADE,
    delivery_id     bigint UNIQUE REFERENCES deliveries (id) ON DELETE SET NULL,
    direction       text NOT NULL CHECK (direction IN ('out', 'in')),
    channel         text NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email')),
    address         text NOT NULL,
    sender          text,
    provider_message_id text,
    body            text,
    segments        smallint,
    status          text,
    status_rank     smallint NOT NULL DEFAULT 0,
    status_at       timestamptz,
    error_code      text,
    error_reason    text,
    inbound_event_id bigint REFERENCES inbound_events (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX messages_provider_id_key ON messages (channel, provider_message_id) WHERE provider_message_id IS NOT NULL;
CREATE INDEX messages_lead_idx ON messages (lead_id, created_at);
CREATE INDEX messages_address_idx ON messages (tenant_id, channel, address, created_at DESC);

-- Status notifications that arrived before their message row was written (a callback can beat
-- the worker's commit); folded into the message when it is written.
CREATE TABLE message_status_events (
    channel         text NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email')),
    provider_message_id text NOT NULL,
    status          text NOT NULL,
    status_rank     smallint NOT NULL,
    error_code      text,
    error_reason    text,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, provider_message_id, status)
);

-- When the lead last wrote to us, and when a message to it was last accepted by a provider.
ALTER TABLE leads ADD COLUMN last_reply_at timestamptz,
    ADD COLUMN last_contacted_at timestamptz;
