-- Webhook events whose answers must be fetched (Meta Graph API, monday GraphQL) are background
-- jobs on inbound_events itself: due time, attempts and the last error, so an outage of the
-- provider's API delays leads but loses none.
ALTER TABLE inbound_events
    ADD COLUMN fetch_attempts integer NOT NULL DEFAULT 0 CHECK (fetch_attempts >= 0),
    ADD COLUMN next_fetch_at  timestamptz,
    ADD COLUMN fetch_error    text;
CREATE INDEX inbound_events_fetch_due_idx ON inbound_events (next_fetch_at) WHERE outcome = 'pending_fetch';
