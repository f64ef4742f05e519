-- Network master data of the meter data core: feeders, transformers and which transformer served
-- a usage point when (CIM Feeder, PowerTransformer; the UsagePoint → Transformer link from GIS,
-- canonical/model/network.ts), so consumption can be aggregated by feeder and transformer
-- (mdm/aggregation.ts). Runs with search_path = mdm; PostgreSQL 15 and PGlite.

CREATE TABLE feeder (
  mrid uuid PRIMARY KEY,
  name text,
  substation text,
  -- kV, exact as GIS gave it.
  nominal_voltage_kv numeric,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE transformer (
  mrid uuid PRIMARY KEY,
  name text,
  -- NULL while GIS has not placed the transformer on a feeder: its usage points then aggregate
  -- under "no feeder", not nowhere.
  feeder_mrid uuid REFERENCES feeder (mrid),
  -- CIM PhaseCode literal, e.g. `A`, `ABC`.
  phases text,
  rated_kva numeric,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transformer_by_feeder ON transformer (feeder_mrid) WHERE feeder_mrid IS NOT NULL;

-- Which transformer served a usage point when. GIS edits re-home services, so aggregation takes
-- the link in force at each interval's start. valid_to is exclusive and NULL while the link
-- holds; the links of one usage point never overlap (kept so by mdm/network.ts, as meter
-- assignments are by master-data.ts: btree_gist is not available on PGlite).
CREATE TABLE transformer_link (
  usage_point_mrid uuid NOT NULL REFERENCES usage_point (mrid),
  valid_from timestamptz NOT NULL,
  valid_to timestamptz,
  transformer_mrid uuid NOT NULL REFERENCES transformer (mrid),
  phase text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (usage_point_mrid, valid_from),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX transformer_link_by_transformer ON transformer_link (transformer_mrid);

-- Feeders and transformers are referenced by the names GIS gives them (CIM Name + NameType),
-- like usage points and meters.
ALTER TABLE external_name DROP CONSTRAINT external_name_object_kind_check;
ALTER TABLE external_name ADD CONSTRAINT external_name_object_kind_check
  CHECK (object_kind IN ('usage_point', 'meter', 'feeder', 'transformer'));

-- Aggregation reads the current days of one reading type and a few dates across every usage
-- point; the primary key leads with the usage point, so without this index that is a scan of the
-- whole store. The usage point closes the key so that the store's lookups of given days
-- (usage point, reading type, date) find one entry here too, whichever index the planner takes.
CREATE INDEX interval_day_current_by_date ON interval_day (reading_type, local_date, usage_point_mrid) WHERE is_current;
