-- The core-cis module owns the cis schema: every table of the module lives here (DESIGN.md, Database).
CREATE SCHEMA IF NOT EXISTS cis;
