/**
 * The 3.0 master-data notifications a CIS sends to the hub's MR_Server (multispeak.md §7, §8):
 * MeterAddNotification and MeterChangedNotification (`meter.changed`, and `meter.installed`
 * when the meter names its service location), MeterRemoveNotification (`meter.removed` from
 * that service location), MeterExchangeNotification (`meter.exchanged`),
 * ServiceLocationChangedNotification (`service_location.changed`, `usage_point.changed` and
 * `customer_account.changed`) and CustomerChangedNotification (`customer.changed`).
 *
 * Each object stands alone (§5): one that cannot be read or mapped becomes an errorObject with
 * its objectID and the reason, the others are published. An empty `<Op>Result` means every
 * object was taken. Objects are named by their MultiSpeak identifiers and get name-derived mRIDs
 * (`identity.ts`); the core applying the events resolves the names.
 */
import { EventType, newEvent, type CloudEvent, type EventTypeName } from '../../../canonical/index.js';
import { InputError } from '../../contract.js';
import type { EventData } from '../../../canonical/events/catalog.js';
import { mridOfName } from '../identity.js';
import { MultiSpeakNameType } from '../mapping-names.js';
import {
  canonicalCustomerOf,
  canonicalMeterOf,
  canonicalServiceLocationOf,
  meterExchangedOf,
  readCustomer,
  readMeter,
  readMeterExchange,
  readServiceLocation,
} from '../v3/index.js';
import { attribute, childNamed, childrenNamed, errorObjectsResultXml, type ErrorObjectV3, type XmlElement } from '../xml/index.js';
import type { OperationAnswer, OperationHandler, OperationRequest } from './types.js';

export interface NotificationOptions {
  /** Publishes the events of one notification; resolves once the bus accepted them durably. */
  readonly publish: (events: readonly CloudEvent[]) => Promise<void>;
  /** The CloudEvents source of a partner's events, e.g. `/adapters/multispeak/cis`. */
  readonly sourceOf: (partner: string) => string;
  readonly timeZoneOf?: (partner: string) => string | undefined;
}

interface Built {
  readonly events: CloudEvent[];
}

type ObjectMapper = (element: XmlElement, path: string, request: OperationRequest, event: EventMaker) => Built;

type EventMaker = <T extends EventTypeName>(type: T, data: EventData<T>, subject?: string) => CloudEvent;

function firstMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function notification(container: string, item: string, nounType: string, mapper: ObjectMapper, options: NotificationOptions): OperationHandler {
  return async (request): Promise<OperationAnswer> => {
    const source = options.sourceOf(request.partner.name);
    const event: EventMaker = (type, data, subject) => newEvent(type, data, { source, time: request.receivedAt, ...(subject === undefined ? {} : { subject }) });
    const events: CloudEvent[] = [];
    const errors: ErrorObjectV3[] = [];
    childrenNamed(childNamed(request.body, container), item).forEach((element, index) => {
      const path = `${request.operation}/${container}/${item}[${index + 1}]`;
      try {
        events.push(...mapper(element, path, request, event).events);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        errors.push({ objectID: attribute(element, 'objectID') ?? childNamed(element, 'meterNo')?.text, errorString: firstMessage(error), nounType, eventTime: request.receivedAt.toISOString() });
      }
    });
    await options.publish(events);
    return { content: errorObjectsResultXml(`${request.operation}Result`, errors) };
  };
}

function readOptions(request: OperationRequest, options: NotificationOptions): { timeZone?: string } {
  const timeZone = options.timeZoneOf?.(request.partner.name);
  return timeZone === undefined ? {} : { timeZone };
}

function meterMapper(options: NotificationOptions, install: boolean): ObjectMapper {
  return (element, path, request, event) => {
    const { record } = readMeter(element, path, readOptions(request, options));
    const mapping = canonicalMeterOf(record, path);
    const [name] = mapping.meter.names ?? [];
    if (name === undefined) throw new InputError(`${path}: the meter has no meterNo`);
    const meter = { ...mapping.meter, mRID: mridOfName(name) };
    const events = [event(EventType.MeterChanged, meter, name.name)];
    if (install && mapping.serviceLocation !== undefined) {
      const installedAt = mapping.inServiceAt ?? request.receivedAt.toISOString();
      events.push(event(EventType.MeterInstalled, { meter: name, usagePoint: mapping.serviceLocation, installedAt, initialReads: [] }, name.name));
    }
    return { events };
  };
}

function meterRemovedMapper(options: NotificationOptions): ObjectMapper {
  return (element, path, request, event) => {
    const { record } = readMeter(element, path, readOptions(request, options));
    const mapping = canonicalMeterOf(record, path);
    const [name] = mapping.meter.names ?? [];
    if (name === undefined) throw new InputError(`${path}: the meter has no meterNo`);
    if (mapping.serviceLocation === undefined) {
      throw new InputError(`${path}/utilityInfo/servLoc: absent; the hub cannot tell which usage point meter ${name.name} leaves`);
    }
    const removedAt = mapping.outServiceAt ?? request.receivedAt.toISOString();
    return { events: [event(EventType.MeterRemoved, { meter: name, usagePoint: mapping.serviceLocation, removedAt, finalReads: [] }, name.name)] };
  };
}

function exchangeMapper(options: NotificationOptions): ObjectMapper {
  return (element, path, request, event) => {
    const { record } = readMeterExchange(element, path, readOptions(request, options));
    const mapping = meterExchangedOf(record, { source: options.sourceOf(request.partner.name), path });
    const [issue] = mapping.issues;
    if (issue !== undefined) throw issue;
    return { events: [event(EventType.MeterExchanged, mapping.exchanged, mapping.exchanged.newMeter.name)] };
  };
}

function serviceLocationMapper(options: NotificationOptions): ObjectMapper {
  return (element, path, request, event) => {
    const { record } = readServiceLocation(element, path, readOptions(request, options));
    const mapping = canonicalServiceLocationOf(record, { ...readOptions(request, options), path });
    const [name] = mapping.serviceLocation.names ?? [];
    if (name === undefined) throw new InputError(`${path}: the service location has no objectID`);
    const usagePointName = { name: name.name, nameType: MultiSpeakNameType.ServiceLocation };
    const events = [
      event(EventType.ServiceLocationChanged, { ...mapping.serviceLocation, mRID: mridOfName(name) }, name.name),
      // The usage point is named like its premise; its own mRID space keeps the two apart.
      event(EventType.UsagePointChanged, { ...mapping.usagePoint, mRID: mridOfName({ ...usagePointName, nameType: `${usagePointName.nameType}#usagePoint` }) }, name.name),
    ];
    const account = mapping.account;
    const [accountName] = account?.names ?? [];
    if (account !== undefined && accountName !== undefined) events.push(event(EventType.CustomerAccountChanged, { ...account, mRID: mridOfName(accountName) }, accountName.name));
    return { events };
  };
}

function customerMapper(options: NotificationOptions): ObjectMapper {
  return (element, path, request, event) => {
    const { record } = readCustomer(element, path, readOptions(request, options));
    const customer = canonicalCustomerOf(record, { path });
    const [name] = customer.names ?? [];
    if (name === undefined) throw new InputError(`${path}: the customer has no objectID`);
    return { events: [event(EventType.CustomerChanged, { ...customer, mRID: mridOfName(name) }, name.name)] };
  };
}

export function notificationOperationsV3(options: NotificationOptions): Record<string, OperationHandler> {
  return {
    MeterAddNotification: notification('addedMeters', 'meter', 'meter', meterMapper(options, true), options),
    MeterChangedNotification: notification('changedMeters', 'meter', 'meter', meterMapper(options, true), options),
    MeterRemoveNotification: notification('removedMeters', 'meter', 'meter', meterRemovedMapper(options), options),
    MeterExchangeNotification: notification('meterChangeout', 'meterExchange', 'meterExchange', exchangeMapper(options), options),
    ServiceLocationChangedNotification: notification('changedServiceLocations', 'serviceLocation', 'serviceLocation', serviceLocationMapper(options), options),
    CustomerChangedNotification: notification('changedCustomers', 'customer', 'customer', customerMapper(options), options),
  };
}
