/** GIS re-homing of a usage point: how a new, replayed or back-dated link changes its history. */
import { describe, expect, it } from 'vitest';
import { type LinkPeriod, planLinkChange } from './transformer-links.js';

const T1 = '0190a0e1-0000-7000-8000-0000000007a1';
const T2 = '0190a0e1-0000-7000-8000-0000000007a2';
const T3 = '0190a0e1-0000-7000-8000-0000000007a3';
const JAN = '2024-01-01T00:00:00.000Z';
const MAR = '2024-03-01T00:00:00.000Z';
const JUN = '2024-06-01T00:00:00.000Z';
const SEP = '2024-09-01T00:00:00.000Z';

describe('planLinkChange', () => {
  it('a first link is created open', () => {
    expect(planLinkChange([], { transformer: T1, validFrom: JAN })).toEqual({ kind: 'created', link: { transformer: T1, validFrom: JAN } });
  });

  it('a new link closes the open one at its start', () => {
    const history: LinkPeriod[] = [{ transformer: T1, validFrom: JAN }];
    expect(planLinkChange(history, { transformer: T2, validFrom: JUN, phase: 'B' })).toEqual({
      kind: 'created',
      link: { transformer: T2, validFrom: JUN, phase: 'B' },
      closePrevious: { validFrom: JAN, validTo: JUN },
    });
  });

  it('the same link again changes nothing, even after a later link closed it', () => {
    const history: LinkPeriod[] = [{ transformer: T1, validFrom: JAN, validTo: JUN }, { transformer: T2, validFrom: JUN }];
    expect(planLinkChange(history, { transformer: T1, validFrom: '2024-01-01T00:00:00Z' })).toEqual({ kind: 'unchanged' });
    expect(planLinkChange(history, { transformer: T2, validFrom: JUN })).toEqual({ kind: 'unchanged' });
  });

  it('a link starting at the same instant with another transformer corrects it, keeping the end the next link sets', () => {
    const history: LinkPeriod[] = [{ transformer: T1, validFrom: JAN, validTo: JUN }, { transformer: T2, validFrom: JUN }];
    expect(planLinkChange(history, { transformer: T3, validFrom: JAN })).toEqual({ kind: 'updated', link: { transformer: T3, validFrom: JAN, validTo: JUN } });
  });

  it('a back-dated link ends where the next known link begins, and shortens the one before it', () => {
    const history: LinkPeriod[] = [{ transformer: T1, validFrom: JAN, validTo: JUN }, { transformer: T2, validFrom: JUN }];
    expect(planLinkChange(history, { transformer: T3, validFrom: MAR, validTo: SEP })).toEqual({
      kind: 'created',
      link: { transformer: T3, validFrom: MAR, validTo: JUN },
      closePrevious: { validFrom: JAN, validTo: MAR },
    });
  });

  it('a link after a closed one leaves the gap between them', () => {
    const history: LinkPeriod[] = [{ transformer: T1, validFrom: JAN, validTo: MAR }];
    expect(planLinkChange(history, { transformer: T2, validFrom: JUN })).toEqual({ kind: 'created', link: { transformer: T2, validFrom: JUN } });
  });
});
