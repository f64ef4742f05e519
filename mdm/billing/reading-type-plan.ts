/**
 * Pure: what each requested ReadingType becomes on a bill. An interval ReadingType (accumulation
 * deltaData, cim.md §2: usage in the interval) is summed from the interval store; a register one
 * (bulkQuantity: a dial value) is the difference of reads per meter. Each gets a determinant name
 * from its unit and flow direction (`kwh-total`, `kwh-received-total`, `ccf-total`), unique in
 * the bill, and energy in Wh units may carry max demand and power factor.
 */
import { Accumulation, FlowDirection, measuringPeriodSeconds, parseReadingType, UnitSymbol, type ReadingType } from '../../canonical/reading-type.js';
import { type Unit, unitFromReadingType } from '../../canonical/units.js';

/** Max demand windows (config.ts DemandSettingsSchema documents them). */
export interface DemandSettings {
  readonly windowMinutes: 15 | 30 | 60;
  readonly window: 'fixed' | 'rolling';
}

/** What a billing profile asks for (config.ts documents each field). */
export interface DeterminantSettings {
  readonly readingTypes: readonly string[];
  readonly touCalendar?: string | undefined;
  readonly demand?: DemandSettings | undefined;
  readonly powerFactor: boolean;
  readonly kvarhReadingType?: string | undefined;
}

export interface IntervalReadingTypePlan {
  readonly kind: 'interval';
  readonly code: string;
  readonly unit: Unit;
  readonly intervalSeconds: number;
  /** Name stem: `kwh`, `kwh-received`. */
  readonly stem: string;
  /** Energy in Wh units (Wh, kWh, MWh): max demand in the matching power unit. */
  readonly demand?: { readonly unit: Unit; readonly stem: string };
}

export interface RegisterReadingTypePlan {
  readonly kind: 'register';
  readonly code: string;
  readonly unit: Unit;
  readonly stem: string;
}

export interface ReadingTypePlan {
  readonly intervals: readonly IntervalReadingTypePlan[];
  readonly registers: readonly RegisterReadingTypePlan[];
  readonly demand?: DemandSettings;
  /** Power factor: the kWh ReadingType it is computed from and the kVArh one. */
  readonly powerFactor?: { readonly kwh: IntervalReadingTypePlan; readonly kvarh: string; readonly kvarhIntervalSeconds: number };
}

export interface PlanProblem {
  readonly problem: string;
  readonly path: (string | number)[];
}

const POWER_OF_ENERGY: Readonly<Partial<Record<Unit, Unit>>> = { Wh: 'W', kWh: 'kW', MWh: 'MW' };

function directionSuffix(flowDirection: number): string {
  switch (flowDirection) {
    case FlowDirection.None:
    case FlowDirection.Forward:
      return '';
    case FlowDirection.Reverse:
      return '-received';
    case FlowDirection.Net:
      return '-net';
    case FlowDirection.Total:
      return '-delivered-received';
    default:
      return `-flow${flowDirection}`;
  }
}

/** The kVArh counterpart of a kWh ReadingType: the same code with unit VArh. */
export function reactiveCounterpart(readingType: ReadingType): string {
  const fields = readingType.raw.split('.');
  fields[16] = String(UnitSymbol.VArh);
  return fields.join('.');
}

type Planned = IntervalReadingTypePlan | RegisterReadingTypePlan | { problem: string };

function planOne(code: string): Planned {
  let readingType: ReadingType;
  try {
    readingType = parseReadingType(code);
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
  const unit = unitFromReadingType(readingType);
  if (unit === undefined) return { problem: `${code}: unit ${readingType.unit} with power of ten ${readingType.multiplier} is not a unit canonical/units.ts knows` };
  const stem = `${unit.toLowerCase()}${directionSuffix(readingType.flowDirection)}`;
  if (readingType.accumulation === Accumulation.BulkQuantity) return { kind: 'register', code, unit, stem };
  if (readingType.accumulation !== Accumulation.DeltaData) {
    return { problem: `${code}: accumulation ${readingType.accumulation} is neither deltaData (4, interval usage) nor bulkQuantity (1, a register)` };
  }
  const intervalSeconds = measuringPeriodSeconds(readingType);
  if (intervalSeconds === undefined || intervalSeconds >= 86_400) {
    return { problem: `${code}: an interval ReadingType needs a measuring period (field 3) of fixed length under a day, got ${readingType.measuringPeriod}` };
  }
  const power = readingType.unit === UnitSymbol.Wh ? POWER_OF_ENERGY[unit] : undefined;
  const demand = power === undefined ? undefined : { unit: power, stem: `${power.toLowerCase()}${directionSuffix(readingType.flowDirection)}` };
  return { kind: 'interval', code, unit, intervalSeconds, stem, ...(demand === undefined ? {} : { demand }) };
}

/**
 * Checks the settings' ReadingTypes and derives the plan, or says what is wrong and where. Two
 * ReadingTypes that would give the same determinant name are refused (15- and 60-minute kWh in
 * one bill); a register with the same stem as an interval ReadingType is named `…-register-…`.
 */
export function planReadingTypes(settings: DeterminantSettings): ReadingTypePlan | PlanProblem {
  const intervals: IntervalReadingTypePlan[] = [];
  const registers: RegisterReadingTypePlan[] = [];
  const seen = new Map<string, string>();
  for (const [index, code] of settings.readingTypes.entries()) {
    const planned = planOne(code);
    if ('problem' in planned) return { problem: planned.problem, path: ['readingTypes', index] };
    if (seen.has(code)) return { problem: `${code} is listed twice`, path: ['readingTypes', index] };
    if (planned.kind === 'interval') intervals.push(planned);
    else registers.push(planned);
    seen.set(code, code);
  }
  const stems = new Map<string, string>();
  const named = [...intervals, ...registers.map((register) => (intervals.some((interval) => interval.stem === register.stem) ? { ...register, stem: `${register.stem}-register` } : register))];
  for (const plan of named) {
    const other = stems.get(plan.stem);
    if (other !== undefined) {
      return { problem: `${other} and ${plan.code} would both be named ${plan.stem}-total: bill one of them`, path: ['readingTypes', settings.readingTypes.indexOf(plan.code)] };
    }
    stems.set(plan.stem, plan.code);
  }
  const energy = intervals.filter((interval) => interval.demand !== undefined);
  if (settings.demand !== undefined) {
    if (energy.length === 0) return { problem: 'demand needs an interval energy ReadingType in Wh units (e.g. 15-minute kWh) among readingTypes', path: ['demand'] };
    for (const interval of energy) {
      const windowSeconds = settings.demand.windowMinutes * 60;
      if (windowSeconds % interval.intervalSeconds !== 0) {
        return { problem: `a ${settings.demand.windowMinutes}-minute demand window is not a whole number of ${interval.intervalSeconds / 60}-minute intervals of ${interval.code}`, path: ['demand', 'windowMinutes'] };
      }
    }
  }
  let powerFactor: ReadingTypePlan['powerFactor'];
  if (settings.powerFactor) {
    const kwh = energy[0];
    if (kwh === undefined) return { problem: 'powerFactor needs an interval energy ReadingType in Wh units among readingTypes', path: ['powerFactor'] };
    const kvarh = settings.kvarhReadingType ?? reactiveCounterpart(parseReadingType(kwh.code));
    const reactive = planOne(kvarh);
    if ('problem' in reactive) return { problem: reactive.problem, path: ['kvarhReadingType'] };
    if (reactive.kind !== 'interval' || parseReadingType(kvarh).unit !== UnitSymbol.VArh) {
      return { problem: `${kvarh} is not an interval ReadingType in VArh units`, path: ['kvarhReadingType'] };
    }
    powerFactor = { kwh, kvarh, kvarhIntervalSeconds: reactive.intervalSeconds };
  } else if (settings.kvarhReadingType !== undefined) {
    return { problem: 'kvarhReadingType is only used with powerFactor: true', path: ['kvarhReadingType'] };
  }
  return {
    intervals,
    registers: named.filter((plan): plan is RegisterReadingTypePlan => plan.kind === 'register'),
    ...(settings.demand === undefined ? {} : { demand: settings.demand }),
    ...(powerFactor === undefined ? {} : { powerFactor }),
  };
}
