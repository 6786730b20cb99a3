import { defineConfig } from 'vitest/config';

// Three projects so `npm test` can report unit, emulator-backed and workflow checks separately.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['src/**/*.test.ts', 'actions/**/*.test.ts', 'infra/**/*.test.ts', 'test/unit/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**', '**/dist/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['src/**/*.int.test.ts', 'actions/**/*.int.test.ts', 'test/integration/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Finds moto (MOTO_SERVER, PATH, .firebreak/moto-venv) or installs the pinned one, once.
          globalSetup: ['test/helpers/moto-global-setup.ts'],
          // Each file starts its own emulators on free ports; two workers fit 2 cores.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'workflows',
          sequence: { groupOrder: 2 },
          include: ['test/workflows/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
