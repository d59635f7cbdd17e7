-- A webhook with leads in one round trip, committed before it answers.
--
-- Every change to a source bumps its revision, so the web process can keep sources in memory and
-- have the write below confirm, in the same round trip, that the copy it used is still current.
ALTER TABLE sources ADD COLUMN revision bigint NOT NULL DEFAULT 1;

CREATE FUNCTION bump_source_revision() RETURNS trigger LANGUAGE plpgsql AS $function$
BEGIN
    NEW.revision := OLD.revision + 1;
    RETURN NEW;
END
$function$;

CREATE TRIGGER sources_bump_revision BEFORE UPDATE ON sources FOR EACH ROW EXECUTE FUNCTION bump_source_revision();

--
-- The web process calls this for every webhook that carries leads: it records the event exactly
-- as received together with its leads and their `queued` deliveries, settles the event's outcome,
-- and COMMITs inside the procedure, so the row CALL returns is only ever sent after the commit.
-- (A plain statement outside BEGIN … COMMIT is committed at the protocol's Sync, after its result
-- is produced; a client may see the result first. BEGIN and COMMIT around it cost two round trips,
-- which at 500 webhooks/s was a third of the web process's CPU.)
--
-- Leads are the usable, normalized items, as parallel arrays (empty strings stand for NULL; the
-- same columns as the bulk write path). With p_source_revision (the revision of the source the
-- caller parsed the request with) the call first checks that the source is still at that
-- revision, still enabled, and its tenant's region still p_tenant_region; if not it stores nothing
-- and returns r_outcome 'stale' (the caller reads the source again and starts over). Returns:
--   r_event_id    the new event's id, NULL when the event is a provider's re-delivery of one
--                 already taken (same source and external id, not a replay): nothing was stored
--   r_outcome     accepted (a lead is new) | duplicate (every lead was known) | rejected (none usable;
--                 the reason is p_reason, or 'no items')
--   r_lead_ids    one lead id per item, in order (the new lead's or the known one's)
--   r_new_ids     the ids of the leads inserted now
--   r_delivery_ids the deliveries created (one per new lead × enabled destination of the source)
-- A concurrent re-delivery that the snapshot could not see yet loses the race on the event's
-- unique key; if it inserted leads they fail the foreign key to the event (SQLSTATE 23503 on
-- leads_inbound_event_id_fkey) and nothing is stored. Deadlocks roll back the whole call.
CREATE PROCEDURE record_webhook_event(
    p_tenant_id uuid, p_source_id uuid, p_method text, p_content_type text, p_headers jsonb, p_body bytea,
    p_body_size integer, p_external_event_id text, p_replay_of bigint, p_reason text, p_source_revision bigint, p_tenant_region text,
    p_hashes text[], p_external_ids text[], p_first_names text[], p_last_names text[], p_emails text[], p_phones text[],
    p_phone_raws text[], p_postal_codes text[], p_notes text[], p_extras text[], p_raws text[], p_flags text[],
    INOUT r_event_id bigint DEFAULT NULL, INOUT r_outcome text DEFAULT NULL, INOUT r_lead_ids bigint[] DEFAULT NULL,
    INOUT r_new_ids bigint[] DEFAULT NULL, INOUT r_delivery_ids bigint[] DEFAULT NULL)
LANGUAGE plpgsql AS $procedure$
DECLARE
    known_hashes bytea[];
    known_ids bigint[];
BEGIN
    IF p_source_revision IS NOT NULL AND NOT EXISTS (
        SELECT FROM sources s JOIN tenants t ON t.id = s.tenant_id
        WHERE s.id = p_source_id AND s.revision = p_source_revision AND s.enabled AND t.default_region = p_tenant_region
    ) THEN
        r_outcome := 'stale';
        RETURN;
    END IF;

    WITH input AS MATERIALIZED (
        SELECT * FROM unnest(p_hashes, p_external_ids, p_first_names, p_last_names, p_emails, p_phones, p_phone_raws,
                             p_postal_codes, p_notes, p_extras, p_raws, p_flags)
            WITH ORDINALITY AS input(h, x, fn, ln, em, ph, pr, pc, nt, ex, rw, fl, ord)
    ), event_id AS MATERIALIZED (
        SELECT nextval('inbound_events_id_seq') AS id
    ), taken AS MATERIALIZED (
        SELECT FROM inbound_events e
        WHERE p_external_event_id IS NOT NULL AND p_replay_of IS NULL
          AND e.source_id = p_source_id AND e.external_event_id = p_external_event_id AND e.replay_of IS NULL
          AND e.outcome IN ('accepted', 'duplicate', 'ignored', 'pending_fetch')
        LIMIT 1
    ), inserted AS (
        INSERT INTO leads (tenant_id, source_id, channel, inbound_event_id, dedup_hash, external_id,
            first_name, last_name, email, phone, phone_raw, postal_code, notes, extra, raw, flags, status)
        SELECT p_tenant_id, p_source_id, 'webhook', (SELECT id FROM event_id),
            decode(h, 'hex'), NULLIF(x, ''), NULLIF(fn, ''), NULLIF(ln, ''), NULLIF(em, ''), NULLIF(ph, ''), NULLIF(pr, ''),
            NULLIF(pc, ''), NULLIF(nt, ''), ex::jsonb, NULLIF(rw, '')::jsonb, coalesce(string_to_array(NULLIF(fl, ''), ','), '{}'),
            'accepted'
        FROM input
        WHERE NOT EXISTS (SELECT FROM taken)
        ORDER BY h  -- dedup-key order, as every lead insert: concurrent writers never deadlock
        ON CONFLICT DO NOTHING
        RETURNING id, dedup_hash
    ), queued AS (
        -- Born `queued`: the caller enqueues them after the call; the sweeper re-enqueues any a
        -- crash leaves behind.
        INSERT INTO deliveries (tenant_id, lead_id, destination_id, status)
        SELECT p_tenant_id, inserted.id, sd.destination_id, 'queued'
        FROM inserted
        CROSS JOIN source_destinations sd
        JOIN destinations d ON d.id = sd.destination_id AND d.enabled
        WHERE sd.source_id = p_source_id
        ORDER BY inserted.id
        RETURNING id
    ), event AS (
        -- Inserted last so its outcome is settled from what the lead insert did; the leads' foreign
        -- key to it is checked at the end of the statement.
        INSERT INTO inbound_events (id, tenant_id, source_id, method, content_type, headers, body, body_size,
                                    outcome, reason, external_event_id, replay_of, lead_ids)
        OVERRIDING SYSTEM VALUE
        SELECT event_id.id, p_tenant_id, p_source_id, p_method, p_content_type, p_headers, p_body, p_body_size, settled.outcome,
               CASE WHEN settled.outcome = 'rejected' THEN coalesce(p_reason, 'no items') ELSE p_reason END,
               p_external_event_id, p_replay_of,
               ARRAY(SELECT inserted.id FROM input JOIN inserted ON inserted.dedup_hash = decode(input.h, 'hex') ORDER BY input.ord)
        FROM event_id
        CROSS JOIN LATERAL (
            SELECT CASE WHEN EXISTS (SELECT FROM inserted) THEN 'accepted'
                        WHEN EXISTS (SELECT FROM input) THEN 'duplicate' ELSE 'rejected' END AS outcome
        ) settled
        WHERE NOT EXISTS (SELECT FROM taken)
        ON CONFLICT (source_id, external_event_id)
            WHERE external_event_id IS NOT NULL AND replay_of IS NULL AND outcome IN ('accepted', 'duplicate', 'ignored', 'pending_fetch')
            DO NOTHING
        RETURNING id, outcome, lead_ids
    )
    SELECT event.id, event.outcome, event.lead_ids,
           coalesce((SELECT array_agg(id) FROM inserted), '{}'), coalesce((SELECT array_agg(id) FROM queued), '{}')
    INTO r_event_id, r_outcome, r_lead_ids, r_new_ids, r_delivery_ids
    FROM event;

    IF r_event_id IS NULL THEN
        RETURN;  -- a re-delivery: nothing was written
    END IF;

    IF cardinality(r_lead_ids) < cardinality(p_hashes) THEN
        -- Some leads were known already (or inserted meanwhile by a concurrent request: this
        -- statement's fresh snapshot sees them). Dynamic SQL, planned for these keys: a cached
        -- generic plan made while `leads` looked empty would scan the whole table.
        EXECUTE 'SELECT array_agg(dedup_hash), array_agg(id) FROM leads
                 WHERE source_id = $1 AND dedup_hash = ANY(ARRAY(SELECT decode(h, ''hex'') FROM unnest($2::text[]) AS h))'
            INTO known_hashes, known_ids USING p_source_id, p_hashes;
        SELECT array_agg(known_ids[array_position(known_hashes, decode(h, 'hex'))] ORDER BY ord)
            INTO r_lead_ids
            FROM unnest(p_hashes) WITH ORDINALITY AS input(h, ord);
        IF array_position(r_lead_ids, NULL) IS NOT NULL THEN
            RAISE EXCEPTION 'a lead of event % vanished during the write', r_event_id;
        END IF;
        UPDATE inbound_events SET lead_ids = r_lead_ids WHERE id = r_event_id;
    END IF;

    COMMIT;
END
$procedure$;
