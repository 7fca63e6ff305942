import type { Channel } from '../../shared/ipc/contract';
// The features' reactions to each other's events, subscribed before any call is handled.
import '../reactions';
import { appHandlers } from './app/handlers';
import { archiveHandlers } from './archive/handlers';
import { documentsHandlers } from './documents/handlers';
import { collectionsHandlers } from './collections/handlers';
import { loanChangesHandlers } from './loanChanges/handlers';
import { drawdownsHandlers } from './drawdowns/handlers';
import { auditHandlers } from './audit/handlers';
import { backupsHandlers } from './backups/handlers';
import { demoHandlers } from './demo/handlers';
import { draftsHandlers } from './drafts/handlers';
import { factoringHandlers } from './factoring/handlers';
import { inspectionsHandlers } from './inspections/handlers';
import { reportsHandlers } from './reports/handlers';
import { importsHandlers } from './imports/handlers';
import { borrowersHandlers } from './borrowers/handlers';
import { loansHandlers } from './loans/handlers';
import { portfolioReportsHandlers } from './portfolioReports/handlers';
import type { Guard, Handlers } from '../kernel/dispatch';
import { repaymentsHandlers } from './repayments/handlers';
import { sessionHandlers } from './session/handlers';
import { settingsHandlers } from './settings/handlers';
import { shellHandlers } from './shell/handlers';
import { usersHandlers } from './users/handlers';
import { keysHandlers } from './keys/handlers';
import { todayHandlers } from './today/handlers';
import { warningsHandlers } from './warnings/handlers';
import { worklogHandlers } from './worklog/handlers';
import { managementReportsHandlers } from './managementReports/handlers';
import { legalHandlers } from './legal/handlers';
import { restoreGuard } from './backups/guard';
import { rotationGuard } from './keys/guard';

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
  ...legalHandlers,
  ...draftsHandlers,
};

/** The features' vetoes, in the order the dispatcher asks them: a restore first, then a key rotation. */
export const guards: readonly Guard[] = [restoreGuard, rotationGuard];
