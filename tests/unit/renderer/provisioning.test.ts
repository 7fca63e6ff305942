import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { translate, type MessageKey } from '../../../src/shared/i18n';
import { contract } from '../../../src/shared/ipc/contract';
import { bpAsPercent, percentBpField } from '../../../src/renderer/features/managementReports/Provisioning';

const tf = ((key: string, params?: Record<string, string | number>) => translate('zh-CN', key as MessageKey, params)) as unknown as TFunction;

describe('provisioning rates as per cents', () => {
  const field = percentBpField(contract['managementReports.setProvisionRates'].shape.factoringReserveMinBp, tf);

  it('turns a typed per cent into basis points exactly, and shows basis points as an exact per cent', () => {
    expect(['1', '1.5', '25', '0.25 %', '100', '0.01', '12.30'].map((s) => field.parse(s))).toEqual([100, 150, 2500, 25, 10_000, 1, 1230]);
    expect([100, 150, 2500, 25, 10_000, 1, 1230, 0].map(bpAsPercent)).toEqual(['1%', '1.5%', '25%', '0.25%', '100%', '0.01%', '12.3%', '0%']);
  });

  it('refuses more than two decimals (never rounds) and more than 100 %, in the user language', () => {
    const r = field.safeParse('1.234');
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe(translate('zh-CN', 'managementReports.provisioning.percentInvalid'));
    expect(field.safeParse('abc').success).toBe(false);
    expect(field.safeParse('100.01').success).toBe(false);
  });
});
