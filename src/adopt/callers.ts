import { actionPinReader } from '../capabilities/action-pins.js';
import { reusableInputs, reusablePermissions, reusableWorkflowFile } from '../capabilities/render-reusable.js';
import type { CapabilityDefinition } from '../capabilities/types.js';
import { NOTIFY_SECRETS } from '../capabilities/notify/secrets.js';
import type { FirebreakSource } from './source.js';

/**
 * Thin caller workflows for an adopting repository: a `workflow_dispatch` button whose one job
 * calls firebreak's reusable workflow pinned to a commit SHA, passing the inputs through `with:`
 * (never into a shell) and the secrets one by one. The called job owns the environment, the
 * least-privilege token, the OIDC role and the audit artifact.
 */
export const ADOPT_HEADER = '# Written by `firebreak init`';

const q = (s: string) => JSON.stringify(s);
const usesLine = (src: FirebreakSource, file: string) => `${src.repository}/.github/workflows/${file}@${src.sha}${src.label ? ` # ${src.label}` : ''}`;

export function callerFile(cap: CapabilityDefinition): string {
  return `${cap.slug}.yml`;
}

export function renderCaller(cap: CapabilityDefinition, src: FirebreakSource): string {
  const inputs = reusableInputs(cap);
  const wf = cap.workflow || undefined;
  const secrets = wf?.secrets ?? [];
  const L: string[] = [
    `${ADOPT_HEADER} (firebreak ${src.repository}@${src.sha}). ${cap.title}: ${cap.summary}.`,
    '# Re-run `firebreak init` to upgrade the pin; keep `uses:` and firebreak-ref on the same SHA.',
    `name: ${cap.slug}`,
    '',
    'on:',
    '  workflow_dispatch:',
    '    inputs:',
  ];
  for (const i of inputs) {
    L.push(`      ${i.name}:`, `        description: ${q(i.description)}`);
    if (i.name === 'environment') L.push('        type: environment');
    else L.push(`        type: ${i.type}`);
    L.push(`        required: ${i.required}`);
    if (i.default !== undefined && !i.required) L.push(`        default: ${typeof i.default === 'boolean' ? String(i.default) : q(i.default)}`);
  }
  const key = inputs.some((i) => i.name === 'environment') ? '${{ inputs.environment }}' : inputs.some((i) => i.name === 'incident-id') ? '${{ inputs.incident-id }}' : '${{ github.ref }}';
  L.push('', 'permissions: {}', '', 'jobs:', `  ${cap.slug}:`);
  L.push('    # The called job has its own group too; this one keeps this repository\'s runs in order.', '    concurrency:', `      group: firebreak-caller-${cap.slug}-${key}`, '      cancel-in-progress: false');
  L.push('    permissions:');
  for (const [k, v] of Object.entries(reusablePermissions(cap))) L.push(`      ${k}: ${v}`);
  L.push(`    uses: ${usesLine(src, reusableWorkflowFile(cap))}`, '    with:', `      firebreak-repository: ${src.repository}`, `      firebreak-ref: ${src.sha}`);
  for (const i of inputs) L.push(`      ${i.name}: \${{ inputs.${i.name} }}`);
  if (secrets.length) {
    L.push('    secrets:', '      # Better as environment secrets of the protected environment (then these lines can go).');
    for (const s of secrets) L.push(`      ${s}: \${{ secrets.${s} }}`);
  }
  return `${L.join('\n')}\n`;
}

/** Every 15 minutes (and on a repository_dispatch tick), tick each open incident through the reusable tick. */
export function renderTickCaller(src: FirebreakSource): string {
  return `${ADOPT_HEADER} (firebreak ${src.repository}@${src.sha}). Reminders, escalations and deadline warnings for every open incident.
# GitHub's schedule is best-effort (runs can start late); the kit's EventBridge schedule can send
# the firebreak-tick repository_dispatch on time. Ticks are idempotent, so both may run.
name: incident-tick

on:
  schedule:
    - cron: '*/15 * * * *'
  repository_dispatch:
    types: [firebreak-tick]
  workflow_dispatch:
    inputs:
      incident-id:
        description: Tick only this incident (empty = every open incident)
        type: string
        default: ''

permissions: {}

jobs:
  list:
    runs-on: ubuntu-24.04
    timeout-minutes: 5
    permissions:
      issues: read
    outputs:
      ids: \${{ steps.open.outputs.ids }}
    steps:
      - id: open
        env:
          GH_TOKEN: \${{ github.token }}
          GH_REPO: \${{ github.repository }}
          ONLY: \${{ inputs.incident-id }}
        run: |
          if [ -n "$ONLY" ]; then
            ids=$(jq -cn --arg id "$ONLY" '[$id]')
          else
            ids=$(gh issue list --label incident --state open --limit 200 --json title \\
              --jq '[.[].title | capture("^\\\\[(?<id>INC-[^\\\\]]+)\\\\]").id] | unique')
          fi
          echo "ids=$ids" >> "$GITHUB_OUTPUT"

  tick:
    needs: list
    if: needs.list.outputs.ids != '[]' && needs.list.outputs.ids != ''
    concurrency:
      group: firebreak-caller-incident-tick-\${{ matrix.incident }}
      cancel-in-progress: false
    strategy:
      fail-fast: false
      max-parallel: 4
      matrix:
        incident: \${{ fromJSON(needs.list.outputs.ids) }}
    permissions:
      contents: read
      issues: write
      id-token: write
    uses: ${usesLine(src, 'reusable-incident-tick.yml')}
    with:
      firebreak-repository: ${src.repository}
      firebreak-ref: ${src.sha}
      incident-id: \${{ matrix.incident }}
    # The notify hook runs after each tick (an escalation pages). Better as environment secrets of
    # firebreak-incident (then these lines can go).
    secrets:
${NOTIFY_SECRETS.map((s) => `      ${s}: \${{ secrets.${s} }}`).join('\n')}
`;
}

export interface DrillPins {
  checkout: string;
  setupNode: string;
  setupPython: string;
}

/** The pins of the actions the drill caller uses, read from firebreak's own workflows (one version each). */
export function readDrillPins(firebreakRoot: string): DrillPins {
  const pin = actionPinReader(firebreakRoot);
  return { checkout: pin('actions/checkout'), setupNode: pin('actions/setup-node'), setupPython: pin('actions/setup-python') };
}

/**
 * Weekly game day in the adopting repository: firebreak at the pinned SHA drills against its local
 * emulators, and checks this repository's runbooks (every step exists, reviewed on time).
 */
export function renderDrillCaller(src: FirebreakSource, pins: DrillPins, motoVersion: string): string {
  return `${ADOPT_HEADER} (firebreak ${src.repository}@${src.sha}). A runbook is tested, not trusted:
# drill firebreak's steps against local emulators every week and check this repository's runbooks.
# Touches no production system.
name: firebreak-drill

on:
  schedule:
    - cron: '17 6 * * 1'
  workflow_dispatch:

permissions: {}

concurrency:
  group: firebreak-drill
  cancel-in-progress: false

jobs:
  drill:
    runs-on: ubuntu-24.04
    timeout-minutes: 30
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@${pins.checkout}
        with:
          persist-credentials: false
      - uses: actions/checkout@${pins.checkout}
        with:
          repository: ${src.repository}
          ref: ${src.sha}
          path: .firebreak-src
          persist-credentials: false
      - uses: actions/setup-node@${pins.setupNode}
        with:
          node-version: 24
      - uses: actions/setup-python@${pins.setupPython}
        with:
          python-version: '3.12'
      - name: Install moto (AWS emulator)
        run: python -m pip install --disable-pip-version-check 'moto[server]==${motoVersion}'
      - name: Install firebreak
        working-directory: .firebreak-src
        run: npm ci --no-audit --no-fund
      - name: Drill against the emulators
        working-directory: .firebreak-src
        run: npm run drill
      - name: This repository's runbooks reference real steps and are reviewed on time
        run: node .firebreak-src/bin/firebreak.js runbooks check
`;
}
