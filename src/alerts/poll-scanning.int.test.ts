import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canary, leaks } from '../../test/helpers/canary.js';
import { memoryIo } from '../cli/io.js';
import { main } from '../cli/main.js';
import { fingerprintLabel } from '../core/alerts/alert.js';
import { EXIT_CODES } from '../core/errors.js';
import { memoryLogger } from '../core/runtime.js';
import { scanningState, seedCodeScanningAlert, seedSecretScanningAlert } from '../drill/emulators/github/handlers-scanning.js';
import { startGitHubEmulator, type GitHubEmulator } from '../drill/emulators/github/server.js';
import { eventRunDeps, type EventRunDeps } from '../runtime/event-runs.js';
import { handleAlert } from './handle-alert.js';
import { pollScanningAlerts, type PollOutcome } from './poll-scanning.js';

/**
 * `firebreak alert poll-scanning` against the GitHub emulator, whose scanning lists are checked
 * against GitHub's OpenAPI description: open alerts become incidents through alerts.rules once,
 * a poll that sees them again changes nothing, closed alerts are not read, the leaked value of a
 * secret never reaches any channel, lists are paginated and bounded, and one list failing still
 * lets the other's alerts through while the run fails visibly.
 */

const CONFIG = `version: 1
alerts:
  rules:
    - name: leaked-secret
      match: { source: secret-scanning }
      severity: SEV1
    - name: serious-code-scanning
      match: { source: code-scanning, severity_hints: [critical, high] }
      severity: SEV2
`;

let gh: GitHubEmulator;
let cwd: string;
let logger: ReturnType<typeof memoryLogger>;
let deps: EventRunDeps;

beforeEach(async () => {
  gh = await startGitHubEmulator();
  cwd = await mkdtemp(join(tmpdir(), 'firebreak-poll-scanning-'));
  await writeFile(join(cwd, 'firebreak.yml'), CONFIG);
  logger = memoryLogger();
  deps = await eventRunDeps({ env: gh.env(), cwd, logger: () => logger });
});
afterEach(async () => {
  gh.assertNoViolations();
  await gh.stop();
});

const incidents = () => [...gh.state.issues.values()].filter((i) => i.labels.includes('incident'));
const sqlInjection = { id: 'js/sql-injection', description: 'Database query built from user-controlled sources', security_severity_level: 'high' as const };

function byNumber(o: PollOutcome, source: string): Record<number, string> {
  return Object.fromEntries(o.alerts.filter((a) => a.source === source).map((a) => [a.number, a.result]));
}

describe('poll-scanning: open alerts become incidents once', () => {
  it('two polls of the same open alerts: one incident per fingerprint; the second poll changes nothing; a delivered webhook for the same alert joins the same incident', async () => {
    seedCodeScanningAlert(gh.state, { rule: sqlInjection });
    seedCodeScanningAlert(gh.state, { rule: { id: 'js/unused-local-variable', description: 'Unused variable', severity: 'note' } });
    seedSecretScanningAlert(gh.state, { secretType: 'aws_access_key_id', secretTypeDisplayName: 'AWS Access Key ID', secret: 'AKIAEXAMPLEEXAMPLE01', validity: 'active' });

    const first = await pollScanningAlerts(deps);
    expect(first.failed).toBe(false);
    expect(first.lists).toEqual([
      { source: 'code-scanning', listed: 2, truncated: false },
      { source: 'secret-scanning', listed: 1, truncated: false },
    ]);
    expect(byNumber(first, 'code-scanning')).toEqual({ 1: 'declared', 2: 'ignored' });
    expect(byNumber(first, 'secret-scanning')).toEqual({ 1: 'declared' });
    expect(first.alerts.find((a) => a.source === 'code-scanning' && a.number === 1)!.fingerprint).toBe('cs:1');
    expect(first.alerts.find((a) => a.source === 'secret-scanning')!.fingerprint).toBe('ss:1');
    expect(incidents()).toHaveLength(2);
    const csIssue = incidents().find((i) => i.labels.includes(fingerprintLabel({ source: 'code-scanning', fingerprint: 'cs:1' })))!;
    const ssIssue = incidents().find((i) => i.labels.includes(fingerprintLabel({ source: 'secret-scanning', fingerprint: 'ss:1' })))!;
    expect(csIssue.labels).toEqual(expect.arrayContaining([expect.stringMatching(/SEV2/)]));
    expect(ssIssue.labels).toEqual(expect.arrayContaining([expect.stringMatching(/SEV1/)]));
    const commentsAfterFirst = gh.state.comments.size;
    const auditAfterFirst = await readFile(join(cwd, '.firebreak', 'audit.jsonl'), 'utf8');

    const second = await pollScanningAlerts(deps);
    expect(second.failed).toBe(false);
    expect(second.alerts.filter((a) => a.result !== 'ignored')).toEqual([
      { source: 'code-scanning', number: 1, fingerprint: 'cs:1', result: 'open-incident', incidentId: expect.stringMatching(/^INC-/), issue: csIssue.number },
      { source: 'secret-scanning', number: 1, fingerprint: 'ss:1', result: 'open-incident', incidentId: expect.stringMatching(/^INC-/), issue: ssIssue.number },
    ]);
    expect(incidents()).toHaveLength(2);
    expect(gh.state.comments.size).toBe(commentsAfterFirst);
    expect(await readFile(join(cwd, '.firebreak', 'audit.jsonl'), 'utf8')).toBe(auditAfterFirst);

    // The same alert as a dispatched webhook payload (format code-scanning) is the same storm.
    const webhook = { action: 'created', alert: { number: 1, html_url: 'https://github.com/acme/shop/security/code-scanning/1', rule: sqlInjection, tool: { name: 'CodeQL' } } };
    const viaDispatch = await handleAlert(deps, 'repository_dispatch', { action: 'firebreak-alert', client_payload: { v: 1, format: 'code-scanning', body: webhook } });
    expect(viaDispatch).toMatchObject({ kind: 'attached', issue: csIssue.number });
    expect(incidents()).toHaveLength(2);
  });

  it('an alert still open after its incident was closed is reported, not opened again every poll; reopening the incident picks it up again', async () => {
    seedSecretScanningAlert(gh.state, { secretType: 'github_personal_access_token', secret: 'ghp_exampleexampleexampleexample0001' });
    const first = await pollScanningAlerts(deps);
    const issue = first.alerts[0]!.issue!;
    gh.state.issues.get(issue)!.state = 'closed';
    const comments = gh.state.comments.size;
    for (let i = 0; i < 2; i++) {
      const again = await pollScanningAlerts(deps);
      expect(again.failed).toBe(false);
      expect(again.alerts).toMatchObject([{ number: 1, result: 'closed-incident', issue }]);
    }
    expect(incidents()).toHaveLength(1);
    expect(gh.state.comments.size).toBe(comments);
    gh.state.issues.get(issue)!.state = 'open';
    expect((await pollScanningAlerts(deps)).alerts).toMatchObject([{ number: 1, result: 'open-incident', issue }]);
  });

  it('dismissed and fixed code-scanning alerts and resolved secret-scanning alerts are not picked up', async () => {
    seedCodeScanningAlert(gh.state, { rule: sqlInjection, state: 'dismissed' });
    seedCodeScanningAlert(gh.state, { rule: sqlInjection, state: 'fixed' });
    seedCodeScanningAlert(gh.state, { rule: { ...sqlInjection, id: 'js/xss' } });
    seedSecretScanningAlert(gh.state, { secretType: 'slack_api_token', secret: 'xoxb-resolved-resolved-resolved', state: 'resolved', resolution: 'revoked' });

    const polled = await pollScanningAlerts(deps);
    expect(polled.alerts.map((a) => [a.source, a.number, a.result])).toEqual([['code-scanning', 3, 'declared']]);
    expect(polled.lists.map((l) => l.listed)).toEqual([1, 0]);
    expect(incidents()).toHaveLength(1);
    expect(scanningState(gh.state).queries.map((q) => q.query.state)).toEqual(['open', 'open']);

    // A server that drops the filter answers the closed ones too: they are still not picked up.
    scanningState(gh.state).ignoreStateFilter = true;
    const unfiltered = await pollScanningAlerts(deps);
    expect(unfiltered.alerts.map((a) => [a.source, a.number, a.result])).toEqual([['code-scanning', 3, 'open-incident']]);
    expect(incidents()).toHaveLength(1);
  });
});

describe('poll-scanning: the leaked secret', () => {
  it('never reaches a log, an issue, a comment, an audit record or the output, even from a server that ignores hide_secret', async () => {
    const secret = canary('secret-scanning alert value', 'CANARYpollSECRET', 'ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    scanningState(gh.state).ignoreHideSecret = true;
    seedSecretScanningAlert(gh.state, { secretType: 'github_personal_access_token', secretTypeDisplayName: 'GitHub Personal Access Token', secret: secret.value, validity: 'active' });

    const io = memoryIo({ ...gh.env() }, cwd);
    expect(await main(['alert', 'poll-scanning', '--json', '--verbose'], io)).toBe(EXIT_CODES.ok);
    const outcome = JSON.parse(io.out.join('\n')) as PollOutcome;
    expect(outcome.lists).toEqual([expect.anything(), { source: 'secret-scanning', listed: 1, truncated: false, secretsDropped: 1 }]);
    expect(outcome.alerts).toMatchObject([{ source: 'secret-scanning', number: 1, result: 'declared' }]);
    // The request asked GitHub not to send it.
    expect(scanningState(gh.state).queries.find((q) => q.operationId === 'secret-scanning/list-alerts-for-repo')!.query.hide_secret).toBe(true);

    const text = memoryIo({ ...gh.env() }, cwd);
    expect(await main(['alert', 'poll-scanning'], text)).toBe(EXIT_CODES.ok);
    expect(text.out.join('\n')).toMatch(/secret-scanning: 1 open \(1 came back with their secret value despite hide_secret: dropped unread\)/);

    const issues = [...gh.state.issues.values()];
    expect(issues).toHaveLength(1);
    const channels = {
      'stdout --json': io.out.join('\n'),
      'stderr --json': io.err.join('\n'),
      stdout: text.out.join('\n'),
      stderr: text.err.join('\n'),
      logger: logger.lines.join('\n'),
      'issue titles and bodies': issues.map((i) => `${i.title}\n${i.body ?? ''}`).join('\n'),
      'issue labels': issues.flatMap((i) => i.labels).join('\n'),
      comments: [...gh.state.comments.values()].map((c) => c.body).join('\n'),
      'audit file': await readFile(join(cwd, '.firebreak', 'audit.jsonl'), 'utf8'),
    };
    // secretsDropped above shows the server did send the canary, so an empty list is not vacuous.
    expect(leaks(channels, [secret])).toEqual([]);
  });

  it('a server that honours hide_secret sends none, and the poll reports none dropped', async () => {
    seedSecretScanningAlert(gh.state, { secretType: 'aws_secret_access_key', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
    const polled = await pollScanningAlerts(deps, { sources: ['secret-scanning'] });
    expect(polled.lists).toEqual([{ source: 'secret-scanning', listed: 1, truncated: false }]);
  });
});

describe('poll-scanning: pagination and partial failure', () => {
  it('reads every page, newest first, and stops at the bound, saying so', async () => {
    for (let n = 0; n < 7; n++) seedCodeScanningAlert(gh.state, { rule: { ...sqlInjection, id: `js/rule-${n}` } });
    const all = await pollScanningAlerts(deps, { sources: ['code-scanning'], perPage: 3 });
    expect(all.lists).toEqual([{ source: 'code-scanning', listed: 7, truncated: false }]);
    expect(all.alerts.map((a) => a.number)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(all.alerts.every((a) => a.result === 'declared')).toBe(true);
    expect(scanningState(gh.state).queries.map((q) => q.query.page ?? 1)).toEqual([1, 2, 3]);
    expect(incidents()).toHaveLength(7);

    seedCodeScanningAlert(gh.state, { rule: { ...sqlInjection, id: 'js/rule-new' } });
    const bounded = await pollScanningAlerts(deps, { sources: ['code-scanning'], perPage: 3, maxPages: 2 });
    expect(bounded.lists).toEqual([{ source: 'code-scanning', listed: 6, truncated: true }]);
    // The new alert is on the first page however many old ones stay open.
    expect(bounded.alerts.map((a) => [a.number, a.result])).toEqual([[8, 'declared'], ...[7, 6, 5, 4, 3].map((n) => [n, 'open-incident'])]);
    expect(incidents()).toHaveLength(8);
  });

  it('a 5xx on one list: the other list is still processed, the failure is reported and the CLI exits non-zero', async () => {
    seedCodeScanningAlert(gh.state, { rule: sqlInjection });
    seedSecretScanningAlert(gh.state, { secretType: 'stripe_api_key', secret: 'sk_live_exampleexampleexample01' });
    gh.faults.add({ method: 'GET', path: `/repos/${gh.owner}/${gh.repo}/code-scanning/alerts`, status: 502, body: { message: 'Server Error' }, times: 2 });

    const polled = await pollScanningAlerts(deps);
    expect(polled.failed).toBe(true);
    expect(polled.lists).toEqual([
      { source: 'code-scanning', listed: 0, truncated: false, error: expect.stringMatching(/GitHub answered 502/) },
      { source: 'secret-scanning', listed: 1, truncated: false },
    ]);
    expect(polled.alerts).toMatchObject([{ source: 'secret-scanning', number: 1, result: 'declared' }]);
    expect(incidents()).toHaveLength(1);

    const io = memoryIo({ ...gh.env() }, cwd);
    expect(await main(['alert', 'poll-scanning'], io)).toBe(EXIT_CODES.partial);
    expect(io.out.join('\n')).toMatch(/✗ code-scanning: not read: GitHub answered 502/);
    expect(io.out.join('\n')).toMatch(/secret-scanning #1: open-incident/);
    expect(io.err.join('\n')).toMatch(/not read: code-scanning/);
    expect(gh.faults.pending()).toEqual([]);

    // The list is back: the next poll catches up, and the secret's incident stays the only one for it.
    const next = await pollScanningAlerts(deps);
    expect(next.failed).toBe(false);
    expect(next.alerts.map((a) => [a.source, a.result])).toEqual([
      ['code-scanning', 'declared'],
      ['secret-scanning', 'open-incident'],
    ]);
    expect(incidents()).toHaveLength(2);
  });

  it('--config names the rules file and --source limits the lists read', async () => {
    await writeFile(join(cwd, 'firebreak.yml'), 'version: 1\n');
    await writeFile(join(cwd, 'scanning.yml'), CONFIG);
    seedCodeScanningAlert(gh.state, { rule: sqlInjection });
    seedSecretScanningAlert(gh.state, { secretType: 'stripe_api_key', secret: 'sk_live_exampleexampleexample02' });
    const io = memoryIo({ ...gh.env() }, cwd);
    expect(await main(['alert', 'poll-scanning', '--config', 'scanning.yml', '--source', 'secret-scanning', '--json'], io)).toBe(EXIT_CODES.ok);
    const outcome = JSON.parse(io.out.join('\n')) as PollOutcome;
    expect(outcome.lists.map((l) => l.source)).toEqual(['secret-scanning']);
    expect(outcome.alerts).toMatchObject([{ source: 'secret-scanning', result: 'declared' }]);
    expect(scanningState(gh.state).queries.map((q) => q.operationId)).toEqual(['secret-scanning/list-alerts-for-repo']);
  });

  it('refuses a bad --source or --max-pages before reading anything', async () => {
    for (const argv of [
      ['alert', 'poll-scanning', '--source', 'dependabot'],
      ['alert', 'poll-scanning', '--max-pages', '0'],
      ['alert', 'poll-scanning', '--max-pages', '1e9'],
    ]) {
      const io = memoryIo({ ...gh.env() }, cwd);
      expect(await main(argv, io), argv.join(' ')).toBe(EXIT_CODES.input);
    }
    expect(gh.requests).toEqual([]);
  });
});
