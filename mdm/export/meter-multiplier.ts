/**
 * Pure: the multiplier between a meter's stored interval values and primary values (cim.md §10:
 * CT/PT ratios are MeterMultipliers, never the ReadingType's power of ten). `transformerRatio`
 * is CT × PT in one figure, so it is taken alone when present; otherwise `ctRatio` × `ptRatio`,
 * each 1 when absent. `kH`, `kR` and `kE` scale disc revolutions, dials and pulses, which stored
 * interval values in engineering units no longer are.
 */
import { applyMeterMultipliers, meterMultiplierOf, type MeterMultiplier } from '../../canonical/model/meter.js';

export function intervalMultiplierOf(multipliers: readonly MeterMultiplier[]): string {
  const combined = meterMultiplierOf(multipliers, 'transformerRatio') !== undefined;
  return applyMeterMultipliers('1', multipliers, combined ? ['transformerRatio'] : ['ctRatio', 'ptRatio']);
}
