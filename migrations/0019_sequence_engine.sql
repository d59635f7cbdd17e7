-- Follow-up sequences (issue 19), third part: the engine's state in PostgreSQL.
--
-- A step's delivery is created `scheduled` when the step before it finished (one row per
-- enrollment and step, created once: the unique index of 0018), with `next_attempt_at` its due
-- time; the queue module holds the same time in its scheduled set and the sweeper rebuilds it
-- from here. The events that end an enrollment are written once, here, by triggers, whichever
-- path records them (an SMS, WhatsApp or email reply, a keyword opt-out, an operator's stage
-- change, a lead's goal stage). Ending an enrollment skips its steps not yet sent.

-- `scheduled`: a sequence step waiting for its due time. Open work, not yet the queue's backlog.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check,
    ADD CONSTRAINT deliveries_status_check
        CHECK (status IN ('pending', 'queued', 'processing', 'succeeded', 'retrying', 'dead', 'skipped', 'scheduled')) NOT VALID;
ALTER TABLE deliveries VALIDATE CONSTRAINT deliveries_status_check;
CREATE INDEX deliveries_open_due_idx ON deliveries (status, next_attempt_at)
    WHERE status IN ('pending', 'queued', 'processing', 'retrying', 'scheduled');
DROP INDEX deliveries_open_idx;

-- The first reply during the enrollment, and whether its `on_reply` deliveries are still to be
-- created (the worker's sequence scheduler creates and enqueues them).
ALTER TABLE sequence_enrollments ADD COLUMN replied_at timestamptz,
    ADD COLUMN reply_actions_pending boolean NOT NULL DEFAULT false;
CREATE INDEX sequence_enrollments_reply_actions ON sequence_enrollments (id) WHERE reply_actions_pending;

-- A source's new accepted leads enter its sequence (when it has an enabled one), in the statement
-- that inserted them: every intake path (API, forms, CSV, webhooks) goes through this.
CREATE FUNCTION sequence_enroll_new_leads() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sequence_enrollments (tenant_id, sequence_id, lead_id, sequence_version, snapshot, enrolled_by)
    SELECT n.tenant_id, q.id, n.id, q.version, q.definition, 'source:' || s.name
    FROM new_leads n
    JOIN sources s ON s.id = n.source_id AND s.sequence_id IS NOT NULL
    JOIN sequences q ON q.id = s.sequence_id AND q.tenant_id = n.tenant_id AND q.enabled
    WHERE n.status = 'accepted'
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER leads_enter_sequences AFTER INSERT ON leads
    REFERENCING NEW TABLE AS new_leads FOR EACH STATEMENT EXECUTE FUNCTION sequence_enroll_new_leads();

-- An enrollment that ends (any way: a reply, an opt-out, a goal, an operator, expiry) skips its
-- steps not yet handed to a worker. A step a worker holds (`processing`) is checked by that
-- worker immediately before it sends.
CREATE FUNCTION sequence_enrollment_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE deliveries SET status = 'skipped', next_attempt_at = NULL, updated_at = now(), finished_at = now(),
        last_error_class = 'sequence_ended',
        last_error = 'not sent: the sequence enrollment ended (' || NEW.status || coalesce(': ' || NEW.exit_reason, '') || ')'
    WHERE enrollment_id = NEW.id AND step_index >= 0 AND status IN ('pending', 'queued', 'retrying', 'scheduled');
    RETURN NULL;
END
$$;
CREATE TRIGGER sequence_enrollments_ended AFTER UPDATE OF status ON sequence_enrollments
    FOR EACH ROW WHEN (OLD.status = 'active' AND NEW.status <> 'active') EXECUTE FUNCTION sequence_enrollment_ended();

-- A reply on any channel (`leads.last_reply_at` moves): the first one of each active enrollment
-- queues its `on_reply` deliveries, and ends it when its `exit_on` has `reply`.
CREATE FUNCTION sequence_lead_replied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sequence_enrollments e SET
        replied_at = coalesce(e.replied_at, NEW.last_reply_at),
        reply_actions_pending = e.reply_actions_pending
            OR (e.replied_at IS NULL AND jsonb_array_length(coalesce(e.snapshot -> 'on_reply', '[]'::jsonb)) > 0),
        status = CASE WHEN e.snapshot -> 'exit_on' ? 'reply' THEN 'exited' ELSE e.status END,
        exit_reason = CASE WHEN e.snapshot -> 'exit_on' ? 'reply' THEN 'replied' ELSE e.exit_reason END,
        ended_at = CASE WHEN e.snapshot -> 'exit_on' ? 'reply' THEN now() ELSE e.ended_at END,
        needs_schedule = CASE WHEN e.snapshot -> 'exit_on' ? 'reply' THEN false ELSE e.needs_schedule END
    WHERE e.lead_id = NEW.id AND e.status = 'active';
    RETURN NULL;
END
$$;
CREATE TRIGGER leads_replied_exit_sequences AFTER UPDATE OF last_reply_at ON leads
    FOR EACH ROW WHEN (NEW.last_reply_at IS NOT NULL AND NEW.last_reply_at IS DISTINCT FROM OLD.last_reply_at)
    EXECUTE FUNCTION sequence_lead_replied();

-- An opt-out on any channel ends the active enrollments of the tenant's leads with that address.
CREATE FUNCTION sequence_lead_opted_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sequence_enrollments e SET status = 'exited', exit_reason = 'opted_out', ended_at = now(), needs_schedule = false
    WHERE e.status = 'active' AND e.tenant_id = NEW.tenant_id AND e.snapshot -> 'exit_on' ? 'opt_out'
      AND e.lead_id IN (
          SELECT l.id FROM leads l WHERE l.tenant_id = NEW.tenant_id AND (
              (NEW.channel = 'email' AND lower(l.email) = lower(NEW.address))
              OR (NEW.channel <> 'email' AND l.phone = NEW.address)));
    RETURN NULL;
END
$$;
CREATE TRIGGER opt_outs_exit_sequences AFTER INSERT OR UPDATE ON opt_outs
    FOR EACH ROW WHEN (NEW.opted_out) EXECUTE FUNCTION sequence_lead_opted_out();

-- A stage change: the sequence's goal stage completes it; an operator's change ends it when its
-- `exit_on` has `stage_changed`.
CREATE FUNCTION sequence_lead_stage_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sequence_enrollments e SET
        status = CASE WHEN e.snapshot ->> 'goal_stage' = NEW.to_stage THEN 'completed' ELSE 'exited' END,
        exit_reason = CASE WHEN e.snapshot ->> 'goal_stage' = NEW.to_stage THEN 'goal_reached: ' || NEW.to_stage
                           ELSE 'stage_changed: ' || NEW.from_stage || ' → ' || NEW.to_stage || coalesce(' by ' || NEW.actor, '') END,
        ended_at = now(), needs_schedule = false
    WHERE e.lead_id = NEW.lead_id AND e.status = 'active'
      AND (e.snapshot ->> 'goal_stage' = NEW.to_stage OR (NEW.cause = 'operator' AND e.snapshot -> 'exit_on' ? 'stage_changed'));
    RETURN NULL;
END
$$;
CREATE TRIGGER lead_stage_changes_exit_sequences AFTER INSERT ON lead_stage_changes
    FOR EACH ROW EXECUTE FUNCTION sequence_lead_stage_changed();
