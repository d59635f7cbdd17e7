-- Email replies (issue 18): SendGrid Inbound Parse posts them to an `email` source's /hooks/{token}.
--
-- messages.subject: an email's subject (in and, once the email destinations write it, out).
ALTER TABLE messages ADD COLUMN IF NOT EXISTS subject text;

-- An email reply is matched on its sender address case-insensitively (lead emails keep the case
-- of their local part; opt-outs keep addresses lower-cased). Partial: only outbound email rows.
CREATE INDEX IF NOT EXISTS messages_email_address_idx ON messages (tenant_id, lower(address), created_at DESC)
    WHERE channel = 'email' AND direction = 'out';

-- record_message_events (0012), with three additions for email; everything else is unchanged.
-- A reply element may also carry
--   "subject"      stored on its messages row;
--   "delivery_id"  the delivery its mail answers (a LeadRelay Message-ID in In-Reply-To/References):
--                  that delivery's lead is matched first, only within p_tenant_id;
--   "note"         what was not taken exactly as sent (an unknown charset…), added to the reason.
-- An email reply's address is then matched case-insensitively against outbound email messages,
-- then against leads' emails, as before.
CREATE OR REPLACE PROCEDURE record_message_events(
    p_tenant_id uuid, p_source_id uuid, p_method text, p_content_type text, p_headers jsonb, p_body bytea,
    p_body_size integer, p_external_event_id text, p_replay_of bigint, p_source_revision bigint, p_actor text, p_events jsonb,
    INOUT r_event_id bigint DEFAULT NULL, INOUT r_outcome text DEFAULT NULL, INOUT r_reason text DEFAULT NULL,
    INOUT r_lead_ids bigint[] DEFAULT NULL, INOUT r_message_ids bigint[] DEFAULT NULL, INOUT r_opt_changes text[] DEFAULT NULL)
LANGUAGE plpgsql AS $procedure$
DECLARE
    item jsonb;
    v_channel text;
    v_address text;
    v_provider_id text;
    v_lead bigint;
    v_message bigint;
    v_message_tenant uuid;
    v_rank integer;
    v_current_status text;
    v_current_rank integer;
    v_opt_out boolean;
    v_previous boolean;
    reasons text[] := '{}';
    fresh integer := 0;
BEGIN
    IF p_source_revision IS NOT NULL AND NOT EXISTS (
        SELECT FROM sources WHERE id = p_source_id AND revision = p_source_revision AND enabled
    ) THEN
        r_outcome := 'stale';
        RETURN;
    END IF;
    r_lead_ids := '{}';
    r_message_ids := '{}';
    r_opt_changes := '{}';

    INSERT INTO inbound_events (tenant_id, source_id, method, content_type, headers, body, body_size, outcome,
                                external_event_id, replay_of)
    VALUES (p_tenant_id, p_source_id, p_method, p_content_type, p_headers, p_body, p_body_size, 'accepted',
            p_external_event_id, p_replay_of)
    ON CONFLICT (source_id, external_event_id)
        WHERE external_event_id IS NOT NULL AND replay_of IS NULL AND outcome IN ('accepted', 'duplicate', 'ignored', 'pending_fetch')
        DO NOTHING
    RETURNING id INTO r_event_id;
    IF r_event_id IS NULL THEN
        r_outcome := 'duplicate';
        r_reason := 're-delivery of event ' || p_external_event_id || ', already processed';
        INSERT INTO inbound_events (tenant_id, source_id, method, content_type, headers, body, body_size, outcome, reason)
        VALUES (p_tenant_id, p_source_id, p_method, p_content_type, p_headers, p_body, p_body_size, 'duplicate', r_reason)
        RETURNING id INTO r_event_id;
        COMMIT;
        RETURN;
    END IF;

    FOR item IN SELECT value FROM jsonb_array_elements(p_events) LOOP
        v_channel := item->>'channel';
        v_address := item->>'address';
        v_provider_id := item->>'provider_message_id';
        IF item->>'kind' = 'reply' THEN
            v_lead := NULL;
            IF item ? 'delivery_id' THEN
                SELECT d.lead_id INTO v_lead FROM deliveries d
                WHERE d.id = (item->>'delivery_id')::bigint AND d.tenant_id = p_tenant_id;
                IF v_lead IS NOT NULL THEN
                    reasons := reasons || ('answers delivery ' || (item->>'delivery_id'));
                END IF;
            END IF;
            IF v_lead IS NULL AND v_channel = 'email' THEN
                SELECT m.lead_id INTO v_lead FROM messages m
                WHERE m.tenant_id = p_tenant_id AND m.channel = 'email' AND lower(m.address) = lower(v_address)
                  AND m.direction = 'out' AND m.lead_id IS NOT NULL
                ORDER BY m.created_at DESC, m.id DESC LIMIT 1;
            ELSIF v_lead IS NULL THEN
                SELECT m.lead_id INTO v_lead FROM messages m
                WHERE m.tenant_id = p_tenant_id AND m.channel = v_channel AND m.address = v_address
                  AND m.direction = 'out' AND m.lead_id IS NOT NULL
                ORDER BY m.created_at DESC, m.id DESC LIMIT 1;
            END IF;
            IF v_lead IS NULL AND v_channel = 'email' THEN
                SELECT l.id INTO v_lead FROM leads l
                WHERE l.tenant_id = p_tenant_id AND lower(l.email) = lower(v_address)
                ORDER BY l.received_at DESC, l.id DESC LIMIT 1;
            ELSIF v_lead IS NULL THEN
                SELECT l.id INTO v_lead FROM leads l
                WHERE l.tenant_id = p_tenant_id AND l.phone = v_address
                ORDER BY l.received_at DESC, l.id DESC LIMIT 1;
            END IF;
            v_message := NULL;
            INSERT INTO messages (tenant_id, lead_id, direction, channel, address, sender, provider_message_id, subject, body,
                                  status, status_at, inbound_event_id)
            VALUES (p_tenant_id, v_lead, 'in', v_channel, v_address, item->>'sender', v_provider_id, item->>'subject', item->>'body',
                    'received', now(), r_event_id)
            ON CONFLICT (channel, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING
            RETURNING id INTO v_message;
            IF v_message IS NULL THEN
                reasons := reasons || ('reply ' || v_provider_id || ' was recorded before');
                CONTINUE;
            END IF;
            fresh := fresh + 1;
            r_message_ids := r_message_ids || v_message;
            IF item ? 'note' THEN
                reasons := reasons || (item->>'note');
            END IF;
            IF v_lead IS NULL THEN
                reasons := reasons || ('reply from ' || v_address || ' matches no lead');
            ELSE
                UPDATE leads SET last_reply_at = now() WHERE id = v_lead;
                PERFORM move_lead_stage(v_lead, 'engaged', 'reply', p_actor, v_message);
                IF NOT v_lead = ANY (r_lead_ids) THEN r_lead_ids := r_lead_ids || v_lead; END IF;
                reasons := reasons || ('reply from lead ' || v_lead);
            END IF;
            IF item ? 'opt_out' THEN
                v_opt_out := (item->>'opt_out')::boolean;
                SELECT opted_out INTO v_previous FROM opt_outs
                WHERE tenant_id = p_tenant_id AND channel = v_channel AND address = v_address FOR UPDATE;
                INSERT INTO opt_outs (tenant_id, channel, address, opted_out, cause, keyword, actor, inbound_event_id)
                VALUES (p_tenant_id, v_channel, v_address, v_opt_out, 'keyword', item->>'keyword', p_actor, r_event_id)
                ON CONFLICT (tenant_id, channel, address) DO UPDATE
                    SET opted_out = EXCLUDED.opted_out, cause = EXCLUDED.cause, keyword = EXCLUDED.keyword,
                        actor = EXCLUDED.actor, inbound_event_id = EXCLUDED.inbound_event_id, changed_at = now();
                IF coalesce(v_previous, false) IS DISTINCT FROM v_opt_out THEN
                    INSERT INTO audit_log (actor, tenant_id, action, target_type, target_id, details)
                    VALUES (p_actor, p_tenant_id, CASE WHEN v_opt_out THEN 'optouts.add' ELSE 'optouts.remove' END, 'opt_out',
                            v_channel || ':' || v_address,
                            jsonb_build_object('channel', v_channel, 'cause', 'keyword', 'keyword', coalesce(item->>'keyword', '')));
                    r_opt_changes := r_opt_changes
                        || (v_channel || ':' || v_address || ':' || CASE WHEN v_opt_out THEN 'opt_out' ELSE 'opt_in' END);
                END IF;
                reasons := reasons || (CASE WHEN v_opt_out THEN 'opt-out' ELSE 'opt-in' END || ' keyword ' || coalesce(item->>'keyword', ''));
            END IF;
        ELSIF item->>'kind' = 'status' THEN
            fresh := fresh + 1;
            v_rank := (item->>'status_rank')::integer;
            v_message := NULL;
            SELECT id, tenant_id, lead_id, status, status_rank
            INTO v_message, v_message_tenant, v_lead, v_current_status, v_current_rank
            FROM messages WHERE channel = v_channel AND provider_message_id = v_provider_id FOR UPDATE;
            IF v_message IS NULL THEN
                INSERT INTO message_status_events (channel, provider_message_id, status, status_rank, error_code, error_reason)
                VALUES (v_channel, v_provider_id, item->>'status', v_rank, item->>'error_code', item->>'error_reason')
                ON CONFLICT DO NOTHING;
                reasons := reasons || ('status ' || (item->>'status') || ' for ' || v_provider_id || ', not written yet: kept for it');
            ELSIF v_message_tenant IS DISTINCT FROM p_tenant_id THEN
                reasons := reasons || ('status for ' || v_provider_id || ' ignored: another tenant''s message');
            ELSE
                IF v_lead IS NOT NULL AND NOT v_lead = ANY (r_lead_ids) THEN r_lead_ids := r_lead_ids || v_lead; END IF;
                IF message_status_advances(v_current_rank, v_rank) THEN
                    UPDATE messages SET status = item->>'status', status_rank = v_rank, status_at = now(),
                                        error_code = item->>'error_code', error_reason = item->>'error_reason'
                    WHERE id = v_message;
                    reasons := reasons || ('message ' || v_message || ' ' || (item->>'status'));
                ELSE
                    reasons := reasons || ('message ' || v_message || ' stays ' || coalesce(v_current_status, '?')
                                           || ' (' || (item->>'status') || ' arrived late)');
                END IF;
            END IF;
        END IF;
    END LOOP;

    r_outcome := CASE WHEN fresh = 0 AND jsonb_array_length(p_events) > 0 THEN 'duplicate' ELSE 'accepted' END;
    r_reason := left(array_to_string(reasons, '; '), 1000);
    UPDATE inbound_events SET outcome = r_outcome, reason = NULLIF(r_reason, ''), lead_ids = r_lead_ids WHERE id = r_event_id;
    COMMIT;
END
$procedure$;
