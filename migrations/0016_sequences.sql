-- Follow-up sequences (issue 19), first part: a tenant's sequence definitions and the sequence
-- a source's new leads enter. The definition is one JSON document (time zone, send window, steps
-- naming destinations by id, exit rules), validated by the application when saved; `version`
-- grows on every change, so an enrollment can keep the snapshot it started with.

CREATE TABLE sequences (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    definition  jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
    version     integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    enabled     boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

-- A catalogue change only (nullable, no default): no table rewrite.
ALTER TABLE sources ADD COLUMN sequence_id uuid REFERENCES sequences (id) ON DELETE SET NULL;
