import type { Channel } from '../../shared/ipc/contract';
// The features' reactions to each other's events, subscribed before any call is handled.
import '../reactions';
import { appHandlers } from '../features/app/handlers';
import { archiveHandlers } from '../features/archive/handlers';
import { documentsHandlers } from '../features/documents/handlers';
import { collectionsHandlers } from './collections';
import { loanChangesHandlers } from './loanChanges';
import { drawdownsHandlers } from '../features/drawdowns/handlers';
import { auditHandlers } from '../features/audit/handlers';
import { backupsHandlers } from '../features/backups/handlers';
import { demoHandlers } from '../features/demo/handlers';
import { draftsHandlers } from '../features/drafts/handlers';
import { factoringHandlers } from '../features/factoring/handlers';
import { inspectionsHandlers, reportsHandlers } from './inspections';
import { importsHandlers } from '../features/imports/handlers';
import { borrowersHandlers, loansHandlers } from './portfolio';
import { portfolioReportsHandlers } from '../features/portfolioReports/handlers';
import type { Guard, Handlers } from '../kernel/dispatch';
import { repaymentsHandlers } from './repayments';
import { sessionHandlers } from '../features/session/handlers';
import { settingsHandlers } from '../features/settings/handlers';
import { shellHandlers } from '../features/shell/handlers';
import { usersHandlers } from '../features/users/handlers';
import { keysHandlers } from '../features/keys/handlers';
import { todayHandlers, warningsHandlers, worklogHandlers } from './warnings';
import { managementReportsHandlers } from '../features/managementReports/handlers';
import { restoreGuard } from '../features/backups/guard';
import { rotationGuard } from '../features/keys/guard';

/** Every channel of the contract has exactly one handler; the type fails to check if one is missing. */
export const handlers: Handlers<Channel> = {
  ...appHandlers,
  ...sessionHandlers,
  ...usersHandlers,
  ...keysHandlers,
  ...settingsHandlers,
  ...auditHandlers,
  ...borrowersHandlers,
  ...loansHandlers,
  ...repaymentsHandlers,
  ...importsHandlers,
  ...factoringHandlers,
  ...demoHandlers,
  ...inspectionsHandlers,
  ...reportsHandlers,
  ...archiveHandlers,
  ...documentsHandlers,
  ...collectionsHandlers,
  ...loanChangesHandlers,
  ...drawdownsHandlers,
  ...warningsHandlers,
  ...worklogHandlers,
  ...todayHandlers,
  ...portfolioReportsHandlers,
  ...shellHandlers,
  ...backupsHandlers,
  ...managementReportsHandlers,
  ...draftsHandlers,
};

/** The features' vetoes, in the order the dispatcher asks them: a restore first, then a key rotation. */
export const guards: readonly Guard[] = [restoreGuard, rotationGuard];
