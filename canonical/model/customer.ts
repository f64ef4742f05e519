/**
 * Customer and CustomerAccount (IEC 61968-8 customer support, cim.md §6). A customer is a person
 * or organisation receiving service; the account is the billing document that collects the
 * agreements. Personal contact data is deliberately absent: it stays in the CIS that owns it.
 */
import { z } from 'zod';
import { MoneySchema } from '../money.js';
import { identifiedObjectShape, ReferenceSchema } from './identity.js';

/** CIM CustomerKind. */
export const CUSTOMER_KINDS = [
  'residential',
  'residentialAndCommercial',
  'residentialAndStreetlight',
  'residentialStreetlightOthers',
  'residentialFarmService',
  'commercialIndustrial',
  'pumpingLoad',
  'windMachine',
  'energyServiceSupplier',
  'energyServiceScheduler',
  'internalUse',
  'other',
] as const;
export const CustomerKindSchema = z.enum(CUSTOMER_KINDS);

export const CustomerSchema = z.strictObject({
  ...identifiedObjectShape,
  kind: CustomerKindSchema,
  /** CIM Customer.specialNeed, e.g. life support: drives disconnect and outage priority. */
  specialNeed: z.string().min(1).optional(),
  vip: z.boolean().optional(),
  priority: z.number().int().optional(),
  /** BCP 47 language tag for bills and notices. */
  locale: z.string().min(2).optional(),
  status: z.enum(['active', 'inactive', 'pending', 'closed']).optional(),
  /** Public utility commission number. */
  pucNumber: z.string().min(1).optional(),
});
export type Customer = z.infer<typeof CustomerSchema>;

export const CustomerAccountSchema = z.strictObject({
  ...identifiedObjectShape,
  customer: ReferenceSchema,
  accountNumber: z.string().min(1).optional(),
  /** CIM CustomerAccount.billingCycle: the cycle code the CIS bills this account on. */
  billingCycle: z.string().min(1).optional(),
  budgetBill: z.string().min(1).optional(),
  lastBillAmount: MoneySchema.optional(),
  status: z.enum(['active', 'inactive', 'pending', 'closed']).optional(),
});
export type CustomerAccount = z.infer<typeof CustomerAccountSchema>;
