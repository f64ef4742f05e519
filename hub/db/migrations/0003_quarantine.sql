-- Quarantine (DESIGN.md, "The way data flows"): input that could not be read, kept with where it
-- came from, why, and its raw text, while the rest of the input goes on. Written by
-- hub/quarantine/store.ts; rows are never updated.
--
-- raw is bytea, not text: a record from a binary protocol or a broken encoding may hold NUL,
-- which a PostgreSQL text value cannot, and the bytes must come back exactly as received.
-- It holds the UTF-8 of the record, cut at RAW_LIMIT_BYTES (64 KiB); raw_bytes is the full size,
-- so raw_bytes > octet_length(raw) says the record was cut.
CREATE TABLE hub.quarantine (
  id             bigserial   PRIMARY KEY,
  source         text        NOT NULL,
  file           text,
  line           bigint      CHECK (line >= 1),
  byte_offset    bigint      CHECK (byte_offset >= 0),
  message_id     text,
  field          text,
  reason         text        NOT NULL,
  raw            bytea       NOT NULL,
  raw_bytes      bigint      NOT NULL CHECK (raw_bytes >= 0),
  quarantined_at timestamptz NOT NULL,
  -- One import run or file load, so an operator can see (and later release) what came together.
  batch          text,
  recorded_at    timestamptz NOT NULL DEFAULT now()
);

-- Listing is newest first (id descending) with keyset paging on id, overall or by source, file
-- or batch.
CREATE INDEX quarantine_source_id ON hub.quarantine (source, id DESC);
CREATE INDEX quarantine_file_id ON hub.quarantine (file, id DESC) WHERE file IS NOT NULL;
CREATE INDEX quarantine_batch_id ON hub.quarantine (batch, id DESC) WHERE batch IS NOT NULL;
