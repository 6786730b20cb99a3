import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs for `npm run mutate`: only the unit tests of the safety-critical modules it
 * mutates (see stryker.config.mjs). Kept separate from vitest.config.ts so that mutation testing
 * neither runs emulator-backed suites nor slows the default `npm test`.
 */
export default defineConfig({
  test: {
    include: [
      'src/core/ip/{guard,blast-radius,cidr,parse-addresses}.test.ts',
      'src/core/{audit,canonical-json,redact,incident-id,inputs,target}.test.ts',
      'src/core/incident/{close-gate,calendar,clock}.test.ts',
    ],
    exclude: ['**/*.int.test.ts', '**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    // The 10,000-input property test of parse-addresses runs a tenth of its inputs, seeded (see there).
    env: { FIREBREAK_PROPERTY_SCALE: '0.1' },
  },
});
