import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/shell/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**', 'out/**'],
    pool: 'forks',
    setupFiles: ['tests/helpers/fastKdf.ts'],
    maxWorkers: 2,
    // Generous: speed is measured in `npm run bench`, never by a test's time limit; these only catch a hang.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: process.env.LK_VITEST_JSON ? ['default', ['json', { outputFile: process.env.LK_VITEST_JSON }]] : ['default'],
  },
});
