import type { z } from 'zod';
import type { Access } from './access';
import { appAccess, appChannels, type AppOutputs } from './app';
import { archiveAccess, archiveChannels, type ArchiveOutputs } from './archive';
import { auditAccess, auditChannels, type AuditOutputs } from './audit';
import { borrowersAccess, borrowersChannels, type BorrowersOutputs } from './borrowers';
import { collectionsAccess, collectionsChannels, type CollectionsOutputs } from './collections';
import { loanChangesAccess, loanChangesChannels, type LoanChangesOutputs } from './loanChanges';
import { drawdownsAccess, drawdownsChannels, type DrawdownsOutputs } from './drawdowns';
import { demoAccess, demoChannels, type DemoOutputs } from './demo';
import { draftsAccess, draftsChannels, type DraftsOutputs } from './drafts';
import { documentsAccess, documentsChannels, type DocumentsOutputs } from './documents';
import { factoringAccess, factoringChannels, type FactoringOutputs } from './factoring';
import { inspectionsAccess, inspectionsChannels, type InspectionsOutputs } from './inspections';
import { reportsAccess, reportsChannels, type ReportsOutputs } from './reports';
import { importsAccess, importsChannels, type ImportsOutputs } from './imports';
import { loansAccess, loansChannels, type LoansOutputs } from './loans';
import { portfolioReportsAccess, portfolioReportsChannels, type PortfolioReportsOutputs } from './portfolioReports';
import { repaymentsAccess, repaymentsChannels, type RepaymentsOutputs } from './repayments';
import { sessionAccess, sessionChannels, type SessionOutputs } from './session';
import { settingsAccess, settingsChannels, type SettingsOutputs } from './settings';
import { usersAccess, usersChannels, type UsersOutputs } from './users';
import { keysAccess, keysChannels, type KeysOutputs } from './keys';
import { warningsAccess, warningsChannels, type WarningsOutputs } from './warnings';
import { worklogAccess, worklogChannels, type WorklogOutputs } from './worklog';
import { todayAccess, todayChannels, type TodayOutputs } from './today';
import { backupsAccess, backupsChannels, type BackupsOutputs } from './backups';
import { shellAccess, shellChannels, type ShellOutputs } from './shell';
import { managementReportsAccess, managementReportsChannels, type ManagementReportsOutputs } from './managementReports';
import { legalAccess, legalChannels, type LegalOutputs } from './legal';

/** Every IPC channel: `feature.verb` → zod schema of its one object argument. */
export const contract = {
  ...appChannels,
  ...sessionChannels,
  ...usersChannels,
  ...keysChannels,
  ...settingsChannels,
  ...auditChannels,
  ...borrowersChannels,
  ...loansChannels,
  ...repaymentsChannels,
  ...importsChannels,
  ...factoringChannels,
  ...demoChannels,
  ...inspectionsChannels,
  ...reportsChannels,
  ...archiveChannels,
  ...documentsChannels,
  ...collectionsChannels,
  ...loanChangesChannels,
  ...drawdownsChannels,
  ...warningsChannels,
  ...worklogChannels,
  ...todayChannels,
  ...portfolioReportsChannels,
  ...shellChannels,
  ...backupsChannels,
  ...managementReportsChannels,
  ...legalChannels,
  ...draftsChannels,
};

export type Channel = keyof typeof contract;
export type Outputs = AppOutputs &
  SessionOutputs &
  UsersOutputs &
  KeysOutputs &
  SettingsOutputs &
  AuditOutputs &
  BorrowersOutputs &
  LoansOutputs &
  RepaymentsOutputs &
  ImportsOutputs &
  FactoringOutputs &
  DemoOutputs &
  InspectionsOutputs &
  ReportsOutputs &
  ArchiveOutputs &
  DocumentsOutputs &
  CollectionsOutputs &
  LoanChangesOutputs &
  DrawdownsOutputs &
  WarningsOutputs &
  WorklogOutputs &
  TodayOutputs &
  PortfolioReportsOutputs &
  ShellOutputs &
  BackupsOutputs &
  ManagementReportsOutputs &
  LegalOutputs &
  DraftsOutputs;
export type Input<C extends Channel> = z.input<(typeof contract)[C]>;
export type Output<C extends Channel> = Outputs[C];

/**
 * Every channel's declaration (who may call it, whether it writes, what an officer is limited to), kept beside
 * its schema in the feature's file. The type fails to check if a channel has none; main's dispatcher enforces it.
 */
export const access: { readonly [C in Channel]: Access } = {
  ...appAccess,
  ...sessionAccess,
  ...usersAccess,
  ...keysAccess,
  ...settingsAccess,
  ...auditAccess,
  ...borrowersAccess,
  ...loansAccess,
  ...repaymentsAccess,
  ...importsAccess,
  ...factoringAccess,
  ...demoAccess,
  ...inspectionsAccess,
  ...reportsAccess,
  ...archiveAccess,
  ...documentsAccess,
  ...collectionsAccess,
  ...loanChangesAccess,
  ...drawdownsAccess,
  ...warningsAccess,
  ...worklogAccess,
  ...todayAccess,
  ...portfolioReportsAccess,
  ...shellAccess,
  ...backupsAccess,
  ...managementReportsAccess,
  ...legalAccess,
  ...draftsAccess,
};

/** Channels callable without a logged-in, unlocked session: those declared public. */
export const PUBLIC_CHANNELS: ReadonlySet<Channel> = new Set((Object.keys(access) as Channel[]).filter((c) => access[c].who === 'public'));
