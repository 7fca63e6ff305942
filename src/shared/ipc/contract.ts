import type { z } from 'zod';
import { appChannels, type AppOutputs } from './app';
import { archiveChannels, type ArchiveOutputs } from './archive';
import { auditChannels, type AuditOutputs } from './audit';
import { borrowersChannels, type BorrowersOutputs } from './borrowers';
import { collectionsChannels, type CollectionsOutputs } from './collections';
import { loanChangesChannels, type LoanChangesOutputs } from './loanChanges';
import { drawdownsChannels, type DrawdownsOutputs } from './drawdowns';
import { demoChannels, type DemoOutputs } from './demo';
import { documentsChannels, type DocumentsOutputs } from './documents';
import { factoringChannels, type FactoringOutputs } from './factoring';
import { inspectionsChannels, type InspectionsOutputs } from './inspections';
import { reportsChannels, type ReportsOutputs } from './reports';
import { importsChannels, type ImportsOutputs } from './imports';
import { loansChannels, type LoansOutputs } from './loans';
import { portfolioReportsChannels, type PortfolioReportsOutputs } from './portfolioReports';
import { repaymentsChannels, type RepaymentsOutputs } from './repayments';
import { sessionChannels, type SessionOutputs } from './session';
import { settingsChannels, type SettingsOutputs } from './settings';
import { usersChannels, type UsersOutputs } from './users';
import { warningsChannels, type WarningsOutputs } from './warnings';
import { worklogChannels, type WorklogOutputs } from './worklog';
import { todayChannels, type TodayOutputs } from './today';
import { shellChannels, type ShellOutputs } from './shell';
import { backupsChannels, type BackupsOutputs } from './backups';

/** Every IPC channel: `feature.verb` → zod schema of its one object argument. */
export const contract = {
  ...appChannels,
  ...sessionChannels,
  ...usersChannels,
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
};

export type Channel = keyof typeof contract;
export type Outputs = AppOutputs &
  SessionOutputs &
  UsersOutputs &
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
  BackupsOutputs;
export type Input<C extends Channel> = z.input<(typeof contract)[C]>;
export type Output<C extends Channel> = Outputs[C];

/** Channels callable without a logged-in, unlocked session. */
export const PUBLIC_CHANNELS: ReadonlySet<Channel> = new Set<Channel>([
  'app.info',
  'app.setLocale',
  'setup.defaults',
  'setup.create',
  'setup.recoveryKeyPdf',
  'setup.confirmRecoveryKey',
  'setup.useDataDir',
  'setup.forgetDataDir',
  'shell.pickFolder',
  // The signed-out restore (the store cannot be opened) picks its backup file; the dialog only returns a path.
  'shell.pickFile',
  'session.login',
  'session.logout',
  'session.unlock',
  'session.heartbeat',
  'session.recover',
  // A restore signs the user out when it replaces the store; its progress is read by job id (a random token).
  // Starting one checks the credentials itself: a signed-in administrator, or an administrator of the backup.
  'backups.restoreStart',
  'backups.restoreStatus',
]);
