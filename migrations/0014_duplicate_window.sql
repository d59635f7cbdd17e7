-- The duplicate window (issue 18, "Exactly once"): a retry after an attempt whose outcome is unknown
-- may send the same message twice.
--
-- deliveries.maybe_sent_since: when the earliest attempt that may have reached the provider without
-- a definite answer started (a timeout, a dropped connection, a worker that died mid-send). Set by
-- the worker's commit and by a claim taken over from a vanished worker; cleared on success. A
-- channel that can ask its provider (Twilio) looks for that attempt's message before sending again.
--
-- delivery_attempts.possible_duplicate: NULL when no earlier attempt may have sent the delivery;
-- true when this attempt sent again without proof that the earlier one did not (it may be a
-- duplicate); false when the provider was asked and the earlier attempt had not sent it (or had,
-- and nothing was sent again).
ALTER TABLE deliveries ADD COLUMN maybe_sent_since timestamptz;
ALTER TABLE delivery_attempts ADD COLUMN possible_duplicate boolean;
