/**
 * A usage point's connection state (CIM UsagePoint.connectionState, cim.md) follows its meter's
 * remote switch: a `connect_disconnect.completed` that succeeded with the switch connected makes
 * the usage point the meter serves at that instant `connected`, disconnected or armed (armed: the
 * customer may close it, the supply is still off) `physicallyDisconnected`; a
 * `connect_disconnect.state_reported` (the switch reporting on its own, no command asked) does
 * the same at its instant. A failed or expired
 * command, or one whose switch state is unknown, changes nothing. A result for a meter the hub
 * does not know, or one not installed anywhere at that instant, is quarantined with the reason.
 *
 * The connection state is what systems asking "is this meter's switch open?" read back
 * (MultiSpeak GetCDMeterState), so it is kept in the meter data core beside the usage point.
 */
import { EventType, InputError, validateEvent, type CloudEvent, type ConnectDisconnectResult, type QuarantinedReading } from '../canonical/index.js';
import type { CoreConsumer } from './consumers.js';
import { invalidEventRecord, readingRecord, type QuarantineContext } from './ingest-quarantine.js';
import { describeReference } from './master-data.js';
import { resolveMasterDataReference } from './master-data-identity.js';
import type { SqlExecutor } from './sql.js';

export const MDM_CONNECTION_STATE_CONSUMER = 'mdm.connection_state';

export interface ConnectionStateOutcome {
  readonly updated: number;
  readonly quarantined: QuarantinedReading[];
  readonly events: CloudEvent[];
}

const STATE_OF_SWITCH: Readonly<Record<ConnectDisconnectResult['state'], 'connected' | 'physicallyDisconnected' | undefined>> = {
  connected: 'connected',
  disconnected: 'physicallyDisconnected',
  armed: 'physicallyDisconnected',
  unknown: undefined,
};

async function applyOne(tx: SqlExecutor, input: CloudEvent, context: QuarantineContext): Promise<boolean | QuarantinedReading> {
  let event;
  try {
    event = validateEvent(input);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return invalidEventRecord(input, error.message, context, error.location.field);
  }
  let report: { meter: ConnectDisconnectResult['meter']; state: ConnectDisconnectResult['state']; at: string };
  if (event.type === EventType.ConnectDisconnectCompleted) {
    if (event.data.outcome !== 'succeeded') return false;
    report = { meter: event.data.meter, state: event.data.state, at: event.data.completedAt };
  } else if (event.type === EventType.SwitchStateReported) {
    report = { meter: event.data.meter, state: event.data.state, at: event.data.reportedAt };
  } else {
    throw new Error(`${context.consumer}: event ${event.id} is ${event.type}, expected connect_disconnect.completed or connect_disconnect.state_reported`);
  }
  const state = STATE_OF_SWITCH[report.state];
  if (state === undefined) return false;
  const meter = await resolveMasterDataReference(tx, 'meter', report.meter);
  if (meter === undefined) return readingRecord(event, { reason: 'unknown-meter', detail: `${describeReference(report.meter)} is not a known meter`, field: 'meter' }, event.data, context);
  const updated = await tx.query(
    `UPDATE mdm.usage_point u SET connection_state = $3, updated_at = now()
       FROM mdm.meter_assignment a
      WHERE a.meter_mrid = $1 AND a.usage_point_mrid = u.mrid AND a.valid_from <= $2::timestamptz AND (a.valid_to IS NULL OR a.valid_to > $2::timestamptz)`,
    [meter, report.at, state],
  );
  if (updated.rowCount === 0) {
    return readingRecord(event, { reason: 'meter-not-assigned', detail: `${describeReference(report.meter)} serves no usage point at ${report.at}`, field: 'meter' }, event.data, context);
  }
  return true;
}

export async function applyConnectionStates(tx: SqlExecutor, input: CloudEvent | readonly CloudEvent[], now: Date = new Date()): Promise<ConnectionStateOutcome> {
  const context: QuarantineContext = { consumer: MDM_CONNECTION_STATE_CONSUMER, quarantinedAt: now.toISOString() };
  const events: readonly CloudEvent[] = Array.isArray(input) ? input : [input];
  let updated = 0;
  const quarantined: QuarantinedReading[] = [];
  for (const event of events) {
    const result = await applyOne(tx, event, context);
    if (result === true) updated++;
    else if (result !== false) quarantined.push(result);
  }
  return { updated, quarantined, events: [] };
}

export const MDM_CONNECTION_STATE: CoreConsumer<ConnectionStateOutcome> = {
  group: MDM_CONNECTION_STATE_CONSUMER,
  patterns: [EventType.ConnectDisconnectCompleted, EventType.SwitchStateReported],
  // Two results for one meter in one run must land in the order they happened.
  ordered: true,
  description: 'Keeps each usage point\'s connection state from the results of connect/disconnect commands on its meter and the switch states it reports on its own.',
  work: (event, tx) => applyConnectionStates(tx, event),
  workBatch: (events, tx) => applyConnectionStates(tx, events),
};

/** The connection state of the usage point a meter serves now; undefined for an unknown meter, null when it serves none. */
export async function connectionStateOfMeter(db: SqlExecutor, mrid: string, at: string): Promise<string | null> {
  const found = await db.query<{ connection_state: string }>(
    `SELECT u.connection_state FROM mdm.meter_assignment a JOIN mdm.usage_point u ON u.mrid = a.usage_point_mrid
      WHERE a.meter_mrid = $1 AND a.valid_from <= $2::timestamptz AND (a.valid_to IS NULL OR a.valid_to > $2::timestamptz)
      LIMIT 1`,
    [mrid, at],
  );
  return found.rows[0]?.connection_state ?? null;
}

export interface MeterWithConnectionState {
  readonly mrid: string;
  readonly serialNumber: string;
  readonly commodity: string;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly formNumber: string | null;
  readonly amrSystem: string | null;
  /** As stored (jsonb); the reader validates them. */
  readonly multipliers: unknown;
  readonly registers: unknown;
  readonly connectionState: string;
}

/**
 * The meters that serve a usage point at `at`, with that usage point's connection state, by serial
 * number after `after` (all from the first), at most `limit`, and how many come after the page.
 */
export async function metersWithConnectionStatePage(
  db: SqlExecutor,
  after: string | undefined,
  limit: number,
  at: string,
): Promise<{ meters: MeterWithConnectionState[]; remaining: number }> {
  const current = `FROM mdm.meter m
      JOIN mdm.meter_assignment a ON a.meter_mrid = m.mrid AND a.valid_from <= $2::timestamptz AND (a.valid_to IS NULL OR a.valid_to > $2::timestamptz)
      JOIN mdm.usage_point u ON u.mrid = a.usage_point_mrid`;
  const page = await db.query<{
    mrid: string;
    serial_number: string;
    commodity: string;
    manufacturer: string | null;
    model: string | null;
    form_number: string | null;
    amr_system: string | null;
    multipliers: unknown;
    registers: unknown;
    connection_state: string;
  }>(
    `SELECT m.mrid::text AS mrid, m.serial_number, m.commodity, m.manufacturer, m.model, m.form_number, m.amr_system, m.multipliers, m.registers, u.connection_state
       ${current}
      WHERE ($1::text IS NULL OR m.serial_number > $1)
      ORDER BY m.serial_number, m.mrid LIMIT $3`,
    [after ?? null, at, limit],
  );
  const meters = page.rows.map((row) => ({
    mrid: row.mrid,
    serialNumber: row.serial_number,
    commodity: row.commodity,
    manufacturer: row.manufacturer,
    model: row.model,
    formNumber: row.form_number,
    amrSystem: row.amr_system,
    multipliers: row.multipliers,
    registers: row.registers,
    connectionState: row.connection_state,
  }));
  const last = meters[meters.length - 1];
  if (last === undefined) return { meters, remaining: 0 };
  const rest = await db.query<{ count: string }>(`SELECT count(*)::text AS count ${current} WHERE m.serial_number > $1`, [last.serialNumber, at]);
  return { meters, remaining: Number(rest.rows[0]?.count ?? '0') };
}
