import type { z } from 'zod';
import { creditCodeCheckChar } from '../../src/shared/domain/ids';

type AnySchema = z.ZodType & { def: { type: string } } & Record<string, any>;

/** Strings whose format the schema checks with a regex or refinement: a valid value by field name. */
const BY_NAME: Record<string, string> = {
  date: '2026-01-15',
  startDate: '2026-01-15',
  paidOn: '2026-01-15',
  valuedOn: '2026-01-15',
  periodEnd: '2027-01-15',
  asOf: '2026-01-15',
  annualRate: '12',
  penaltyUplift: '0.5',
  idNumber: '11010519491231002X',
  invoiceDate: '2026-01-10',
  dueDate: '2026-06-30',
  debtorCode: `91350100M00010000${creditCodeCheckChar('91350100M00010000')}`,
  financingRatio: '80',
  entryDate: '2026-01-15',
  month: '2026-06',
  dueBefore: '2026-06-30',
  visitDate: '2026-01-20',
  drawnOn: '2026-03-01',
  fromAsOf: '2025-12-31',
  from: '2026-01-01',
  to: '2026-06-30',
  accountNo: '4100021109024001234',
};

/** Valid values for fields whose format a schema may check; their wrong values are the generic ones. */
const SAMPLE_ONLY: Record<string, string> = {
  base64: 'UEsDBA==',
  token: '0123456789abcdef0123456789abcdef',
  // A branch server's address (nothing listens on port 9).
  url: 'postgresql://lk@127.0.0.1:9/nothing',
  // The branch's CA certificate: PEM text (the schema checks for the marker).
  ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  jobId: '0123456789abcdef',
  batchId: '0123456789abcdef',
  code: 'doc-type',
  password: 'Export-Pw-2026',
  month: '2026-06',
  signedOn: '2026-06-01',
  eventDate: '2026-06-01',
  promiseDate: '2026-06-20',
  madeOn: '2026-06-01',
  contactedOn: '2026-06-01',
  payBy: '2026-06-25',
  dueBack: '2026-07-01',
  newMaturity: '2027-06-30',
  toOfficer: 'officer1',
  newRate: '10',
  // A legal case's dates, in their order (filing ≤ hearing ≤ judgment ≤ performance; enforcement after).
  filedOn: '2026-06-01',
  hearingOn: '2026-06-10',
  outcomeOn: '2026-06-20',
  performanceDue: '2026-07-10',
  enforcementAppliedOn: '2026-07-20',
  fromDate: '2026-06-01',
  untilDate: '2026-12-01',
  releasedOn: '2026-06-15',
  receivedOn: '2026-06-15',
  closedOn: '2026-06-30',
  // An asset lead: found, then its status changed.
  foundOn: '2026-06-01',
  statusOn: '2026-06-10',
  // A phone number (borrowers.addContact's first kind is a phone; a related party's phone).
  phone: '13800000000',
  value: '13800000000',
  docType: 'contract',
  // Base64 of a PDF part (shell.printPdf/openPdf): "%PDF-1.4\n".
  parts: 'JVBERi0xLjQK',
};

/** A valid value for a schema, built from the schema itself. */
export function sample(schema: AnySchema, name = ''): unknown {
  const def = schema.def as any;
  if (def.type === 'string' && name in BY_NAME) return BY_NAME[name];
  if (def.type === 'string' && name in SAMPLE_ONLY) return SAMPLE_ONLY[name];
  if (name === 'allocationOrder') return ['penalty', 'interest', 'principal'];
  // PDF parts to print: base64 of a PDF header.
  if (name === 'parts') return ['JVBERi0xLjQK'];
  switch (def.type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(def.shape as Record<string, AnySchema>)
          .filter(([, s]) => s.def.type !== 'optional')
          .map(([k, s]) => [k, sample(s, k)]),
      );
    case 'nullable':
      return sample(def.innerType, name);
    case 'union':
      return sample(def.options[0], name);
    case 'string': {
      const min = schema.minLength ?? 0;
      return 'user_01abcd'.padEnd(Math.max(min, 8), 'x').slice(0, schema.maxLength ?? 100);
    }
    case 'number':
      return Math.min(Math.max(1, schema.minValue ?? 1), schema.maxValue ?? 1);
    case 'boolean':
      return true;
    case 'enum':
      return Object.values(def.entries)[0];
    case 'literal':
      return def.values[0];
    case 'array':
      // An array's elements are sampled under the array's name (e.g. `parts`).
      return [sample(def.element, name)];
    case 'optional':
      return sample(def.innerType, name);
    default:
      throw new Error(`no sample for ${def.type}`);
  }
}

function wrongType(schema: AnySchema, name = ''): unknown[] {
  if (name in BY_NAME) return ['2026-13-45', 'x', 12345, null, '１２'];
  switch ((schema.def as any).type) {
    case 'nullable':
      return wrongType((schema.def as any).innerType, name).filter((v) => v !== null);
    case 'union':
      return ['x', 5, null, []];
    case 'string':
      return [12345, null, {}, ['a']];
    case 'number':
      return ['1', null, 1.5, Number.NaN, Infinity];
    case 'boolean':
      return ['true', 1, null];
    case 'enum':
      return ['not-a-value', 0, null];
    case 'literal':
      return [false, 'yes', null];
    case 'array':
      return ['x', [null], {}, [{}]];
    default:
      return [null, 'x'];
  }
}

/** Bad payloads for an object schema: not objects, extra keys, each field missing, wrong, oversized. */
export function badPayloads(schema: AnySchema): Array<{ name: string; input: unknown }> {
  const out: Array<{ name: string; input: unknown }> = [];
  for (const v of [null, undefined, 42, 'text', [], true]) out.push({ name: `not an object: ${JSON.stringify(v)}`, input: v });
  const valid = sample(schema) as Record<string, unknown>;
  out.push({ name: 'extra field', input: { ...valid, injected: 1 } });
  out.push({ name: 'prototype key', input: JSON.parse(`{${Object.keys(valid).map((k) => `"${k}":${JSON.stringify(valid[k])},`).join('')}"__proto__":{"admin":true}}`) });
  out.push({ name: 'huge extra field', input: { ...valid, blob: 'x'.repeat(1_000_000) } });
  const shape = (schema.def as any).shape as Record<string, AnySchema>;
  for (const [key, field] of Object.entries(shape)) {
    const optional = field.def.type === 'optional';
    const wrapped = optional || field.def.type === 'nullable';
    const inner = wrapped ? ((field.def as any).innerType as AnySchema) : field;
    // Nullable, or optional and nullable (`.nullish()`, a filter that may be left out): null is accepted.
    const nullable = field.def.type === 'nullable' || inner.def.type === 'nullable';
    if (!optional) {
      const { [key]: _omit, ...rest } = valid;
      out.push({ name: `${key} missing`, input: rest });
    }
    for (const w of wrongType(inner, key).filter((v) => !(v === null && nullable))) out.push({ name: `${key} = ${String(w)}`, input: { ...valid, [key]: w } });
    if (inner.def.type === 'string') {
      out.push({ name: `${key} oversized`, input: { ...valid, [key]: '长'.repeat((inner.maxLength ?? 100_000) + 1) } });
      if ((inner.minLength ?? 0) > 0) out.push({ name: `${key} blank`, input: { ...valid, [key]: '   '.slice(0, Math.max(0, inner.minLength - 1)) } });
    }
  }
  return out;
}
