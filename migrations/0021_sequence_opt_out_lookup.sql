-- An opt-out ends the enrollments of the tenant's leads with that address (0019). Its lookup
-- was one statement for every channel, `(email branch) OR (phone branch)`, which a generic plan
-- cannot narrow to one index: each STOP could read every lead. One statement per channel uses
-- leads_phone_idx or leads_email_idx.
CREATE OR REPLACE FUNCTION sequence_lead_opted_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.channel = 'email' THEN
        UPDATE sequence_enrollments e SET status = 'exited', exit_reason = 'opted_out', ended_at = now(), needs_schedule = false
        WHERE e.status = 'active' AND e.tenant_id = NEW.tenant_id AND e.snapshot -> 'exit_on' ? 'opt_out'
          AND e.lead_id IN (SELECT l.id FROM leads l WHERE lower(l.email) = lower(NEW.address) AND l.tenant_id = NEW.tenant_id);
    ELSE
        UPDATE sequence_enrollments e SET status = 'exited', exit_reason = 'opted_out', ended_at = now(), needs_schedule = false
        WHERE e.status = 'active' AND e.tenant_id = NEW.tenant_id AND e.snapshot -> 'exit_on' ? 'opt_out'
          AND e.lead_id IN (SELECT l.id FROM leads l WHERE l.phone = NEW.address AND l.tenant_id = NEW.tenant_id);
    END IF;
    RETURN NULL;
END
$$;
