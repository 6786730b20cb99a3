import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { checkPlannedStep } from './handle-alert.js';

function refusal(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  return expect.unreachable('expected an InputError');
}

/** A rule's step as the capability takes it, checked by that capability's own input schema. */
describe('checkPlannedStep', () => {
  it('turns public input names into the schema keys, and drops reason for a capability without one', () => {
    const s = checkPlannedStep({ capability: 'freeze', apply: true, inputs: { workflows: 'deploy.yml', 'lock-environment': 'production', reason: 'alert x' } });
    expect(s.def.slug).toBe('freeze');
    expect(s.raw).toEqual({ workflows: 'deploy.yml', lockEnvironment: 'production' });
  });

  it('refuses what the capability would refuse, before anything runs', () => {
    // Missing required input (isolate needs a target), a choice outside its options, too long, a flag that is not a flag.
    expect(refusal(() => checkPlannedStep({ capability: 'isolate', apply: false, inputs: { reason: 'r' } })).message).toMatch(/target is required/);
    expect(refusal(() => checkPlannedStep({ capability: 'block-ips', apply: false, inputs: { addresses: '203.0.113.7', reason: 'r', target: 'everywhere' } })).message).toMatch(/target must be one of all, waf, cloudflare/);
    expect(refusal(() => checkPlannedStep({ capability: 'isolate', apply: false, inputs: { target: 'aws:instance:i-1', reason: 'r'.repeat(300) } })).message).toMatch(/reason is 300 characters; at most 255/);
    expect(refusal(() => checkPlannedStep({ capability: 'isolate', apply: false, inputs: { target: 'aws:instance:i-1', reason: 'r', capture: 'yes' } })).message).toMatch(/capture must be true or false/);
    // Names the capability does not have, capabilities that do not exist or open incidents themselves.
    expect(refusal(() => checkPlannedStep({ capability: 'freeze', apply: false, inputs: { lockEnvironment: 'x' } })).message).toMatch(/freeze has no input lockEnvironment \(its inputs: workflows, variable-environment, lock-environment\)/);
    expect(refusal(() => checkPlannedStep({ capability: 'launch-missiles', apply: false, inputs: {} })).code).toBe('ALERT_STEP_INVALID');
    expect(refusal(() => checkPlannedStep({ capability: 'declare', apply: false, inputs: { title: 't' } })).message).toMatch(/opens incidents/);
  });
});
