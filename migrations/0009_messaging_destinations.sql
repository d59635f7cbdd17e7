-- Messaging the lead (issue 18): four destination kinds whose destination is a person, the
-- `skipped` end state, message facts on attempt rows, and destination suspension.
--
-- Each CHECK is replaced NOT VALID and validated afterwards, so a large table is scanned
-- without holding the lock that blocks writes.

-- whatsapp (Meta Cloud API), twilio_sms, sendgrid and smtp email.
ALTER TABLE destinations DROP CONSTRAINT destinations_kind_check,
    ADD CONSTRAINT destinations_kind_check
        CHECK (kind IN ('ghl', 'ghl_v1', 'momence', 'npa', 'http', 'whatsapp', 'twilio_sms', 'sendgrid', 'smtp')) NOT VALID;
ALTER TABLE destinations VALIDATE CONSTRAINT destinations_kind_check;

-- A destination whose credential the provider refused (WhatsApp 190, Twilio 20003, SendGrid 401)
-- is suspended: its deliveries wait, without spending attempts, until the secret is replaced.
ALTER TABLE destinations ADD COLUMN suspended_at timestamptz,
    ADD COLUMN suspended_reason text;

-- `skipped`: finished without a call because the lead cannot be addressed on the channel (no
-- phone, a phone that could not be normalized, no email) or opted out. Not retried, not dead.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check,
    ADD CONSTRAINT deliveries_status_check
        CHECK (status IN ('pending', 'queued', 'processing', 'succeeded', 'retrying', 'dead', 'skipped')) NOT VALID;
ALTER TABLE deliveries VALIDATE CONSTRAINT deliveries_status_check;

-- What a message attempt sent: SMS segments and their encoding, and the provider's message id
-- (`SM…`, `wamid…`, SendGrid's X-Message-Id) also when the attempt failed later in the chain.
ALTER TABLE delivery_attempts ADD COLUMN message_segments smallint CHECK (message_segments IS NULL OR message_segments > 0),
    ADD COLUMN message_encoding text CHECK (message_encoding IS NULL OR message_encoding IN ('gsm7', 'ucs2')),
    ADD COLUMN provider_message_id text;
