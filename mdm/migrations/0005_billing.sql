-- Billing determinants configuration of the meter data core (mdm/billing/): holiday calendars,
-- TOU calendars and billing profiles. Runs with search_path = mdm; PostgreSQL 15 and PGlite.
-- Documents are validated by mdm/billing/config.ts on every save and load, so a row written by
-- hand cannot bill on a calendar with a gap.

-- Holiday calendars by name (mdm/calendar/holidays.ts HolidayCalendarSchema: rules, not dates).
-- Built-in calendars (us-federal, none) need no row, and a row cannot take their name.
CREATE TABLE holiday_calendar (
  name text PRIMARY KEY,
  rules jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL
);

-- TOU calendars by name: seasons, day types and local time-of-day periods, one JSON document
-- (TouCalendarSchema) because the coverage rule (every minute of every day exactly once) only
-- means something for the whole calendar. A save replaces the document.
CREATE TABLE tou_calendar (
  name text PRIMARY KEY,
  definition jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL
);

-- What to compute for a bill: per rate class (usage_point.rate_class) or per usage point (which
-- wins over its rate class), from a local date (inclusive) until another (exclusive, NULL while
-- in force). Columns rather than a document: each setting has a SQL check and the TOU calendar a
-- foreign key, so a calendar in use cannot be deleted.
CREATE TABLE billing_profile (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rate_class text,
  usage_point_mrid uuid REFERENCES usage_point (mrid),
  effective_from date NOT NULL,
  effective_to date,
  reading_types text[] NOT NULL CHECK (cardinality(reading_types) > 0),
  tou_calendar text REFERENCES tou_calendar (name) ON UPDATE CASCADE,
  demand_window_minutes integer CHECK (demand_window_minutes IN (15, 30, 60)),
  demand_window text CHECK (demand_window IN ('fixed', 'rolling')),
  power_factor boolean NOT NULL DEFAULT false,
  kvarh_reading_type text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL,
  CHECK ((rate_class IS NULL) <> (usage_point_mrid IS NULL)),
  CHECK ((demand_window_minutes IS NULL) = (demand_window IS NULL)),
  CHECK (effective_to IS NULL OR effective_to > effective_from)
);
-- One profile per scope and start date; profiles of one scope never overlap (kept so by
-- mdm/billing/config-store.ts: btree_gist is not available on PGlite).
CREATE UNIQUE INDEX billing_profile_by_rate_class ON billing_profile (rate_class, effective_from) WHERE rate_class IS NOT NULL;
CREATE UNIQUE INDEX billing_profile_by_usage_point ON billing_profile (usage_point_mrid, effective_from) WHERE usage_point_mrid IS NOT NULL;
