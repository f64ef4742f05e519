/**
 * A valid payload for every event in the catalog, for tests here and elsewhere (bus contract
 * suites, conformance). Typed by the catalog, so a schema change that breaks a sample fails to
 * compile before it fails a test.
 */
import type { EventData } from '../events/catalog.js';
import { EventType, type EventTypeName } from '../events/names.js';
import { QualityCodes } from '../quality.js';
import { ReadingTypeCodes } from '../reading-type.js';

const usagePoint = { mRID: '0190a0e1-0000-7000-8000-000000000001' };
const meter = { name: 'MTR001', nameType: 'cmep:feedA/meterId' };
const newMeter = { name: 'MTR002', nameType: 'cmep:feedA/meterId' };
const account = { mRID: '0190a0e1-0000-7000-8000-000000000002' };
const usd = (amount: string) => ({ amount, currency: 'USD' });

const finalRead = {
  meter,
  usagePoint,
  readingType: ReadingTypeCodes.RegisterKwhForward,
  timeStamp: '2024-05-01T14:00:00Z',
  value: '10432.7',
  qualities: [],
  reason: 'removal' as const,
};

export const sampleEventData: { readonly [K in EventTypeName]: EventData<K> } = {
  [EventType.IntervalBlockReceived]: {
    usagePoint,
    meter,
    readingType: ReadingTypeCodes.IntervalKwhForward15Min,
    start: '2024-01-01T00:00:00Z',
    intervalSeconds: 900,
    values: ['1.25', '1.10', null, '0.95'],
    qualities: [[], [QualityCodes.ESTIMATED], [QualityCodes.MISSING], []],
    sourceStatuses: [null, 'E', 'N32', 'R0'],
    source: 'cmep:feedA',
  },
  [EventType.RegisterReadReceived]: { ...finalRead, reason: 'billing' },
  [EventType.MeterReadingRequested]: {
    meters: [meter],
    readingTypes: [ReadingTypeCodes.RegisterKwhForward],
    expiresAt: '2024-05-01T15:00:00Z',
  },
  [EventType.ConnectDisconnectRequested]: { action: 'disconnect', meter, usagePoint, account, reason: 'nonPayment' },
  [EventType.ConnectDisconnectCompleted]: {
    requestId: '0190a0e1-0000-7000-8000-0000000000aa',
    action: 'disconnect',
    meter,
    outcome: 'succeeded',
    state: 'disconnected',
    completedAt: '2024-05-01T14:05:00Z',
  },
  [EventType.SwitchStateReported]: { meter, state: 'disconnected', reportedAt: '2024-05-01T14:05:00Z' },
  [EventType.OutageDetected]: {
    meters: [meter],
    usagePoints: [],
    detectedBy: 'meter',
    endDeviceEventType: '3.26.0.47',
    startedAt: '2024-05-01T03:12:00Z',
  },
  [EventType.OutageRestored]: {
    meters: [meter],
    usagePoints: [],
    detectedBy: 'meter',
    endDeviceEventType: '3.26.0.216',
    restoredAt: '2024-05-01T04:40:00Z',
  },
  [EventType.OutageDetectionRequested]: { meters: [meter, newMeter] },
  [EventType.EndDeviceEventRaised]: {
    mRID: '0190a0e1-0000-7000-8000-000000000003',
    eventType: '3.0.0.0',
    createdDateTime: '2024-05-01T03:12:00Z',
    meter,
    details: [{ name: 'vendorText', value: 'Magnetic tamper alarm' }],
  },
  [EventType.CustomerChanged]: {
    mRID: '0190a0e1-0000-7000-8000-000000000004',
    names: [{ name: 'C-1001', nameType: 'cis:customerNumber' }],
    kind: 'residential',
    specialNeed: 'lifeSupport',
  },
  [EventType.CustomerAccountChanged]: {
    ...account,
    customer: { mRID: '0190a0e1-0000-7000-8000-000000000004' },
    accountNumber: 'A-2002',
    billingCycle: '07',
    lastBillAmount: usd('84.12'),
  },
  [EventType.ServiceLocationChanged]: {
    mRID: '0190a0e1-0000-7000-8000-000000000005',
    mainAddress: { line1: '12 Main St', city: 'Springfield', postalCode: '97477', country: 'US' },
    position: { type: 'Point', coordinates: [-123.0, 44.05] },
    timeZone: 'America/Los_Angeles',
  },
  [EventType.UsagePointChanged]: {
    ...usagePoint,
    commodity: 'electric',
    rateClass: 'RES-1',
    billingCycle: '07',
    timeZone: 'America/New_York',
    connectionState: 'connected',
  },
  [EventType.MeterInstalled]: { meter: newMeter, usagePoint, installedAt: '2024-05-01T14:10:00Z', initialReads: [] },
  [EventType.MeterRemoved]: { meter, usagePoint, removedAt: '2024-05-01T14:00:00Z', finalReads: [finalRead] },
  [EventType.MeterExchanged]: {
    usagePoint,
    oldMeter: meter,
    newMeter,
    exchangedAt: '2024-05-01T14:10:00Z',
    finalReads: [finalRead],
    initialReads: [{ ...finalRead, meter: newMeter, value: '0', reason: 'installation', timeStamp: '2024-05-01T14:10:00Z' }],
  },
  [EventType.MeterChanged]: {
    mRID: '0190a0e1-0000-7000-8000-000000000006',
    names: [meter],
    serialNumber: '81234567',
    manufacturer: 'Itron',
    model: 'CENTRON',
    formNumber: '2S',
    commodity: 'electric',
    multipliers: [{ kind: 'ctRatio', value: '40' }],
    registers: [{ readingType: ReadingTypeCodes.RegisterKwhForward, leftDigitCount: 5, rightDigitCount: 1 }],
  },
  [EventType.ServiceOrderRequested]: {
    mRID: '0190a0e1-0000-7000-8000-000000000007',
    workOrderNumber: 'WO-1',
    kind: 'service',
    statusKind: 'scheduled',
    requestDateTime: '2024-04-30T09:00:00Z',
    usagePoint,
    tasks: [{ mRID: '0190a0e1-0000-7000-8000-000000000008', taskKind: 'exchange', statusKind: 'scheduled', meter: newMeter, oldMeter: meter }],
  },
  [EventType.ServiceOrderCompleted]: {
    mRID: '0190a0e1-0000-7000-8000-000000000007',
    kind: 'service',
    statusKind: 'completed',
    requestDateTime: '2024-04-30T09:00:00Z',
    completedDateTime: '2024-05-01T14:10:00Z',
    tasks: [],
  },
  [EventType.PaymentReceived]: {
    mRID: '0190a0e1-0000-7000-8000-000000000009',
    account,
    amount: usd('84.12'),
    receivedAt: '2024-05-02T10:00:00Z',
    method: 'lockbox',
    externalReference: 'LBX-20240502-0042',
  },
  [EventType.BillIssued]: {
    mRID: '0190a0e1-0000-7000-8000-00000000000a',
    account,
    issuedAt: '2024-05-03T06:00:00Z',
    periodStart: '2024-04-01',
    periodEnd: '2024-04-30',
    dueDate: '2024-05-24',
    currentCharges: usd('84.12'),
    amountDue: usd('84.12'),
    lines: [{ description: 'Energy', amount: usd('76.62'), quantity: { value: '612', unit: 'kWh' } }, { description: 'Customer charge', amount: usd('7.50') }],
  },
  [EventType.BillingDeterminantsRequested]: {
    usagePoint,
    account,
    periodStart: '2024-04-01T04:00:00Z',
    periodEnd: '2024-05-01T04:00:00Z',
    readingTypes: [],
  },
  [EventType.BillingDeterminantsComputed]: {
    usagePoint,
    periodStart: '2024-04-01T04:00:00Z',
    periodEnd: '2024-05-01T04:00:00Z',
    determinants: [{ name: 'kwh-total', quantity: { value: '612', unit: 'kWh' }, estimatedIntervals: 3, missingIntervals: 0 }],
    complete: true,
  },
  [EventType.VeeExceptionRaised]: {
    usagePoint,
    readingType: ReadingTypeCodes.IntervalKwhForward15Min,
    rule: 'spike',
    severity: 'warning',
    periodStart: '2024-04-03T10:00:00Z',
    periodEnd: '2024-04-03T10:15:00Z',
    message: '48.2 kWh is 31 times the like-day average',
  },
  [EventType.ReadingQuarantined]: {
    source: '/adapters/cmep/feedA',
    location: { file: 'feedA-20240502.csv', line: 17 },
    reason: 'field count 25 does not match 14 + 3·4',
    raw: 'MEPMD01,19970819,SENDER1,ACCT42,RECV1,,202401020815,MTR001,OK,E,KWH,1.0,00000015,4',
    quarantinedAt: '2024-05-02T08:15:03Z',
  },
  [EventType.FeederChanged]: { mRID: '0190a0e1-0000-7000-8000-00000000000b', name: 'FDR-12', substation: 'North', nominalVoltageKv: '12.47' },
  [EventType.TransformerChanged]: {
    mRID: '0190a0e1-0000-7000-8000-00000000000c',
    feeder: { mRID: '0190a0e1-0000-7000-8000-00000000000b' },
    ratedKva: '25',
    position: { type: 'Point', coordinates: [1912345.5, 712345.25], crs: 'EPSG:2913' },
  },
  [EventType.TransformerLinkChanged]: {
    usagePoint,
    transformer: { mRID: '0190a0e1-0000-7000-8000-00000000000c' },
    validFrom: '2024-01-01T00:00:00Z',
  },
};
