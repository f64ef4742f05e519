/**
 * Pure: 3.0 `meter`, `serviceLocation`, `customer` and `meterExchange` as XML text (meter and
 * location notifications, Get…By… answers), children in WSDL sequence order.
 */
import { dateTimeText } from '../mapping-primitives.js';
import { element, leaf, list, renderFragment, type XmlNode } from './fragment.js';
import type { Customer, Meter, MeterExchange, ServiceLocation } from './records.js';
import { mspObjectAttributes, mspObjectChildren, type FragmentOptions } from './write-common.js';
import { meterReadNode } from './write-meter-read.js';

function render(node: XmlNode, options: FragmentOptions): string {
  return renderFragment({ ...node, namespace: options.namespace });
}

export function meterNode(meter: Meter, name = 'meter'): XmlNode {
  const { nameplate, utilityInfo } = meter;
  return element(name, mspObjectAttributes(meter), [
    ...mspObjectChildren(meter),
    leaf('deviceClass', meter.deviceClass),
    leaf('inServiceDate', dateTimeText(meter.inServiceDate)),
    leaf('outServiceDate', dateTimeText(meter.outServiceDate)),
    leaf('facilityID', meter.facilityID),
    leaf('meterNo', meter.meterNo),
    leaf('serialNumber', meter.serialNumber),
    leaf('meterType', meter.meterType),
    leaf('manufacturer', meter.manufacturer),
    list('sealNumberList', meter.sealNumbers.map((seal) => leaf('sealNumber', seal))),
    leaf('AMRType', meter.AMRType),
    leaf('AMRDeviceType', meter.AMRDeviceType),
    leaf('AMRVendor', meter.AMRVendor),
    nameplate === undefined
      ? undefined
      : element('nameplate', {}, [
          leaf('kh', nameplate.kh),
          leaf('kr', nameplate.kr),
          leaf('regRatio', nameplate.regRatio),
          leaf('dials', nameplate.dials),
          leaf('form', nameplate.form),
          leaf('multiplier', nameplate.multiplier),
          leaf('demandMult', nameplate.demandMult),
          leaf('transponderID', nameplate.transponderID),
        ]),
    utilityInfo === undefined
      ? undefined
      : element('utilityInfo', {}, [
          leaf('owner', utilityInfo.owner),
          leaf('district', utilityInfo.district),
          leaf('servLoc', utilityInfo.servLoc),
          leaf('accountNumber', utilityInfo.accountNumber),
          leaf('custID', utilityInfo.custID),
          leaf('substationCode', utilityInfo.substationCode),
          leaf('substationName', utilityInfo.substationName),
          leaf('feeder', utilityInfo.feeder),
          leaf('bus', utilityInfo.bus),
          leaf('phaseCd', utilityInfo.phaseCd),
          leaf('transformerBankID', utilityInfo.transformerBankID),
          leaf('meterBaseID', utilityInfo.meterBaseID),
        ]),
    leaf('meterConnectionStatus', meter.meterConnectionStatus),
    leaf('meterCommAddress', meter.meterCommAddress),
  ]);
}

export function writeMeter(meter: Meter, options: FragmentOptions = {}): string {
  return render(meterNode(meter, options.name), options);
}

export function serviceLocationNode(location: ServiceLocation, name = 'serviceLocation'): XmlNode {
  const { timezone, GPS: gps } = location;
  return element(name, mspObjectAttributes(location), [
    ...mspObjectChildren(location),
    leaf('gridLocation', location.gridLocation),
    leaf('facilityID', location.facilityID),
    leaf('phaseCode', location.phaseCode),
    leaf('custID', location.custID),
    leaf('accountNumber', location.accountNumber),
    leaf('facilityName', location.facilityName),
    leaf('siteID', location.siteID),
    leaf('servAddr1', location.servAddr1),
    leaf('servAddr2', location.servAddr2),
    leaf('servCity', location.servCity),
    leaf('servState', location.servState),
    leaf('servZip', location.servZip),
    leaf('servType', location.servType),
    leaf('revenueClass', location.revenueClass),
    leaf('servStatus', location.servStatus),
    leaf('billingCycle', location.billingCycle),
    leaf('route', location.route),
    leaf('specialNeeds', location.specialNeeds),
    leaf('connection', location.connection),
    leaf('isPrePay', location.isPrePay),
    list('phoneList', location.phones.map((phone) => element('phoneNumber', {}, [leaf('phone', phone)]))),
    timezone === undefined
      ? undefined
      : {
          name: 'timezone',
          attributes: { DSTEnabled: timezone.DSTEnabled?.toString(), UTCOffset: timezone.UTCOffset, name: timezone.name },
          text: timezone.text,
        },
    gps === undefined ? undefined : element('GPS', {}, [leaf('GPSValidity', gps.GPSValidity), leaf('latitude', gps.latitude), leaf('longitude', gps.longitude)]),
    leaf('description', location.description),
  ]);
}

export function writeServiceLocation(location: ServiceLocation, options: FragmentOptions = {}): string {
  return render(serviceLocationNode(location, options.name), options);
}

export function customerNode(customer: Customer, name = 'customer'): XmlNode {
  return element(name, mspObjectAttributes(customer), [
    ...mspObjectChildren(customer),
    leaf('lastName', customer.lastName),
    leaf('firstName', customer.firstName),
    leaf('mName', customer.mName),
    leaf('dBAName', customer.dBAName),
    leaf('homeAc', customer.homeAc),
    leaf('homePhone', customer.homePhone),
    leaf('dayAc', customer.dayAc),
    leaf('dayPhone', customer.dayPhone),
    leaf('billAddr1', customer.billAddr1),
    leaf('billAddr2', customer.billAddr2),
    leaf('billCity', customer.billCity),
    leaf('billState', customer.billState),
    leaf('billZip', customer.billZip),
  ]);
}

export function writeCustomer(customer: Customer, options: FragmentOptions = {}): string {
  return render(customerNode(customer, options.name), options);
}

export function meterExchangeNode(exchange: MeterExchange, name = 'meterExchange'): XmlNode {
  return element(name, mspObjectAttributes(exchange), [
    ...mspObjectChildren(exchange),
    exchange.serviceLocation === undefined ? undefined : serviceLocationNode(exchange.serviceLocation),
    exchange.outMeterRead === undefined ? undefined : meterReadNode(exchange.outMeterRead, 'outMeterRead'),
    exchange.inMeterRead === undefined ? undefined : meterReadNode(exchange.inMeterRead, 'inMeterRead'),
    exchange.lastRead === undefined ? undefined : meterReadNode(exchange.lastRead, 'lastRead'),
    leaf('lastReadDate', dateTimeText(exchange.lastReadDate)),
  ]);
}

export function writeMeterExchange(exchange: MeterExchange, options: FragmentOptions = {}): string {
  return render(meterExchangeNode(exchange, options.name), options);
}
