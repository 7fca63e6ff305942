import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * Files that replace a module with `vi.mock` need a module graph of their own: a module already loaded by an
 * earlier file in the same worker would be used as it is, and the mock would leak into later files.
 */
export const OWN_MODULES = [
  'tests/integration/access-matrix.test.ts', 'tests/integration/archiveHostile.test.ts', 'tests/integration/factoringBackOffice.test.ts',
  'tests/integration/keyringCrash.test.ts', 'tests/integration/listExports.test.ts', 'tests/integration/notices.test.ts',
  'tests/integration/readsNeverWrite.test.ts', 'tests/integration/restore.test.ts', 'tests/shell/dialogs.test.ts',
];

/**
 * The other files share one module graph per worker (`isolate: false`): loading the services, drivers and PDF
 * fonts again for every file was about a third of the suite's time. Every file still sets up its own stores in
 * its own folders, and what a file changes in the process (environment, spies) it puts back.
 */
export function projectsFor(include: string[], own: string[]): TestProjectInlineConfiguration[] {
  const shared: TestProjectInlineConfiguration = {
    extends: true,
    test: { name: 'shared modules', include, exclude: ['node_modules/**', 'out/**', ...OWN_MODULES], isolate: false },
  };
  if (own.length === 0) return [shared];
  return [{ extends: true, test: { name: 'own modules', include: own, isolate: true } }, shared];
}

export default defineConfig({
  test: {
    pool: 'forks',
    setupFiles: ['tests/helpers/fastKdf.ts'],
    maxWorkers: 2,
    // Generous: speed is measured in `npm run bench`, never by a test's time limit; these only catch a hang.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: process.env.LK_VITEST_JSON ? ['default', ['json', { outputFile: process.env.LK_VITEST_JSON }]] : ['default'],
    projects: projectsFor(['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/shell/**/*.test.ts'], OWN_MODULES),
  },
});
