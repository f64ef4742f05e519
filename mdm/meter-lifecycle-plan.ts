/**
 * Pure: what a meter installation, removal or exchange (IEC 61968-6 MeterWorkTask, cim.md §7)
 * does to the meter ↔ usage point assignment history (cim.md §6). The history is the rows of the
 * meters involved and of the usage point; the plan says which open assignments to close, which
 * one to open, or why the event cannot be applied. Planning before writing means a refused event
 * leaves no half-applied change behind in the consumer's transaction.
 *
 * One meter serves one usage point at a time, and one usage point is served by one meter at a
 * time. An installation therefore closes, at its instant, the meter's open assignment elsewhere
 * and another meter's open assignment at the usage point; it never rewrites closed history, so an
 * event that would overlap an assignment already closed, or one starting at or after its instant,
 * is refused with the assignment it clashes with. Events that the history already reflects (a CIS
 * re-sending an installation, a removal after an exchange closed the assignment) change nothing.
 */

/** One row of the assignment history; `validTo` exclusive and absent while open. Instants in ISO 8601. */
export interface AssignmentRow {
  readonly meter: string;
  readonly usagePoint: string;
  readonly validFrom: string;
  readonly validTo?: string;
}

export interface AssignmentClosing {
  readonly meter: string;
  readonly usagePoint: string;
  /** Identifies the row (with the meter). */
  readonly validFrom: string;
  /** The new end: the event's instant. */
  readonly validTo: string;
}

export interface AssignmentOpening {
  readonly meter: string;
  readonly usagePoint: string;
  readonly validFrom: string;
}

export type LifecycleRefusalReason = 'assignment-conflict' | 'meter-not-assigned' | 'invalid-exchange';

export type LifecyclePlan =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'refused'; readonly reason: LifecycleRefusalReason; readonly detail: string; readonly field: string }
  | { readonly kind: 'change'; readonly close: readonly AssignmentClosing[]; readonly open?: AssignmentOpening };

export interface LifecycleStep {
  readonly meter: string;
  readonly usagePoint: string;
  /** The instant of the installation, removal or exchange. */
  readonly at: string;
  /** The event field holding the instant, for the quarantine entry. */
  readonly field: string;
}

export interface ExchangeStep {
  readonly usagePoint: string;
  readonly oldMeter: string;
  readonly newMeter: string;
  readonly at: string;
  readonly field: string;
}

const UNCHANGED: LifecyclePlan = { kind: 'unchanged' };

const millis = (instant: string): number => Date.parse(instant);

function covers(row: AssignmentRow, at: number): boolean {
  return millis(row.validFrom) <= at && (row.validTo === undefined || at < millis(row.validTo));
}

/** The row still counts at `at` or later: an installation at `at` would have to deal with it. */
function reachesPast(row: AssignmentRow, at: number): boolean {
  return row.validTo === undefined || millis(row.validTo) > at;
}

/** Open and begun before `at`: the only kind of row an event may close. */
function closableAt(row: AssignmentRow, at: number): boolean {
  return row.validTo === undefined && millis(row.validFrom) < at;
}

export function describePeriod(row: AssignmentRow): string {
  return `from ${new Date(row.validFrom).toISOString()}${row.validTo === undefined ? '' : ` to ${new Date(row.validTo).toISOString()}`}`;
}

function refused(reason: LifecycleRefusalReason, detail: string, field: string): LifecyclePlan {
  return { kind: 'refused', reason, detail, field };
}

function closing(row: AssignmentRow, validTo: string): AssignmentClosing {
  return { meter: row.meter, usagePoint: row.usagePoint, validFrom: row.validFrom, validTo };
}

/**
 * The meter serves the usage point from `at`. Unchanged when an assignment of the meter there
 * already covers `at`; otherwise open assignments that reach past `at` (the meter's elsewhere,
 * another meter's here) are closed at `at`, and any other row reaching past `at` is a conflict.
 */
export function planInstallation(history: readonly AssignmentRow[], step: LifecycleStep): LifecyclePlan {
  const at = millis(step.at);
  const ofMeter = history.filter((row) => row.meter === step.meter);
  if (ofMeter.some((row) => row.usagePoint === step.usagePoint && covers(row, at))) return UNCHANGED;
  const close: AssignmentClosing[] = [];
  for (const row of ofMeter) {
    if (!reachesPast(row, at)) continue;
    if (!closableAt(row, at)) {
      return refused('assignment-conflict', `meter ${step.meter} serves usage point ${row.usagePoint} ${describePeriod(row)}, which an installation at ${step.at} would overlap`, step.field);
    }
    close.push(closing(row, step.at));
  }
  for (const row of history) {
    if (row.usagePoint !== step.usagePoint || row.meter === step.meter || !reachesPast(row, at)) continue;
    if (!closableAt(row, at)) {
      return refused('assignment-conflict', `usage point ${step.usagePoint} is served by meter ${row.meter} ${describePeriod(row)}, which an installation at ${step.at} would overlap`, step.field);
    }
    close.push(closing(row, step.at));
  }
  return { kind: 'change', close, open: { meter: step.meter, usagePoint: step.usagePoint, validFrom: step.at } };
}

/**
 * The meter leaves the usage point at `at`: its open assignment there is closed. Unchanged when
 * an assignment there already ended at or before `at` and none covers `at` (removed already, e.g.
 * by an exchange); refused when the meter never served the usage point before `at`, or when the
 * assignment covering `at` is closed later or begins at `at` (the history says otherwise).
 */
export function planRemoval(history: readonly AssignmentRow[], step: LifecycleStep): LifecyclePlan {
  const at = millis(step.at);
  const here = history.filter((row) => row.meter === step.meter && row.usagePoint === step.usagePoint);
  const current = here.find((row) => covers(row, at));
  if (current !== undefined) {
    if (closableAt(current, at)) return { kind: 'change', close: [closing(current, step.at)] };
    return refused('assignment-conflict', `meter ${step.meter} serves usage point ${step.usagePoint} ${describePeriod(current)}; a removal at ${step.at} contradicts it`, step.field);
  }
  if (here.some((row) => row.validTo !== undefined && millis(row.validTo) <= at)) return UNCHANGED;
  return refused('meter-not-assigned', `meter ${step.meter} does not serve usage point ${step.usagePoint} at ${step.at}`, step.field);
}

/**
 * One meter out, another in, at one instant (cim.md §7): the old meter must serve the usage point
 * at `at` (or its assignment there must end exactly at `at`), and the new one is installed as by
 * `planInstallation`, which then also closes the new meter's open assignment elsewhere.
 */
export function planExchange(history: readonly AssignmentRow[], step: ExchangeStep): LifecyclePlan {
  if (step.oldMeter === step.newMeter) return refused('invalid-exchange', `meter ${step.oldMeter} cannot replace itself at usage point ${step.usagePoint}`, 'newMeter');
  const at = millis(step.at);
  const old = history.find((row) => row.meter === step.oldMeter && row.usagePoint === step.usagePoint && (covers(row, at) || (row.validTo !== undefined && millis(row.validTo) === at)));
  if (old === undefined) return refused('meter-not-assigned', `meter ${step.oldMeter} does not serve usage point ${step.usagePoint} at ${step.at}`, 'oldMeter');
  if (covers(old, at) && !closableAt(old, at)) {
    return refused('assignment-conflict', `meter ${step.oldMeter} serves usage point ${step.usagePoint} ${describePeriod(old)}; an exchange at ${step.at} contradicts it`, step.field);
  }
  const closeOld = old.validTo === undefined ? closing(old, step.at) : undefined;
  // Plan the installation on the history as it will be once the old meter's assignment is closed.
  const after = history.map((row) => (row === old && closeOld !== undefined ? { ...row, validTo: step.at } : row));
  const install = planInstallation(after, { meter: step.newMeter, usagePoint: step.usagePoint, at: step.at, field: step.field });
  if (install.kind === 'refused') return install;
  const close = closeOld === undefined ? [] : [closeOld];
  if (install.kind === 'unchanged') return close.length === 0 ? UNCHANGED : { kind: 'change', close };
  return { kind: 'change', close: [...close, ...install.close], ...(install.open === undefined ? {} : { open: install.open }) };
}
