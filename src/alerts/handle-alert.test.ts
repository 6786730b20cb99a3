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
  it('turns public input names into the schema keys; the alert reason fills a reason the rule did not set', () => {
    const s = checkPlannedStep({ capability: 'freeze', apply: true, inputs: { workflows: 'deploy.yml', 'lock-environment': 'production' }, reason: 'alert x' });
    expect(s.def.slug).toBe('freeze');
    expect(s.raw).toEqual({ workflows: 'deploy.yml', lockEnvironment: 'production' });
    expect(checkPlannedStep({ capability: 'isolate', apply: false, inputs: { target: 'aws:instance:i-1' }, reason: 'alert x' }).raw).toEqual({ target: 'aws:instance:i-1', reason: 'alert x' });
    expect(checkPlannedStep({ capability: 'isolate', apply: false, inputs: { target: 'aws:instance:i-1', reason: 'the rule says' }, reason: 'alert x' }).raw).toEqual({ target: 'aws:instance:i-1', reason: 'the rule says' });
    // A reason the rule gives a capability that takes none is a mistake, said so.
    expect(refusal(() => checkPlannedStep({ capability: 'freeze', apply: false, inputs: { reason: 'x' }, reason: 'alert x' })).message).toMatch(/freeze has no input reason/);
  });

  it('refuses what the capability would refuse, before anything runs', () => {
    // Missing required input (isolate needs a target), a choice outside its options, too long, a flag that is not a flag.
    expect(refusal(() => checkPlannedStep({ capability: 'isolate', apply: false, inputs: { reason: 'r' }, reason: 'a' })).message).toMatch(/target is required/);
    expect(refusal(() => checkPlannedStep({ capability: 'block-ips', apply: false, inputs: { addresses: '203.0.113.7', reason: 'r', target: 'everywhere' }, reason: 'a' })).message).toMatch(/target must be one of all, waf, cloudflare/);
    expect(refusal(() => checkPlannedStep({ capability: 'isolate', apply: false, inputs: { target: 'aws:instance:i-1', reason: 'r'.repeat(300) }, reason: 'a' })).message).toMatch(/reason is 300 characters; at most 255/);
    expect(refusal(() => checkPlannedStep({ capability: 'isolate', apply: false, inputs: { target: 'aws:instance:i-1', reason: 'r', capture: 'yes' }, reason: 'a' })).message).toMatch(/capture must be true or false/);
    // Names the capability does not have, capabilities that do not exist or open incidents themselves.
    expect(refusal(() => checkPlannedStep({ capability: 'freeze', apply: false, inputs: { lockEnvironment: 'x' }, reason: 'a' })).message).toMatch(/freeze has no input lockEnvironment \(its inputs: workflows, variable-environment, lock-environment\)/);
    expect(refusal(() => checkPlannedStep({ capability: 'launch-missiles', apply: false, inputs: {}, reason: 'a' })).code).toBe('ALERT_STEP_INVALID');
    expect(refusal(() => checkPlannedStep({ capability: 'declare', apply: false, inputs: { title: 't' }, reason: 'a' })).message).toMatch(/opens incidents/);
  });
});
