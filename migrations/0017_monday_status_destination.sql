-- CRM status write-back (issue 19): the `monday_status` destination kind sets a status column of
-- the lead's monday.com item.
--
-- The CHECK is replaced NOT VALID and validated afterwards, so a large table is scanned without
-- holding the lock that blocks writes.
ALTER TABLE destinations DROP CONSTRAINT destinations_kind_check,
    ADD CONSTRAINT destinations_kind_check
        CHECK (kind IN ('ghl', 'ghl_v1', 'momence', 'npa', 'http', 'whatsapp', 'twilio_sms', 'sendgrid', 'smtp', 'monday_status'))
        NOT VALID;
ALTER TABLE destinations VALIDATE CONSTRAINT destinations_kind_check;
