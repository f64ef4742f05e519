/**
 * The canonical model of Busbar: zod schemas and types for the IEC 61968-9 / CIM subset the hub
 * speaks (customers, accounts, premises, usage points, meters, interval blocks, register reads,
 * device events, connect/disconnect, outages, service orders, payments, bills, network assets),
 * the ReadingType, quality and event codes, units, money and time, and the catalog of events
 * that travel on the bus in CloudEvents 1.0 envelopes. It imports nothing else of ours.
 */
export * from './errors.js';
export * from './envelope.js';
export * from './decimal.js';
export * from './time.js';
export * from './money.js';
export * from './units.js';
export * from './reading-type.js';
export * from './quality.js';
export * from './end-device-event-type.js';
export * from './model/identity.js';
export * from './model/customer.js';
export * from './model/service-location.js';
export * from './model/usage-point.js';
export * from './model/meter.js';
export * from './model/interval-block.js';
export * from './model/register-read.js';
export * from './model/end-device-event.js';
export * from './model/connect-disconnect.js';
export * from './model/outage.js';
export * from './model/meter-reading-request.js';
export * from './model/meter-lifecycle.js';
export * from './model/service-order.js';
export * from './model/payment.js';
export * from './model/bill.js';
export * from './model/billing-determinants.js';
export * from './model/vee-exception.js';
export * from './model/quarantine.js';
export * from './model/network.js';
export * from './events/names.js';
export * from './events/catalog.js';
export * from './events/validate.js';
