-- The erp module owns the erp schema: every table of the module lives here (DESIGN.md, Database).
CREATE SCHEMA IF NOT EXISTS erp;
