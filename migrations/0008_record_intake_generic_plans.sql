-- The intake write path of 0007 with plans that stay cheap when made once.
--
-- record_intake now runs its statements, insert_leads' included, with generic plans (planning
-- them on every call was the larger half of a one-webhook call), so each lookup is written to be
-- an index lookup whatever row counts the planner expects: the destination fan-out and the event
-- checks are lateral per-row lookups. Otherwise unchanged; see 0007 for the contract.

CREATE OR REPLACE FUNCTION insert_leads(
    p_tenant_ids uuid[], p_source_ids uuid[], p_channels text[], p_import_ids text[], p_event_ids bigint[], p_spam boolean[],
    p_hashes text[], p_external_ids text[], p_first_names text[], p_last_names text[], p_emails text[], p_phones text[],
    p_phone_raws text[], p_postal_codes text[], p_notes text[], p_extras text[], p_raws text[], p_flags text[])
RETURNS TABLE (item integer, lead_id bigint, outcome text, delivery_ids bigint[])
LANGUAGE plpgsql AS $function$
#variable_conflict use_column
DECLARE
    matched_items integer[];
    matched_ids bigint[];
    queued_ids bigint[];
    queued_leads bigint[];
    usable integer;
    unmatched_sources uuid[];
    unmatched_hashes text[];
    known_sources uuid[];
    known_hashes bytea[];
    known_ids bigint[];
BEGIN
    WITH input AS MATERIALIZED (
        SELECT * FROM unnest(p_tenant_ids, p_source_ids, p_channels, p_import_ids, p_event_ids, p_spam, p_hashes, p_external_ids,
                             p_first_names, p_last_names, p_emails, p_phones, p_phone_raws, p_postal_codes, p_notes, p_extras,
                             p_raws, p_flags)
            WITH ORDINALITY AS input(t, s, ch, imp, ev, spam, h, x, fn, ln, em, ph, pr, pc, nt, ex, rw, fl, ord)
        WHERE h IS NOT NULL
    ), inserted AS (
        INSERT INTO leads (tenant_id, source_id, channel, import_id, inbound_event_id, dedup_hash, external_id,
            first_name, last_name, email, phone, phone_raw, postal_code, notes, extra, raw, flags, status)
        SELECT t, s, ch, NULLIF(imp, '')::uuid, NULLIF(ev, 0),
            decode(h, 'hex'), NULLIF(x, ''), NULLIF(fn, ''), NULLIF(ln, ''), NULLIF(em, ''), NULLIF(ph, ''), NULLIF(pr, ''),
            NULLIF(pc, ''), NULLIF(nt, ''), ex::jsonb, NULLIF(rw, '')::jsonb, coalesce(string_to_array(NULLIF(fl, ''), ','), '{}'),
            CASE WHEN spam THEN 'spam' ELSE 'accepted' END
        FROM input
        ORDER BY s, h, ord
        ON CONFLICT DO NOTHING
        RETURNING id, tenant_id, source_id, dedup_hash, status
    ), queued AS (
        -- Born `queued`: the caller enqueues them right after COMMIT and marks the ones Redis did
        -- not take `pending`. A crash between COMMIT and the enqueue leaves `queued` rows without a
        -- stream entry; the sweeper re-enqueues those.
        INSERT INTO deliveries (tenant_id, lead_id, destination_id, status)
        SELECT inserted.tenant_id, inserted.id, sd.destination_id, 'queued'
        FROM inserted
        -- A lookup per source through its primary key (OFFSET 0 keeps the planner from hashing
        -- every source's links when it expects several inserted rows).
        CROSS JOIN LATERAL (
            SELECT sd.destination_id
            FROM source_destinations sd
            JOIN destinations d ON d.id = sd.destination_id AND d.enabled
            WHERE sd.source_id = inserted.source_id
            OFFSET 0
        ) sd
        WHERE inserted.status <> 'spam'
        ORDER BY inserted.id
        RETURNING id, lead_id
    ), matched AS (
        SELECT input.ord, inserted.id
        FROM input JOIN inserted ON inserted.source_id = input.s AND inserted.dedup_hash = decode(input.h, 'hex')
    )
    SELECT (SELECT array_agg(ord::integer ORDER BY ord) FROM matched), (SELECT array_agg(id ORDER BY ord) FROM matched),
           (SELECT array_agg(id ORDER BY id) FROM queued), (SELECT array_agg(queued.lead_id ORDER BY id) FROM queued),
           (SELECT count(*) FROM input)
    INTO matched_items, matched_ids, queued_ids, queued_leads, usable;

    IF coalesce(cardinality(matched_items), 0) < usable THEN
        -- Some keys were known already (or committed meanwhile by a concurrent writer: this
        -- statement's fresh snapshot sees them). Dynamic SQL, planned for these keys: a cached
        -- generic plan made while `leads` looked empty would scan the whole table.
        SELECT array_agg(DISTINCT input.s), array_agg(input.h)
        INTO unmatched_sources, unmatched_hashes
        FROM unnest(p_source_ids, p_hashes) WITH ORDINALITY AS input(s, h, ord)
        LEFT JOIN unnest(matched_items) AS m(item) ON m.item = input.ord
        WHERE input.h IS NOT NULL AND m.item IS NULL;
        EXECUTE 'SELECT array_agg(source_id), array_agg(dedup_hash), array_agg(id) FROM leads
                 WHERE source_id = ANY($1) AND dedup_hash = ANY(ARRAY(SELECT DISTINCT decode(h, ''hex'') FROM unnest($2::text[]) AS h))'
            INTO known_sources, known_hashes, known_ids USING unmatched_sources, unmatched_hashes;
    END IF;

    RETURN QUERY
    WITH input AS (
        SELECT s, h, ord::integer AS item FROM unnest(p_source_ids, p_hashes) WITH ORDINALITY AS input(s, h, ord)
    ), resolved AS (
        SELECT input.item, input.h, coalesce(m.id, k.id) AS id, m.id IS NOT NULL AS is_new
        FROM input
        LEFT JOIN unnest(matched_items, matched_ids) AS m(item, id) ON m.item = input.item
        LEFT JOIN unnest(known_sources, known_hashes, known_ids) AS k(s, hash, id)
            ON m.item IS NULL AND k.s = input.s AND k.hash = decode(input.h, 'hex')
    ), ranked AS (
        SELECT resolved.*, row_number() OVER (PARTITION BY resolved.id ORDER BY resolved.item) AS nth FROM resolved
    ), deliveries_by_lead AS (
        SELECT q.lead, array_agg(q.id ORDER BY q.id) AS ids FROM unnest(queued_ids, queued_leads) AS q(id, lead) GROUP BY q.lead
    )
    SELECT ranked.item,
           CASE WHEN ranked.h IS NULL THEN NULL ELSE coalesce(ranked.id, intake_lead_vanished(ranked.item)) END,
           CASE WHEN ranked.h IS NULL THEN NULL WHEN ranked.is_new AND ranked.nth = 1 THEN 'accepted' ELSE 'duplicate' END,
           CASE WHEN ranked.is_new AND ranked.nth = 1 THEN coalesce(d.ids, '{}') ELSE '{}' END
    FROM ranked
    LEFT JOIN deliveries_by_lead d ON d.lead = ranked.id
    ORDER BY ranked.item;
END
$function$;

CREATE OR REPLACE PROCEDURE record_intake(
    p_event_tenant_ids uuid[], p_event_source_ids uuid[], p_methods text[], p_content_types text[], p_headers text[],
    p_bodies bytea[], p_body_sizes integer[], p_external_event_ids text[], p_replays_of bigint[], p_reasons text[],
    p_source_revisions bigint[], p_tenant_regions text[],
    p_item_events integer[], p_tenant_ids uuid[], p_source_ids uuid[], p_channels text[], p_import_ids text[], p_spam boolean[],
    p_hashes text[], p_external_ids text[], p_first_names text[], p_last_names text[], p_emails text[], p_phones text[],
    p_phone_raws text[], p_postal_codes text[], p_notes text[], p_extras text[], p_raws text[], p_flags text[],
    INOUT r_event_ids bigint[] DEFAULT NULL, INOUT r_event_outcomes text[] DEFAULT NULL, INOUT r_lead_ids bigint[] DEFAULT NULL,
    INOUT r_outcomes text[] DEFAULT NULL, INOUT r_delivery_ids bigint[] DEFAULT NULL, INOUT r_delivery_lead_ids bigint[] DEFAULT NULL)
LANGUAGE plpgsql AS $procedure$
DECLARE
    item_event_ids bigint[];
    item_hashes text[];
    stored integer;
BEGIN
    -- Generic plans for every statement of this call (until its COMMIT), insert_leads' included.
    -- With the default `auto`, a statement over parameter arrays gets a custom plan costed for the
    -- arrays' real size, which always looks cheaper than the generic one, so every statement was
    -- planned again on every call: 0.5 ms of a 1.2 ms call for one webhook (pgbench). The generic
    -- plans are remade when autovacuum analyzes a table they read. (A procedure that COMMITs
    -- cannot carry a SET clause, hence set_config.)
    PERFORM set_config('plan_cache_mode', 'force_generic_plan', true);
    -- One statement: each event's checks, an id for each event to store, each item's event id and
    -- hash (NULL for the items of a skipped event).
    -- (Lateral lookups with LIMIT: per event, through the sources' and the events' keys. As
    -- EXISTS tests the planner hashed every source of every tenant on each call.)
    WITH checks AS MATERIALIZED (
        SELECT e.ord,
               CASE WHEN e.rev <> 0 AND current.id IS NULL THEN 'stale' WHEN taken.id IS NOT NULL THEN 'redelivery' END AS outcome
        FROM unnest(p_event_source_ids, p_source_revisions, p_tenant_regions, p_external_event_ids, p_replays_of)
            WITH ORDINALITY AS e(sid, rev, region, xid, replay, ord)
        LEFT JOIN LATERAL (
            SELECT s.id FROM sources s JOIN tenants t ON t.id = s.tenant_id
            WHERE e.rev <> 0 AND s.id = e.sid AND s.revision = e.rev AND s.enabled AND t.default_region = e.region
            LIMIT 1
        ) current ON true
        LEFT JOIN LATERAL (
            SELECT x.id FROM inbound_events x
            WHERE e.xid IS NOT NULL AND e.replay = 0 AND x.source_id = e.sid AND x.external_event_id = e.xid
              AND x.replay_of IS NULL AND x.outcome IN ('accepted', 'duplicate', 'ignored', 'pending_fetch')
            LIMIT 1
        ) taken ON true
    ), ids AS MATERIALIZED (
        SELECT ord, outcome, CASE WHEN outcome IS NULL THEN nextval('inbound_events_id_seq') END AS id FROM checks
    )
    SELECT coalesce((SELECT array_agg(outcome ORDER BY ord) FROM ids), '{}'),
           coalesce((SELECT array_agg(id ORDER BY ord) FROM ids), '{}'),
           (SELECT array_agg(ids.id ORDER BY i.ord) FROM unnest(p_item_events) WITH ORDINALITY AS i(ev, ord) LEFT JOIN ids ON ids.ord = i.ev),
           (SELECT array_agg(CASE WHEN i.ev = 0 OR ids.id IS NOT NULL THEN i.h END ORDER BY i.ord)
            FROM unnest(p_item_events, p_hashes) WITH ORDINALITY AS i(ev, h, ord) LEFT JOIN ids ON ids.ord = i.ev)
    INTO r_event_outcomes, r_event_ids, item_event_ids, item_hashes;

    WITH written AS MATERIALIZED (
        SELECT * FROM insert_leads(p_tenant_ids, p_source_ids, p_channels, p_import_ids, item_event_ids, p_spam, item_hashes,
                                   p_external_ids, p_first_names, p_last_names, p_emails, p_phones, p_phone_raws, p_postal_codes,
                                   p_notes, p_extras, p_raws, p_flags)
    )
    SELECT coalesce((SELECT array_agg(written.lead_id ORDER BY written.item) FROM written), '{}'),
           coalesce((SELECT array_agg(written.outcome ORDER BY written.item) FROM written), '{}'),
           coalesce((SELECT array_agg(d ORDER BY d) FROM written, unnest(written.delivery_ids) AS d), '{}'),
           coalesce((SELECT array_agg(written.lead_id ORDER BY d) FROM written, unnest(written.delivery_ids) AS d), '{}')
    INTO r_lead_ids, r_outcomes, r_delivery_ids, r_delivery_lead_ids;

    INSERT INTO inbound_events (id, tenant_id, source_id, method, content_type, headers, body, body_size,
                                outcome, reason, external_event_id, replay_of, lead_ids)
    OVERRIDING SYSTEM VALUE
    SELECT e.id, e.t, e.s, e.m, e.ct, e.hd::jsonb, e.b, e.bs, settled.outcome,
           CASE WHEN settled.outcome = 'rejected' THEN coalesce(e.reason, 'no items') ELSE e.reason END,
           e.xid, NULLIF(e.rep, 0), coalesce(items.lead_ids, '{}')
    FROM unnest(r_event_ids, p_event_tenant_ids, p_event_source_ids, p_methods, p_content_types, p_headers, p_bodies, p_body_sizes,
                p_external_event_ids, p_replays_of, p_reasons)
         WITH ORDINALITY AS e(id, t, s, m, ct, hd, b, bs, xid, rep, reason, ord)
    LEFT JOIN (
        SELECT x.ev, bool_or(x.outcome = 'accepted') AS accepted, array_agg(x.lead ORDER BY x.item) AS lead_ids
        FROM unnest(p_item_events, r_lead_ids, r_outcomes) WITH ORDINALITY AS x(ev, lead, outcome, item)
        WHERE x.ev > 0 AND x.lead IS NOT NULL
        GROUP BY x.ev
    ) items ON items.ev = e.ord
    CROSS JOIN LATERAL (
        SELECT CASE WHEN items.accepted THEN 'accepted' WHEN items.ev IS NOT NULL THEN 'duplicate' ELSE 'rejected' END AS outcome
    ) settled
    WHERE e.id IS NOT NULL
    ON CONFLICT (source_id, external_event_id)
        WHERE external_event_id IS NOT NULL AND replay_of IS NULL AND outcome IN ('accepted', 'duplicate', 'ignored', 'pending_fetch')
        DO NOTHING;
    GET DIAGNOSTICS stored = ROW_COUNT;
    IF stored < cardinality(array_remove(r_event_ids, NULL)) THEN
        RAISE EXCEPTION 'a concurrent request took the external id of an event of this batch'
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'inbound_events_external_event_key';
    END IF;

    r_event_ids := array_replace(r_event_ids, NULL, 0);
    r_event_outcomes := array_replace(r_event_outcomes, NULL, '');
    r_lead_ids := array_replace(r_lead_ids, NULL, 0);
    r_outcomes := array_replace(r_outcomes, NULL, '');
    COMMIT;
END
$procedure$;
