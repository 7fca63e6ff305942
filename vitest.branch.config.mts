import { defineConfig } from 'vitest/config';
import base, { OWN_MODULES, projectsFor } from './vitest.config.mts';

/*
 * The integration suite's second pass, on the other store: every test environment is a branch on a PostgreSQL
 * server that this pass starts (tests/support/branchGlobal.ts). The files are those that test the services
 * through `setUp` and the channels; what only one store has (a data folder, its keyring file, its backups and key
 * rotation, the move onto the server) and the branch server's own files are tested in the first pass.
 */
/** The services' files: each sets its store up through `setUp` and reaches it through the services and channels. */
const BOTH_STORES = [
  'access-matrix', 'archive', 'archiveExport', 'archiveHostile', 'archiveImport', 'auditFilters', 'borrowerPinyin', 'demoPortfolio',
  'collectionQueue', 'drafts', 'drawdowns', 'factoring', 'factoringBackOffice', 'imports', 'inspectionRules',
  'inspections', 'ipc-validation', 'legal', 'listExports', 'listFilters', 'loanChanges', 'managementReports',
  'notices', 'permissions', 'portfolio', 'portfolioReports', 'prepayment', 'readsNeverWrite', 'relatedParties',
  'reports', 'scoping', 'servicing', 'settingsRules', 'today', 'todayMore', 'uploadsAndDecisions', 'warnings',
  'worklog', 'worklogSearch',
].map((name) => `tests/integration/${name}.test.ts`);

const FILES = process.env.LK_BRANCH_FILES ? process.env.LK_BRANCH_FILES.split(',') : BOTH_STORES;

export default defineConfig({
  test: {
    ...base.test,
    projects: projectsFor(FILES, FILES.filter((f) => OWN_MODULES.includes(f.replace(/^\.\//, '')))),
    globalSetup: ['tests/support/branchGlobal.ts'],
    env: { LK_TEST_STORE: 'branch' },
  },
});
