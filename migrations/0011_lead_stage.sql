-- The lead's lifecycle stage (issue 18): new → contacted (a message accepted by a provider) →
-- engaged (the lead replied) → qualified / appointment_set / completed / lost (set by an
-- operator or an integration). Automatic moves only go forward; every change is recorded.
ALTER TABLE leads ADD COLUMN stage text NOT NULL DEFAULT 'new'
        CHECK (stage IN ('new', 'contacted', 'engaged', 'qualified', 'appointment_set', 'completed', 'lost')),
    ADD COLUMN stage_changed_at timestamptz;
CREATE INDEX leads_tenant_stage_idx ON leads (tenant_id, stage, received_at DESC);

CREATE TABLE lead_stage_changes (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id         bigint NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    from_stage      text NOT NULL,
    to_stage        text NOT NULL,
    at              timestamptz NOT NULL DEFAULT now(),
    cause           text NOT NULL CHECK (cause IN ('message_accepted', 'reply', 'operator', 'integration')),
    actor           text,
    message_id      bigint REFERENCES messages (id) ON DELETE SET NULL
);
CREATE INDEX lead_stage_changes_lead_idx ON lead_stage_changes (lead_id, at);

-- Moves a lead to `target` and records why, only forward from an automatic cause (`reply`,
-- `message_accepted`: new → contacted → engaged, never back from a later stage), any way from an
-- operator or an integration. Returns whether the stage changed.
CREATE FUNCTION move_lead_stage(p_lead bigint, p_target text, p_cause text, p_actor text, p_message bigint)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    current_stage text;
    tenant uuid;
    automatic_order constant text[] := ARRAY['new', 'contacted', 'engaged'];
BEGIN
    SELECT stage, tenant_id INTO current_stage, tenant FROM leads WHERE id = p_lead FOR UPDATE;
    IF NOT FOUND OR current_stage = p_target THEN
        RETURN false;
    END IF;
    IF p_cause IN ('reply', 'message_accepted')
       AND (array_position(automatic_order, current_stage) IS NULL
            OR array_position(automatic_order, current_stage) >= array_position(automatic_order, p_target)) THEN
        RETURN false;
    END IF;
    UPDATE leads SET stage = p_target, stage_changed_at = now() WHERE id = p_lead;
    INSERT INTO lead_stage_changes (lead_id, tenant_id, from_stage, to_stage, cause, actor, message_id)
    VALUES (p_lead, tenant, current_stage, p_target, p_cause, p_actor, p_message);
    RETURN true;
END $$;
