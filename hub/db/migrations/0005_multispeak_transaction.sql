-- MultiSpeak asynchronous transactions (multispeak.md §10): an Initiate… is answered at once and
-- completed later by a callback that echoes its transactionID. One row per transaction, written
-- by hub/multispeak/transactions.ts *before* the request (outbound) or the synchronous answer
-- (inbound) is sent, so a callback that overtakes the answer still finds its row.
--
-- direction: 'inbound'  = a partner asked the hub; the hub calls back response_url.
--            'outbound' = the hub asked a partner; the partner calls the hub back.
-- transaction_id is kept exactly as given. A partner may not reuse one: the unique key spans
-- every state, so a recycled id is refused rather than matched to an old transaction.
-- outcome holds the per-object results of the callbacks: {"objects": {"<object id>": {...}}}.
CREATE TABLE hub.multispeak_transaction (
  id             bigserial   PRIMARY KEY,
  partner        text        NOT NULL CHECK (partner <> ''),
  direction      text        NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  version        text        NOT NULL CHECK (version IN ('3.0', '4.1', '5.0')),
  operation      text        NOT NULL CHECK (operation <> ''),
  transaction_id text        NOT NULL CHECK (transaction_id <> ''),
  object_ids     text[]      NOT NULL,
  response_url   text,
  deadline       timestamptz NOT NULL,
  state          text        NOT NULL DEFAULT 'pending'
                             CHECK (state IN ('pending', 'completed', 'partial', 'expired', 'failed')),
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  -- When the request (outbound) or the synchronous answer (inbound) went out; NULL until then.
  sent_at        timestamptz,
  completed_at   timestamptz,
  outcome        jsonb       NOT NULL DEFAULT '{"objects": {}}',
  callback_count integer     NOT NULL DEFAULT 0 CHECK (callback_count >= 0),
  last_error     text,
  -- What the recording side needs to act on the callback or expiry (the command id and action).
  context        jsonb       NOT NULL DEFAULT '{}',
  UNIQUE (partner, direction, transaction_id),
  CHECK ((state = 'completed') = (completed_at IS NOT NULL))
);

-- A callback may name no partner (the transaction id alone); outbound ids are the hub's own.
CREATE INDEX multispeak_transaction_lookup ON hub.multispeak_transaction (direction, transaction_id);
-- The expiry sweep reads only open rows, oldest deadline first.
CREATE INDEX multispeak_transaction_open_deadline ON hub.multispeak_transaction (deadline, id)
  WHERE state IN ('pending', 'partial');
-- Listing pages on id, overall or by state or partner.
CREATE INDEX multispeak_transaction_state_id ON hub.multispeak_transaction (state, id);
CREATE INDEX multispeak_transaction_partner_id ON hub.multispeak_transaction (partner, id);
