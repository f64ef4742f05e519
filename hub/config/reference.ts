/**
 * The configuration reference (README "Configuration"), generated from the schema so the table
 * cannot drift from what the hub accepts. `busbar config reference` prints it.
 */
import { configFields } from './fields.js';

function formatDefault(value: unknown, optional: boolean): string {
  if (value === undefined) return optional ? '(unset)' : '';
  if (Array.isArray(value) && value.length === 0) return '`[]`';
  return `\`${JSON.stringify(value)}\``;
}

/** Markdown pipes would break the table. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function configReference(): string {
  const lines = [
    '| key | type | default | environment | description |',
    '|---|---|---|---|---|',
    ...configFields().map((field) =>
      `| \`${field.key}\` | ${cell(field.expected)} | ${formatDefault(field.defaultValue, field.optional)} | ${field.envVar ? `\`${field.envVar}\`` : ''} | ${cell(field.description)} |`,
    ),
    '',
    'Conventional variables are read too, before the `BUSBAR_` form (which wins): `HOST` → `http.host`, `PORT` → `http.port`, ' +
      '`LOG_LEVEL` → `log.level`, `DATABASE_URL` → `database.url`, `AMQP_URL` → `bus.amqp.url` and selects `bus.transport: amqp`.',
    'Lists take JSON in the environment (`BUSBAR_AUTH__TOKENS=\'[{"name":"ci","roles":["reader"],"tokenEnv":"CI_TOKEN"}]\'`).',
  ];
  return `${lines.join('\n')}\n`;
}
