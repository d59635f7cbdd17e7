-- GoHighLevel tags (issue 19): the `ghl_tags` destination kind adds tags to the lead's contact, so
-- a GoHighLevel workflow can branch on a LeadRelay sequence step.
--
-- The CHECK is replaced NOT VALID and validated afterwards, so a large table is scanned without
-- holding the lock that blocks writes.
ALTER TABLE destinations DROP CONSTRAINT destinations_kind_check,
    ADD CONSTRAINT destinations_kind_check
        CHECK (kind IN ('ghl', 'ghl_v1', 'momence', 'npa', 'http', 'whatsapp', 'twilio_sms', 'sendgrid', 'smtp', 'monday_status',
                        'ghl_tags'))
        NOT VALID;
ALTER TABLE destinations VALIDATE CONSTRAINT destinations_kind_check;
