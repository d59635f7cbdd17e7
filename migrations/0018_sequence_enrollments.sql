-- Follow-up sequences (issue 19), second part: enrollments, and the deliveries that carry one
-- step of one. An enrollment keeps the snapshot of the definition it started with (editing a
-- sequence does not change runs in flight). One active enrollment per lead and sequence.
-- `needs_schedule` marks enrollments whose next step is still to be scheduled: the scheduler
-- reads only those (a partial index), never every waiting enrollment.

CREATE TABLE sequence_enrollments (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    sequence_id      uuid NOT NULL REFERENCES sequences (id) ON DELETE CASCADE,
    lead_id          bigint NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    sequence_version integer NOT NULL CHECK (sequence_version >= 1),
    snapshot         jsonb NOT NULL CHECK (jsonb_typeof(snapshot) = 'object'),
    status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'exited', 'expired')),
    exit_reason      text,
    next_step        integer NOT NULL DEFAULT 0 CHECK (next_step >= 0),
    next_due_at      timestamptz,
    needs_schedule   boolean NOT NULL DEFAULT true,
    last_step_at     timestamptz,
    enrolled_at      timestamptz NOT NULL DEFAULT now(),
    ended_at         timestamptz,
    enrolled_by      text NOT NULL,
    CHECK ((status = 'active') = (ended_at IS NULL))
);
CREATE UNIQUE INDEX sequence_enrollments_one_active ON sequence_enrollments (sequence_id, lead_id) WHERE status = 'active';
CREATE INDEX sequence_enrollments_to_schedule ON sequence_enrollments (id) WHERE needs_schedule AND status = 'active';
CREATE INDEX sequence_enrollments_lead_idx ON sequence_enrollments (lead_id, enrolled_at);

-- A delivery is either a lead's fan-out to a destination (one per lead and destination, as
-- before) or one step of an enrollment (one per enrollment and step). Both new columns are
-- nullable: a catalogue change, no table rewrite.
ALTER TABLE deliveries ADD COLUMN enrollment_id bigint REFERENCES sequence_enrollments (id) ON DELETE CASCADE,
    ADD COLUMN step_index smallint;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_step_check CHECK ((enrollment_id IS NULL) = (step_index IS NULL)) NOT VALID;
ALTER TABLE deliveries VALIDATE CONSTRAINT deliveries_step_check;
CREATE UNIQUE INDEX deliveries_lead_destination_key ON deliveries (lead_id, destination_id) WHERE enrollment_id IS NULL;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_lead_id_destination_id_key;
CREATE UNIQUE INDEX deliveries_enrollment_step_key ON deliveries (enrollment_id, step_index) WHERE enrollment_id IS NOT NULL;
