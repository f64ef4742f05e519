import { describe, expect, it } from 'vitest';
import { type AssignmentRow, planExchange, planInstallation, planRemoval } from './meter-lifecycle-plan.js';

const M1 = 'meter-1';
const M2 = 'meter-2';
const A = 'point-a';
const B = 'point-b';
const T0 = '2024-01-01T00:00:00.000Z';
const T1 = '2024-05-01T16:00:00.000Z';
const T2 = '2024-06-01T00:00:00.000Z';

const open = (meter: string, usagePoint: string, validFrom: string): AssignmentRow => ({ meter, usagePoint, validFrom });
const closed = (meter: string, usagePoint: string, validFrom: string, validTo: string): AssignmentRow => ({ meter, usagePoint, validFrom, validTo });
const install = (meter: string, usagePoint: string, at: string) => ({ meter, usagePoint, at, field: 'installedAt' });
const remove = (meter: string, usagePoint: string, at: string) => ({ meter, usagePoint, at, field: 'removedAt' });

describe('planInstallation', () => {
  it('opens an assignment for a meter with no history', () => {
    expect(planInstallation([], install(M1, A, T1))).toEqual({ kind: 'change', close: [], open: { meter: M1, usagePoint: A, validFrom: T1 } });
  });

  it('closes the meter elsewhere and another meter at the point, at the install instant', () => {
    const plan = planInstallation([open(M1, B, T0), open(M2, A, T0)], install(M1, A, T1));
    expect(plan).toEqual({
      kind: 'change',
      close: [{ meter: M1, usagePoint: B, validFrom: T0, validTo: T1 }, { meter: M2, usagePoint: A, validFrom: T0, validTo: T1 }],
      open: { meter: M1, usagePoint: A, validFrom: T1 },
    });
  });

  it('changes nothing when the meter already serves the point then (a re-sent installation, a later instant)', () => {
    expect(planInstallation([open(M1, A, T0)], install(M1, A, T1))).toEqual({ kind: 'unchanged' });
    expect(planInstallation([open(M1, A, T0)], install(M1, A, T0))).toEqual({ kind: 'unchanged' });
    expect(planInstallation([closed(M1, A, T0, T2)], install(M1, A, T1))).toEqual({ kind: 'unchanged' });
  });

  it('leaves history that ended before the instant alone', () => {
    const plan = planInstallation([closed(M1, B, T0, T1), closed(M2, A, T0, T1)], install(M1, A, T1));
    expect(plan).toEqual({ kind: 'change', close: [], open: { meter: M1, usagePoint: A, validFrom: T1 } });
  });

  it('refuses to rewrite closed history or to install before a later assignment', () => {
    const overlapClosed = planInstallation([closed(M1, B, T0, T2)], install(M1, A, T1));
    expect(overlapClosed).toMatchObject({ kind: 'refused', reason: 'assignment-conflict', field: 'installedAt' });
    expect(overlapClosed.kind === 'refused' && overlapClosed.detail).toBe(`meter ${M1} serves usage point ${B} from ${T0} to ${T2}, which an installation at ${T1} would overlap`);
    expect(planInstallation([open(M1, A, T2)], install(M1, A, T1))).toMatchObject({ kind: 'refused', reason: 'assignment-conflict' });
    const pointTaken = planInstallation([open(M2, A, T1)], install(M1, A, T1));
    expect(pointTaken.kind === 'refused' && pointTaken.detail).toBe(`usage point ${A} is served by meter ${M2} from ${T1}, which an installation at ${T1} would overlap`);
  });
});

describe('planRemoval', () => {
  it('closes the open assignment at the removal instant', () => {
    expect(planRemoval([open(M1, A, T0)], remove(M1, A, T1))).toEqual({ kind: 'change', close: [{ meter: M1, usagePoint: A, validFrom: T0, validTo: T1 }] });
  });

  it('changes nothing when the assignment already ended (a removal after an exchange, a re-sent removal)', () => {
    expect(planRemoval([closed(M1, A, T0, T1)], remove(M1, A, T1))).toEqual({ kind: 'unchanged' });
    expect(planRemoval([closed(M1, A, T0, T1)], remove(M1, A, T2))).toEqual({ kind: 'unchanged' });
  });

  it('refuses a meter that never served the point before the instant, and history that says otherwise', () => {
    const nowhere = planRemoval([open(M1, B, T0)], remove(M1, A, T1));
    expect(nowhere).toEqual({ kind: 'refused', reason: 'meter-not-assigned', detail: `meter ${M1} does not serve usage point ${A} at ${T1}`, field: 'removedAt' });
    expect(planRemoval([open(M1, A, T2)], remove(M1, A, T1))).toMatchObject({ reason: 'meter-not-assigned' });
    expect(planRemoval([closed(M1, A, T0, T2)], remove(M1, A, T1))).toMatchObject({ reason: 'assignment-conflict' });
    expect(planRemoval([open(M1, A, T1)], remove(M1, A, T1))).toMatchObject({ reason: 'assignment-conflict' });
  });
});

describe('planExchange', () => {
  const exchange = (oldMeter: string, newMeter: string, at: string) => ({ usagePoint: A, oldMeter, newMeter, at, field: 'exchangedAt' });

  it('closes the old meter and opens the new one at the instant', () => {
    expect(planExchange([open(M1, A, T0)], exchange(M1, M2, T1))).toEqual({
      kind: 'change',
      close: [{ meter: M1, usagePoint: A, validFrom: T0, validTo: T1 }],
      open: { meter: M2, usagePoint: A, validFrom: T1 },
    });
  });

  it('also closes the new meter where it was before', () => {
    const plan = planExchange([open(M1, A, T0), open(M2, B, T0)], exchange(M1, M2, T1));
    expect(plan.kind === 'change' && plan.close.map((row) => [row.meter, row.usagePoint])).toEqual([[M1, A], [M2, B]]);
  });

  it('changes nothing when repeated', () => {
    expect(planExchange([closed(M1, A, T0, T1), open(M2, A, T1)], exchange(M1, M2, T1))).toEqual({ kind: 'unchanged' });
  });

  it('refuses an old meter that does not serve the point, and a meter replacing itself', () => {
    expect(planExchange([open(M1, B, T0)], exchange(M1, M2, T1))).toMatchObject({ kind: 'refused', reason: 'meter-not-assigned', field: 'oldMeter' });
    expect(planExchange([closed(M1, A, T0, T1)], exchange(M1, M2, T2))).toMatchObject({ kind: 'refused', reason: 'meter-not-assigned' });
    expect(planExchange([open(M1, A, T0)], exchange(M1, M1, T1))).toMatchObject({ kind: 'refused', reason: 'invalid-exchange', field: 'newMeter' });
  });

  it('refuses a new meter whose later history the exchange would overlap', () => {
    expect(planExchange([open(M1, A, T0), open(M2, B, T2)], exchange(M1, M2, T1))).toMatchObject({ kind: 'refused', reason: 'assignment-conflict', field: 'exchangedAt' });
  });
});
