-- The hub module owns the hub schema: every table of the module lives here (DESIGN.md, Database).
CREATE SCHEMA IF NOT EXISTS hub;
