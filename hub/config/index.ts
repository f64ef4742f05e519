/** Hub configuration: one zod schema, loaded from a file and the environment, validated at start. */
export { configSchema, ROLES, SECRET_URL_KEYS, type Config, type ConfigInput, type Role, type TokenConfig } from './schema.js';
export { loadConfig, parseConfig, DEFAULT_CONFIG_FILE, type LoadConfigOptions, type LoadedConfig } from './load.js';
export { configReference } from './reference.js';
export { configFields, type ConfigField } from './fields.js';
export { redactConfig, redactText, redactUrl, REDACTED } from './redact.js';
export { digestToken, resolveTokens, MIN_TOKEN_LENGTH, type TokenCredential } from './credentials.js';
