import { z } from 'zod';
import { empty, msg, optionalText, text } from './fields';

export const ALLOCATION_PARTS = ['penalty', 'interest', 'principal'] as const;
export type AllocationPart = (typeof ALLOCATION_PARTS)[number];

export interface Settings {
  institution: string;
  branch: string;
  idleMinutes: number;
  /** Loan-to-value limit in per cent; collateral above it is flagged. */
  ltvLimitPercent: number;
  /** The order a repayment meets penalty, interest and principal. */
  allocationOrder: AllocationPart[];
  /** Largest attachment accepted, in MB. */
  attachmentMaxMb: number;
}

export const settingsChannels = {
  'settings.get': empty,
  /** The limits a form needs to check input before sending it; open to any signed-in user. */
  'settings.limits': empty,
  'settings.update': z
    .object({
      institution: text(100),
      branch: optionalText(100),
      idleMinutes: z.number().int().min(1).max(240),
      ltvLimitPercent: z.number().int().min(1).max(100),
      allocationOrder: z
        .array(z.enum(ALLOCATION_PARTS))
        .length(3)
        .refine((o) => new Set(o).size === 3, msg('validation.allocationOrder')),
      attachmentMaxMb: z.number().int().min(1).max(200),
    })
    .strict(),
};

export interface SettingsOutputs {
  'settings.get': Settings;
  'settings.limits': { attachmentMaxMb: number; ltvLimitPercent: number };
  'settings.update': Settings;
}
