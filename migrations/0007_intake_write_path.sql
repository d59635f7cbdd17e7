-- One intake write path (docs/architecture.md, "Intake").
--
-- `insert_leads` is the only place that turns normalized leads into `leads` rows and their
-- `queued` deliveries and decides each item's outcome. Every channel reaches it: the bulk/single
-- lead API, forms and webhooks through `record_intake` (a group commit of many requests in one
-- call), CSV imports, test leads and fetched webhook leads through a plain
-- `SELECT * FROM insert_leads(…)` inside their own transaction.

-- Webhook leads are inserted before their event row (the event's outcome is settled from what
-- the lead insert did), so their foreign key to the event is checked at COMMIT.
ALTER TABLE leads ALTER CONSTRAINT leads_inbound_event_id_fkey DEFERRABLE INITIALLY DEFERRED;

-- Raised for an item whose lead neither was inserted nor can be found afterwards.
CREATE FUNCTION intake_lead_vanished(p_item integer) RETURNS bigint LANGUAGE plpgsql AS $function$
BEGIN
    RAISE EXCEPTION 'lead of item % vanished during the write', p_item;
END
$function$;

--
-- insert_leads: one row per item, as parallel arrays (one element per item; empty strings stand
-- for NULL in the text columns: normalized values are never empty; event id 0 or NULL for none).
-- Items may belong to different tenants, sources, channels and events. An item whose hash is
-- NULL is skipped (its row comes back with NULL lead and outcome).
--
-- Per (source, dedup key) the lowest item is inserted; `ON CONFLICT DO NOTHING` skips keys (and
-- external ids) the source already has. Rows are inserted in (source, key) order, so concurrent
-- batches sharing keys lock them in the same order and never deadlock. Each new lead that is not
-- spam gets one `queued` delivery per enabled destination of its source.
--
-- Returns, per item: `lead_id` (the new lead's or the known one's), `outcome` (`accepted` for the
-- item whose row was inserted now, `duplicate` for the rest) and `delivery_ids` (the accepted
-- item's deliveries, else empty).
CREATE FUNCTION insert_leads(
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
        JOIN source_destinations sd ON sd.source_id = inserted.source_id
        JOIN destinations d ON d.id = sd.destination_id AND d.enabled
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

--
-- record_intake: a group commit. The web process calls it for a batch of concurrent requests
-- (bulk/single lead API calls, form posts, webhooks with leads): it records each webhook event
-- exactly as received together with its leads, writes every item through insert_leads, settles
-- each event's outcome and COMMITs inside the procedure, so the row CALL returns is only ever
-- sent after the commit. (A plain statement is committed at the protocol's Sync, after its
-- result is produced; BEGIN and COMMIT around it would cost two more round trips.)
--
-- Events: parallel arrays, one element per webhook request (empty for a batch without any).
-- With a source revision other than 0 (the revision the caller parsed the request with), the
-- event is stored only while its source is still at that revision, enabled, and its tenant's
-- region still the given one; otherwise it and its items are skipped with outcome 'stale' (the
-- caller reads the source again and starts over). An event whose external id was taken already
-- (a provider's re-delivery, not a replay) is skipped with outcome 'redelivery'.
-- Items: insert_leads' arrays plus p_item_events, the 1-based event an item belongs to (0: none).
--
-- Returns r_event_ids and r_event_outcomes per event (NULL id for stale and redelivery;
-- accepted | duplicate | rejected — 'no items', or the given reason — | stale | redelivery),
-- r_lead_ids and r_outcomes per item (0 and '' for an item of a skipped event), and every new
-- delivery with its lead. NULLs are returned as 0 and '' (the client decodes arrays without NULLs).
-- A concurrent re-delivery that the checks could not see yet loses the race on the event's unique
-- key: the call raises unique_violation on inbound_events_external_event_key and stores nothing.
CREATE PROCEDURE record_intake(
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
    -- One statement: each event's checks, an id for each event to store, each item's event id and
    -- hash (NULL for the items of a skipped event).
    WITH checks AS MATERIALIZED (
        SELECT e.ord, CASE
            WHEN e.rev <> 0 AND NOT EXISTS (
                SELECT FROM sources s JOIN tenants t ON t.id = s.tenant_id
                WHERE s.id = e.sid AND s.revision = e.rev AND s.enabled AND t.default_region = e.region) THEN 'stale'
            WHEN e.xid IS NOT NULL AND e.replay = 0 AND EXISTS (
                SELECT FROM inbound_events x
                WHERE x.source_id = e.sid AND x.external_event_id = e.xid AND x.replay_of IS NULL
                  AND x.outcome IN ('accepted', 'duplicate', 'ignored', 'pending_fetch')) THEN 'redelivery'
            END AS outcome
        FROM unnest(p_event_source_ids, p_source_revisions, p_tenant_regions, p_external_event_ids, p_replays_of)
            WITH ORDINALITY AS e(sid, rev, region, xid, replay, ord)
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

-- Every caller of record_webhook_event now calls record_intake.
DROP PROCEDURE record_webhook_event;
