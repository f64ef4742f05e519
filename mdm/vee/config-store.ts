/**
 * The stored VEE configuration (mdm.vee_config): the newest row is in force, older rows are its
 * history. A stored document is parsed with VeeConfigSchema on every load, so a row written by
 * hand in psql cannot smuggle in an unknown rule; none stored means DEFAULT_VEE_CONFIG.
 */
import { z } from 'zod';
import type { SqlExecutor } from '../sql.js';
import { type VeeConfig, VeeConfigSchema } from './config.js';
import { DEFAULT_VEE_CONFIG } from './default-config.js';

export async function loadVeeConfig(db: SqlExecutor): Promise<VeeConfig> {
  const result = await db.query('SELECT config FROM mdm.vee_config ORDER BY updated_at DESC, id DESC LIMIT 1');
  const [row] = result.rows;
  if (row === undefined) return DEFAULT_VEE_CONFIG;
  const parsed = VeeConfigSchema.safeParse(z.object({ config: z.unknown() }).parse(row).config);
  if (!parsed.success) throw new Error(`mdm.vee_config: the stored configuration is invalid: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  return parsed.data;
}

/** Stores a new version; the input is validated here, the edge every writer goes through. */
export async function saveVeeConfig(db: SqlExecutor, config: unknown, by: string): Promise<VeeConfig> {
  const parsed = VeeConfigSchema.parse(config);
  await db.query('INSERT INTO mdm.vee_config (config, updated_by) VALUES ($1::jsonb, $2)', [JSON.stringify(parsed), by]);
  return parsed;
}
