import type { Channel } from '../../shared/ipc/contract';
// The features' reactions to each other's events, subscribed before any call is handled.
import '../reactions';
import { appHandlers } from './app';
import { archiveHandlers, documentsHandlers } from './archive';
import { collectionsHandlers } from './collections';
import { loanChangesHandlers } from './loanChanges';
import { drawdownsHandlers } from './drawdowns';
import { auditHandlers } from './audit';
import { backupsHandlers } from './backups';
import { demoHandlers } from './demo';
import { draftsHandlers } from './drafts';
import { factoringHandlers } from './factoring';
import { inspectionsHandlers, reportsHandlers } from './inspections';
import { importsHandlers } from './imports';
import { borrowersHandlers, loansHandlers } from './portfolio';
import { portfolioReportsHandlers } from './portfolioReports';
import type { Handlers } from './register';
import { repaymentsHandlers } from './repayments';
import { sessionHandlers } from './session';
import { settingsHandlers } from './settings';
import { shellHandlers } from './shell';
import { usersHandlers } from './users';
import { keysHandlers } from './keys';
import { todayHandlers, warningsHandlers, worklogHandlers } from './warnings';
import { managementReportsHandlers } from '../features/managementReports/handlers';
import { legalHandlers } from '../features/legal/handlers';

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
