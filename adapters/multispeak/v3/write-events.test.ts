import { describe, expect, it } from 'vitest';
import { MULTISPEAK_30 } from '../xml/index.js';
import { writeOutageDetectionDevice } from './write-events.js';

describe('3.0 outageDetectionDevice', () => {
  it('writes the objectID attribute and the children in WSDL sequence order, leaving out what is unknown', () => {
    const xml = writeOutageDetectionDevice({ objectID: 'M&1', extensions: [], meterNo: 'M&1', outageDetectDeviceStatus: 'OutofService', outageDetectDeviceType: 'Meter', serialNumber: 'S1' }, { namespace: MULTISPEAK_30 });
    expect(xml).toBe(
      `<outageDetectionDevice xmlns="${MULTISPEAK_30}" objectID="M&amp;1"><serialNumber>S1</serialNumber><outageDetectDeviceType>Meter</outageDetectDeviceType>` +
        '<meterNo>M&amp;1</meterNo><outageDetectDeviceStatus>OutofService</outageDetectDeviceStatus></outageDetectionDevice>',
    );
  });
});
