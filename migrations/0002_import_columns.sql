-- The header of an imported file, in file order, so that the error report can repeat the
-- rejected rows with their original columns; and where the upload came from.
ALTER TABLE imports
    ADD COLUMN columns      text[] NOT NULL DEFAULT '{}',
    ADD COLUMN content_type text,
    ADD COLUMN updated_at   timestamptz NOT NULL DEFAULT now();
