import { describe, expect, it } from 'vitest';
import { startMoto, type MotoServer } from './emulators/moto.js';
import { runDrill } from './runner.js';
import { check, type DrillScenario } from './scenario.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runDrill with moto', () => {
  it('hands scenarios the AWS env and stops moto even when a scenario fails', async () => {
    let moto: MotoServer | undefined;
    const scenario: DrillScenario = {
      name: 'aws-env',
      description: 'sees moto through AWS_ENDPOINT_URL',
      needs: ['aws'],
      async run(env) {
        const res = await fetch(`${env.env.AWS_ENDPOINT_URL}/moto-api/data.json`);
        return [check('AWS_ENDPOINT_URL reaches moto', res.ok, `status ${res.status}`), check('a failing expectation', false)];
      },
    };
    const report = await runDrill([scenario], {
      starters: {
        aws: async () => {
          moto = await startMoto();
          return moto;
        },
      },
    });
    expect(report.scenarios[0]!.expectations.map((e) => e.ok)).toEqual([true, false]);
    expect(report.ok).toBe(false);
    expect(moto).toBeDefined();
    expect(alive(moto!.pid)).toBe(false);
  });
});
