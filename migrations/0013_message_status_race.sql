-- A status callback can arrive while the worker is committing the outbound message it reports on
-- (Twilio calls back within a second). Each side's statement cannot see the other's uncommitted
-- row, so without a lock the callback finds no message and the worker's fold finds no status
-- event, and the status is lost. Both sides take one transaction-scoped advisory lock per
-- (channel, provider message id): the worker through the trigger on messages, a webhook through
-- the trigger on message_status_events. Whoever takes it second sees what the first committed.

CREATE FUNCTION message_status_lock(p_channel text, p_provider_message_id text) RETURNS void
LANGUAGE plpgsql AS $function$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('message-status:' || p_channel || ':' || p_provider_message_id, 0));
END
$function$;

-- An outbound message row takes the best status already reported for its provider id
-- (delivered/read win over a failure, as the worker's own fold chooses), with its error code.
CREATE FUNCTION fold_message_status_events() RETURNS trigger LANGUAGE plpgsql AS $function$
DECLARE
    best record;
BEGIN
    IF NEW.direction <> 'out' OR NEW.provider_message_id IS NULL THEN
        RETURN NEW;
    END IF;
    PERFORM message_status_lock(NEW.channel, NEW.provider_message_id);
    SELECT e.status, e.status_rank, e.error_code, e.error_reason INTO best FROM message_status_events e
    WHERE e.channel = NEW.channel AND e.provider_message_id = NEW.provider_message_id
    ORDER BY e.status IN ('delivered', 'read') DESC, e.status_rank DESC LIMIT 1;
    IF FOUND AND message_status_advances(NEW.status_rank, best.status_rank) THEN
        NEW.status := best.status;
        NEW.status_rank := best.status_rank;
        NEW.status_at := now();
        NEW.error_code := best.error_code;
        NEW.error_reason := best.error_reason;
    ELSIF FOUND AND NEW.status = best.status AND NEW.error_code IS NULL THEN
        NEW.error_code := best.error_code;
        NEW.error_reason := best.error_reason;
    END IF;
    RETURN NEW;
END
$function$;

CREATE TRIGGER messages_fold_status_events BEFORE INSERT ON messages
    FOR EACH ROW EXECUTE FUNCTION fold_message_status_events();

-- A status kept for a message not written yet: under the lock, look again; if the worker has
-- committed the message meanwhile, raise its status now (the event row is kept as well).
CREATE FUNCTION apply_late_message_status() RETURNS trigger LANGUAGE plpgsql AS $function$
BEGIN
    PERFORM message_status_lock(NEW.channel, NEW.provider_message_id);
    UPDATE messages SET status = NEW.status, status_rank = NEW.status_rank, status_at = now(),
                        error_code = NEW.error_code, error_reason = NEW.error_reason
    WHERE channel = NEW.channel AND provider_message_id = NEW.provider_message_id AND direction = 'out'
      AND message_status_advances(status_rank, NEW.status_rank);
    RETURN NEW;
END
$function$;

CREATE TRIGGER message_status_events_apply_late BEFORE INSERT ON message_status_events
    FOR EACH ROW EXECUTE FUNCTION apply_late_message_status();
