-- Which meters are out of service now, as the outage reports on the bus say (outage.detected,
-- outage.restored; every report, whoever made it). Written by hub/multispeak/outage-state.ts,
-- read by the 3.0 OD_Server's GetOutagedODDevices (multispeak.md §7).
--
-- One row per meter, named by its MultiSpeak meter number. as_of is the instant of the report the
-- row reflects (startedAt of an outage, restoredAt of a restoration): a report older than as_of
-- changes nothing, so reports arriving out of order never flip a newer state back.
CREATE TABLE hub.meter_outage_state (
  meter_no    text        PRIMARY KEY CHECK (meter_no <> ''),
  out         boolean     NOT NULL,
  -- When service was lost (the outage in force, or the one the restoration ended, when known).
  started_at  timestamptz,
  restored_at timestamptz,
  as_of       timestamptz NOT NULL,
  -- The canonical event the row reflects, for tracing.
  event_id    text        NOT NULL,
  updated_at  timestamptz NOT NULL,
  CHECK (out = (restored_at IS NULL)),
  CHECK (NOT out OR started_at IS NOT NULL)
);

-- GetOutagedODDevices lists the meters out, in meter-number order.
CREATE INDEX meter_outage_state_out ON hub.meter_outage_state (meter_no) WHERE out;

-- A partner's InitiateOutageDetectionEventRequest is found again by the request event the hub
-- published for it (context.requestId), when the outage reports that answer it come back.
CREATE INDEX multispeak_transaction_inbound_request ON hub.multispeak_transaction ((context->>'requestId'))
  WHERE direction = 'inbound';
