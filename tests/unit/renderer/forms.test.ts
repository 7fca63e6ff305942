import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { translate, type MessageKey } from '../../../src/shared/i18n';
import { date, fen, fenOrZero, text } from '../../../src/shared/ipc/fields';
import { zodResolver } from '../../../src/renderer/lib/forms/zodResolver';
import { yuanField } from '../../../src/renderer/lib/forms/yuanField';
import { featureOf, TOUCHES, touchedBy } from '../../../src/renderer/lib/data/invalidation';
import { withConfirm } from '../../../src/renderer/lib/forms/newPassword';
import { contract } from '../../../src/shared/ipc/contract';
import type { TFunction } from 'i18next';

const t = (key: MessageKey, params?: Record<string, string | number>) => translate('zh-CN', key, params);
const tf = ((key: string, params?: Record<string, string | number>) => translate('zh-CN', key as MessageKey, params)) as unknown as TFunction;

describe('zodResolver', () => {
  const schema = z.object({ content: text(10), entryDate: date, items: z.array(z.object({ name: text(5) })) });

  it('words each field as main would, by dot path, first issue only', () => {
    const errors = zodResolver(schema, t)({ content: '  ', entryDate: '2026-02-30', items: [{ name: 'abcdefg' }] });
    expect(errors).toEqual({
      content: translate('zh-CN', 'validation.required'),
      entryDate: translate('zh-CN', 'validation.date'),
      'items.0.name': translate('zh-CN', 'validation.tooLong', { max: 5 }),
    });
  });

  it('answers no errors for valid values, and maps paths', () => {
    expect(zodResolver(schema, t)({ content: 'x', entryDate: '2026-02-28', items: [] })).toEqual({});
    const wrapped = z.object({ data: z.object({ x: text(3) }) });
    expect(zodResolver(wrapped, t, (p) => p.replace(/^data\./, ''))({ data: { x: '' } })).toEqual({ x: translate('zh-CN', 'validation.required') });
  });
});

describe('yuanField', () => {
  const opts = { t: tf, locale: 'zh-CN' as const };

  it('turns yuan text into fen exactly, with thousands separators', () => {
    expect(yuanField(fen, opts).parse('1,234.56')).toBe(123456);
    expect(yuanField(fen, opts).parse(' 85000.5 ')).toBe(8500050);
    expect(yuanField(fenOrZero, { ...opts, allowZero: true }).parse('0')).toBe(0);
  });

  it('refuses rather than rounds, in words the user reads', () => {
    const r = yuanField(fen, opts).safeParse('12.345');
    expect(r.success).toBe(false);
    const errors = zodResolver(z.object({ a: yuanField(fen, opts) }), t)({ a: '12.345' });
    expect(errors.a).toMatch(/分|小数/);
    expect(zodResolver(z.object({ a: yuanField(fen, opts) }), t)({ a: '-5' }).a).toBeTruthy();
    expect(zodResolver(z.object({ a: yuanField(fen, opts) }), t)({ a: '0' }).a).toBe(tf('portfolio.amount.positive'));
  });

  it('leaves an empty field to the contract: null where it allows null, required where it does not', () => {
    expect(yuanField(fen.nullable(), { ...opts, emptyAs: null }).parse('')).toBeNull();
    expect(zodResolver(z.object({ a: yuanField(fen, opts) }), t)({ a: '' }).a).toBe(translate('zh-CN', 'validation.required'));
  });
});

describe('invalidation', () => {
  it('an import (channels import.*) refetches the lists it fills', () => {
    expect(touchedBy('import.commit')).toEqual(expect.arrayContaining(['import', 'loans', 'borrowers', 'today']));
  });

  it('a write refetches its own feature and those it touches', () => {
    expect(touchedBy('repayments.create')).toEqual(expect.arrayContaining(['repayments', 'loans', 'today']));
    expect(touchedBy('reports.submit')).toEqual(expect.arrayContaining(['reports', 'inspections', 'today']));
    expect(touchedBy('drafts.save')).toEqual(['drafts']);
    expect(touchedBy('changes.decide')).toEqual(expect.arrayContaining(['changes', 'loans', 'ledger', 'writeoffs']));
    expect(touchedBy('limitation.addEvent')).toEqual(expect.arrayContaining(['limitation', 'collections']));
  });
  it('names only features that have channels, so no line is silently dead', () => {
    const features = new Set(Object.keys(contract).map(featureOf));
    const named = Object.entries(TOUCHES).flatMap(([k, v]) => [k, ...v]);
    expect(named.filter((f) => !features.has(f))).toEqual([]);
  });
});

describe('withConfirm', () => {
  const schema = withConfirm(contract['session.changePassword'], 'newPassword', tf);

  it('holds the new password to the contract, the second entry to the first, and sends neither confirm nor more', () => {
    expect(zodResolver(schema, t)({ oldPassword: 'old', newPassword: 'short', confirm: 'short' })).toEqual({ newPassword: translate('zh-CN', 'validation.tooShort', { min: 12 }) });
    expect(zodResolver(schema, t)({ oldPassword: 'old', newPassword: 'Long-enough-2026', confirm: 'Long-enough-2025' })).toEqual({ confirm: translate('zh-CN', 'setup.passwordMismatch') });
    expect(schema.parse({ oldPassword: 'old', newPassword: 'Long-enough-2026', confirm: 'Long-enough-2026' })).toEqual({ oldPassword: 'old', newPassword: 'Long-enough-2026' });
  });
});

describe('business dates as typed', () => {
  it('accepts the usual ways of writing a day and gives YYYY-MM-DD', async () => {
    const { parseBusinessDate } = await import('../../../src/renderer/lib/dates');
    expect(parseBusinessDate('2026-12-05')).toBe('2026-12-05');
    expect(parseBusinessDate('2026/12/05')).toBe('2026-12-05');
    expect(parseBusinessDate(' 20261205 ')).toBe('2026-12-05');
    expect(parseBusinessDate('2026.12.5')).toBe('2026-12-05');
    expect(parseBusinessDate('2026年12月5日')).toBe('2026-12-05');
    expect(parseBusinessDate('２０２６／１２／０５')).toBe('2026-12-05');
    expect(parseBusinessDate('２０２６１２０５')).toBe('2026-12-05');
  });
  it('refuses a day that does not exist or is out of range', async () => {
    const { parseBusinessDate } = await import('../../../src/renderer/lib/dates');
    for (const s of ['2026-02-30', '20261305', '1899-12-31', '2026-1205', '12/05/2026', '']) expect(parseBusinessDate(s)).toBeNull();
  });
});
