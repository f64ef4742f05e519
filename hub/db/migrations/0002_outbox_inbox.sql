-- Effect-once processing (DESIGN.md, Bus).
--
-- Outbox: a producer inserts its events here in the same transaction as its state change; the
-- relay (hub/outbox/relay.ts) publishes them in seq order and deletes them. A row exists exactly
-- while its event still has to be published.
CREATE TABLE hub.outbox (
  seq        bigserial   PRIMARY KEY,
  event_id   text        NOT NULL,
  source     text        NOT NULL,
  type       text        NOT NULL,
  envelope   jsonb       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Inbox: a consumer records each event it processed, in the same transaction as its effect;
-- (source, id) identifies a CloudEvent, so a redelivered or replayed event is recognised.
CREATE TABLE hub.inbox (
  consumer     text        NOT NULL,
  event_source text        NOT NULL,
  event_id     text        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_source, event_id)
);

-- Retention prunes by age.
CREATE INDEX inbox_processed_at ON hub.inbox (processed_at);
