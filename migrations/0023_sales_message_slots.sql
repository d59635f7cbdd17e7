-- The Florida/Oklahoma cap (3 sales messages per 24 hours) was checked against messages already
-- sent, without a lock: two steps of one lead (two enrollments, two workers) claimed together
-- could both see 2 and both send. A step now takes its slot before the provider call, under a
-- lock on the lead's row, and the slot counts from then on (sent, failed or skipped alike: a
-- slot taken is never given back, so the cap errs on the side of fewer messages).
ALTER TABLE deliveries ADD COLUMN sales_slot_at timestamptz;
CREATE INDEX deliveries_sales_slot_idx ON deliveries (lead_id, sales_slot_at) WHERE sales_slot_at IS NOT NULL;
