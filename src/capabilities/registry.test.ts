import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { OBSERVED_ACTIONS } from '../../test/integration/least-privilege.accepted.js';
import { register as registerCapabilityCommands } from '../cli/commands/capabilities.js';
import { publicName } from '../core/inputs.js';
import { CAPABILITIES, PLANNED } from './registry.js';
import { COMMON_ACTION_INPUTS, renderActionYml, renderWorkflow } from './render.js';
import { renderReusableWorkflow } from './render-reusable.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pins = { checkout: 'a'.repeat(40) + ' # v1', configureAwsCredentials: 'b'.repeat(40) + ' # v1', uploadArtifact: 'c'.repeat(40) + ' # v1' };
const options = { pins, actionMain: (slug: string) => `../../dist/${slug}.js` };

describe('capability registry', () => {
  it('has one entry per slug, each a folder with its definition, step and runtime', () => {
    const slugs = CAPABILITIES.map((c) => c.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) {
      for (const file of ['capability.ts', 'step.ts', 'runtime.ts']) expect(existsSync(join(ROOT, 'src/capabilities', slug, file)), `${slug}/${file}`).toBe(true);
    }
    expect(PLANNED.every((p) => !slugs.includes(p.slug))).toBe(true);
  });

  it.each(CAPABILITIES.map((c) => [c.slug, c] as const))('%s: its runtime runs the step of the same name', async (slug, cap) => {
    const rt = await cap.runtime();
    expect(rt.step.name).toBe(slug);
  });

  it.each(CAPABILITIES.filter((c) => c.action).map((c) => [c.slug, c] as const))('%s: action.yml declares exactly the schema and the common inputs', (_slug, cap) => {
    const doc = parse(renderActionYml(cap, options)) as { inputs: Record<string, { required: boolean }> };
    const own = Object.entries(cap.inputs).map(([k, f]) => publicName(k, f));
    const common = Object.keys(COMMON_ACTION_INPUTS).filter((n) => !(n === 'incident-id' && cap.incident === 'creates'));
    expect(Object.keys(doc.inputs).sort()).toEqual([...own, ...common].sort());
    for (const [k, f] of Object.entries(cap.inputs)) expect(doc.inputs[publicName(k, f)]!.required).toBe(f.required === true);
  });

  it.each(CAPABILITIES.filter((c) => c.workflow && c.workflow.mode === 'generated').map((c) => [c.slug, c] as const))(
    '%s: the workflow passes the action only inputs it declares, and never a secret as an input',
    (_slug, cap) => {
      const wf = parse(renderWorkflow(cap, options)) as { on: { workflow_dispatch: { inputs: Record<string, unknown> } }; jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }> };
      const step = Object.values(wf.jobs)[0]!.steps.find((s) => s.uses === `./actions/${cap.slug}`)!;
      const declared = Object.keys((parse(renderActionYml(cap, options)) as { inputs: Record<string, unknown> }).inputs);
      for (const name of Object.keys(step.with ?? {})) expect(declared).toContain(name);
      const secrets = Object.entries(cap.inputs).filter(([, f]) => f.secret).map(([k, f]) => publicName(k, f));
      for (const s of secrets) expect(Object.keys(wf.on.workflow_dispatch.inputs)).not.toContain(s);
    },
  );

  // The reusable twin must offer what the button offers: a caller moving from the button to
  // `workflow_call` passes the same names, with the same required-ness and defaults.
  const dispatchType = (t: string) => (t === 'choice' || t === 'environment' ? 'string' : t);
  it.each(CAPABILITIES.filter((c) => c.workflow && c.workflow.mode === 'generated').map((c) => [c.slug, c] as const))(
    '%s: the reusable workflow takes exactly the button\'s inputs (choice and environment as string), plus where firebreak comes from',
    (_slug, cap) => {
      type In = { type: string; required?: boolean; default?: unknown };
      const dispatch = (parse(renderWorkflow(cap, options)) as { on: { workflow_dispatch: { inputs: Record<string, In> } } }).on.workflow_dispatch.inputs;
      const call = (parse(renderReusableWorkflow(cap, options)) as { on: { workflow_call: { inputs: Record<string, In> } } }).on.workflow_call.inputs;
      const shape = (i: In) => ({ type: dispatchType(i.type), required: i.required === true, default: i.required ? undefined : typeof i.default === 'boolean' ? i.default : String(i.default) });
      // (YAML reads the button's `default: 32` as a number; GitHub passes it as the text "32".)
      expect(Object.keys(call)).toEqual(['firebreak-repository', 'firebreak-ref', ...Object.keys(dispatch)]);
      for (const [name, i] of Object.entries(dispatch)) expect(shape(call[name]!), name).toEqual(shape(i));
    },
  );

  it.each(CAPABILITIES.filter((c) => c.workflow && c.action).map((c) => [c.slug, c] as const))(
    '%s: the reusable workflow passes the action only inputs it declares, requires every input the action requires, and never a secret as an input',
    (_slug, cap) => {
      const wf = parse(renderReusableWorkflow(cap, options)) as { on: { workflow_call: { inputs: Record<string, { required?: boolean }> } }; jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }> };
      const step = Object.values(wf.jobs)[0]!.steps.find((s) => s.uses?.endsWith(`/actions/${cap.slug}`))!;
      const action = (parse(renderActionYml(cap, options)) as { inputs: Record<string, { required: boolean }> }).inputs;
      expect(Object.keys(step.with ?? {}).filter((n) => !(n in action))).toEqual([]);
      const inputs = wf.on.workflow_call.inputs;
      for (const [name, i] of Object.entries(action)) if (i.required) expect(inputs[name]?.required, name).toBe(true);
      const secrets = Object.entries(cap.inputs).filter(([, f]) => f.secret).map(([k, f]) => publicName(k, f));
      for (const s of secrets) expect(Object.keys(inputs)).not.toContain(s);
    },
  );

  it('the CLI offers every schema input under the same name as the action', () => {
    const program = new Command('firebreak');
    registerCapabilityCommands(program);
    for (const cap of CAPABILITIES.filter((c) => c.status === 'built' && c.cli === 'generated')) {
      const cmd = program.commands.find((c) => c.name() === cap.slug)!;
      expect(cmd, cap.slug).toBeDefined();
      expect(cmd.aliases()).toEqual([...(cap.cliAliases ?? [])]);
      const flags = cmd.options.map((o) => o.long);
      const args = cmd.registeredArguments.length;
      let positional = 0;
      for (const [k, f] of Object.entries(cap.inputs)) {
        if (f.cli === false) continue;
        if (f.cli?.positional) positional++;
        else expect(flags, `${cap.slug} --${publicName(k, f)}`).toContain(`--${publicName(k, f)}`);
      }
      expect(args).toBe(positional);
      for (const common of ['--apply', '--incident', '--override-guard', '--override-reason']) expect(flags).toContain(common);
    }
  });

  it("lists exactly the AWS actions the least-privilege recording saw each capability make", () => {
    for (const [slug, actions] of Object.entries(OBSERVED_ACTIONS)) {
      const cap = CAPABILITIES.find((c) => c.slug === slug);
      if (!cap) continue; // not a capability (e.g. the audit trail the mirrors write)
      expect([...cap.iam].sort(), slug).toEqual([...actions].sort());
    }
  });
});
