-- VEE of the meter data core: the rule configuration and the exception queue (the work items
-- behind `vee_exception.raised`). Runs with search_path = mdm; PostgreSQL 15 and PGlite.

-- The whole VeeConfig (mdm/vee/config.ts) as one JSON document per version, rather than rows per
-- rule set: rule sets only mean something together (the narrowest scope wins per rule name,
-- mdm/vee/rules.ts), so they are validated and replaced together. The newest row is in force;
-- older rows stay as the history of who changed the rules when. No row: the documented default
-- (mdm/vee/default-config.ts).
CREATE TABLE vee_config (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  config jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL
);

CREATE TABLE vee_exception (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  usage_point_mrid uuid NOT NULL REFERENCES usage_point (mrid),
  reading_type text NOT NULL,
  -- The local day whose validation raised it (a usage-point-level rule such as stale-meter is
  -- raised against the day being validated when it fired).
  local_date date NOT NULL,
  rule text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
  period_start timestamptz NOT NULL,
  period_end timestamptz NOT NULL,
  message text NOT NULL,
  -- Rule-specific detail: the intervals left for estimation or review, the sum-check outcome.
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'ignored')),
  raised_at timestamptz NOT NULL DEFAULT now(),
  -- Set by a re-validation that found the same problem again while it was open.
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  resolved_by text,
  resolution_note text,
  CHECK ((status = 'open') = (resolved_at IS NULL))
);
-- One open work item per day and rule: re-validating a day (a re-delivery, a fill) updates it
-- instead of queueing a duplicate; once closed, a new finding opens a new item.
CREATE UNIQUE INDEX vee_exception_open ON vee_exception (usage_point_mrid, reading_type, local_date, rule) WHERE status = 'open';
CREATE INDEX vee_exception_by_status ON vee_exception (status, raised_at);
