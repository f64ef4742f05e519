-- Master data of the meter data core: usage points, meters, the names other systems give them,
-- and which meter served which usage point when (IEC 61968-9; cim.md §1, §6). Runs with
-- search_path = mdm. PostgreSQL 15 and PGlite: no extensions (btree_gist is not available on
-- PGlite), so "a meter is in one place at a time" is checked by master-data.ts, not by an
-- exclusion constraint.

-- UsagePoint outlives meter exchanges, so every reading is keyed on it (cim.md §10). The mRID is
-- the key: the store's rows carry it directly, which costs 8 bytes a row over a bigint surrogate
-- (~1% of a 96-value day row) and spares a join and a lookup table on every read.
CREATE TABLE usage_point (
  mrid uuid PRIMARY KEY,
  name text,
  commodity text NOT NULL CHECK (commodity IN ('electric', 'water', 'gas')),
  -- PricingStructure code (cim.md §6) and billing cycle: what determinants and bill runs select on.
  rate_class text,
  billing_cycle text,
  read_cycle text,
  -- Local billing days and 23/25-hour DST days are computed in this IANA zone.
  time_zone text NOT NULL,
  connection_state text NOT NULL CHECK (connection_state IN ('connected', 'physicallyDisconnected', 'logicallyDisconnected')),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usage_point_billing_cycle ON usage_point (billing_cycle) WHERE billing_cycle IS NOT NULL;

CREATE TABLE meter (
  mrid uuid PRIMARY KEY,
  serial_number text NOT NULL,
  commodity text NOT NULL CHECK (commodity IN ('electric', 'water', 'gas')),
  manufacturer text,
  model text,
  form_number text,
  amr_system text,
  -- MeterMultiplier list (CT/PT ratios, cim.md §10) and registers (digit counts for rollover):
  -- read whole with the meter, never queried by element, so jsonb.
  multipliers jsonb NOT NULL DEFAULT '[]'::jsonb,
  registers jsonb NOT NULL DEFAULT '[]'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- CIM Name + NameType: the identifiers source systems use (a CMEP meter id under
-- `cmep:feedA/meterId`, a MultiSpeak meterNo). One name per (kind, nameType, name), so the same
-- text from two sources never collides and a reference resolves to exactly one object.
CREATE TABLE external_name (
  object_kind text NOT NULL CHECK (object_kind IN ('usage_point', 'meter')),
  name_type text NOT NULL,
  name text NOT NULL,
  mrid uuid NOT NULL,
  PRIMARY KEY (object_kind, name_type, name)
);
CREATE INDEX external_name_by_object ON external_name (mrid);

-- Which meter served a usage point when (cim.md §6): a meter exchange closes one row and opens
-- another, so consumption never re-keys. valid_to is exclusive and NULL while the meter is in.
CREATE TABLE meter_assignment (
  meter_mrid uuid NOT NULL REFERENCES meter (mrid),
  usage_point_mrid uuid NOT NULL REFERENCES usage_point (mrid),
  valid_from timestamptz NOT NULL,
  valid_to timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (meter_mrid, valid_from),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX meter_assignment_by_usage_point ON meter_assignment (usage_point_mrid, valid_from);
