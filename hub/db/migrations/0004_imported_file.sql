-- Imported files (hub/ingest): one row per file content imported for a source, so importing the
-- same file again is recognised by its sha256 and skipped (`busbar import --force` re-imports
-- and replaces the row; the reading keys of the MDM store make that change nothing).
-- The path is where the file was when imported (a drop folder moves it afterwards).
CREATE TABLE hub.imported_file (
  source      text        NOT NULL,
  sha256      text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  path        text        NOT NULL,
  bytes       bigint      NOT NULL CHECK (bytes >= 0),
  -- The adapter's ImportSummary (adapters/contract.ts): records, blocks, readings, quarantined …
  summary     jsonb       NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, sha256)
);
