-- The mdm module owns the mdm schema: every table of the module lives here (DESIGN.md, Database).
CREATE SCHEMA IF NOT EXISTS mdm;
