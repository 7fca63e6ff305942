import { z } from 'zod';
import { UPLOAD_MB_MAX, empty, msg, optionalText, text } from './fields';
import { reads, writes, type AccessOf } from './access';
import { LARGE_BALANCE_BASES, PRE_MATURITY_SCOPES, type InspectionRules } from '../domain/inspectionPlan';

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
  /** 展期: the application must be filed at least this many days before maturity. */
  extensionLeadDays: number;
  /** Printed notices whose receipt is not back after this many days go on the chase list. */
  receiptChaseDays: number;
  /** 还款提示: proposed this many days before an instalment falls due. */
  reminderLeadDays: number;
  /** …and this many days before a bullet (or interest-only) loan's maturity. */
  maturityReminderLeadDays: number;
  /** An overdue notice or demand letter is proposed again for the same loan after this many days. */
  overdueNoticeRepeatDays: number;
  /** A closed loan's file is kept this many years after payoff before it may be listed for destruction. */
  retentionYears: number;
  /** A report's debt ratio above this per cent raises 资产负债率过高; up this many points since the last, 大幅上升. */
  debtRatioLimitPercent: number;
  debtRatioJumpPoints: number;
  /** Work-log entries a borrower needs each month, by customer tier. */
  worklogMinGood: number;
  worklogMinNormal: number;
  worklogMinRisk: number;
  /** A loan may be transferred to legal once it is more than this many days past due. */
  legalMinDpd: number;
}

/** Allowed ranges of the integer settings, shared by the form and main's validation. */
export const SETTING_RANGES = {
  idleMinutes: [1, 240],
  ltvLimitPercent: [1, 100],
  attachmentMaxMb: [1, UPLOAD_MB_MAX],
  extensionLeadDays: [1, 180],
  receiptChaseDays: [1, 180],
  reminderLeadDays: [1, 30],
  maturityReminderLeadDays: [1, 90],
  overdueNoticeRepeatDays: [7, 90],
  retentionYears: [10, 100],
  debtRatioLimitPercent: [1, 100],
  debtRatioJumpPoints: [1, 100],
  worklogMinGood: [0, 31],
  worklogMinNormal: [0, 31],
  worklogMinRisk: [0, 31],
  legalMinDpd: [1, 720],
} as const;
export type IntegerSetting = keyof typeof SETTING_RANGES;

/** Allowed ranges of the inspection rules (days, months, working days; the threshold in fen). */
export const INSPECTION_RULE_RANGES = {
  firstWithinDays: [1, 90],
  routineMonths: [1, 12],
  largeBalanceFen: [0, 100_000_000_000],
  preMaturityDays: [1, 180],
  specialWithinWorkingDays: [1, 30],
  firstReportDueWorkingDays: [1, 30],
  specialReportDueWorkingDays: [1, 30],
  reportDueWorkingDays: [1, 30],
  reviewDueWorkingDays: [1, 30],
} as const;

const ruleInt = (k: keyof typeof INSPECTION_RULE_RANGES) => z.number().int().min(INSPECTION_RULE_RANGES[k][0]).max(INSPECTION_RULE_RANGES[k][1]);

export const inspectionRulesSchema = z
  .object({
    firstWithinDays: ruleInt('firstWithinDays'),
    routineMonths: z
      .object({ best: ruleInt('routineMonths'), normal: ruleInt('routineMonths'), higherRisk: ruleInt('routineMonths') })
      .strict()
      // Higher risk, more often: the intervals may not grow with the risk.
      .refine((m) => m.best >= m.normal && m.normal >= m.higherRisk, msg('validation.routineMonthsOrder')),
    largeBalanceFen: ruleInt('largeBalanceFen'),
    largeBalanceBasis: z.enum(LARGE_BALANCE_BASES),
    preMaturityDays: ruleInt('preMaturityDays'),
    preMaturityScope: z.enum(PRE_MATURITY_SCOPES),
    specialWithinWorkingDays: ruleInt('specialWithinWorkingDays'),
    firstReportDueWorkingDays: ruleInt('firstReportDueWorkingDays'),
    specialReportDueWorkingDays: ruleInt('specialReportDueWorkingDays'),
    reportDueWorkingDays: ruleInt('reportDueWorkingDays'),
    reviewDueWorkingDays: ruleInt('reviewDueWorkingDays'),
  })
  .strict() satisfies z.ZodType<InspectionRules>;

const int = (k: IntegerSetting) => z.number().int().min(SETTING_RANGES[k][0]).max(SETTING_RANGES[k][1]);

export const settingsChannels = {
  'settings.get': empty,
  /** The limits a form needs to check input before sending it; open to any signed-in user. */
  'settings.limits': empty,
  'settings.update': z
    .object({
      institution: text(100),
      branch: optionalText(100),
      idleMinutes: int('idleMinutes'),
      ltvLimitPercent: int('ltvLimitPercent'),
      allocationOrder: z
        .array(z.enum(ALLOCATION_PARTS))
        .length(3)
        .refine((o) => new Set(o).size === 3, msg('validation.allocationOrder')),
      attachmentMaxMb: int('attachmentMaxMb'),
      extensionLeadDays: int('extensionLeadDays'),
      receiptChaseDays: int('receiptChaseDays'),
      reminderLeadDays: int('reminderLeadDays'),
      maturityReminderLeadDays: int('maturityReminderLeadDays'),
      overdueNoticeRepeatDays: int('overdueNoticeRepeatDays'),
      retentionYears: int('retentionYears'),
      debtRatioLimitPercent: int('debtRatioLimitPercent'),
      debtRatioJumpPoints: int('debtRatioJumpPoints'),
      worklogMinGood: int('worklogMinGood'),
      worklogMinNormal: int('worklogMinNormal'),
      worklogMinRisk: int('worklogMinRisk'),
      legalMinDpd: int('legalMinDpd'),
    })
    .strict(),
  'settings.inspectionRules': empty,
  'settings.updateInspectionRules': inspectionRulesSchema,
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const settingsAccess = {
  'settings.get': reads('settings.manage'),
  'settings.limits': reads('signed-in'),
  'settings.update': writes('settings.manage'),
  'settings.inspectionRules': reads('settings.manage'),
  'settings.updateInspectionRules': writes('settings.manage'),
} satisfies AccessOf<typeof settingsChannels>;

export interface SettingsOutputs {
  'settings.get': Settings;
  'settings.limits': { attachmentMaxMb: number; ltvLimitPercent: number; receiptChaseDays: number };
  'settings.update': Settings;
  'settings.inspectionRules': InspectionRules;
  'settings.updateInspectionRules': InspectionRules;
}
