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

describe("GitHub's scanning events, shaped by @octokit/webhooks-schemas", () => {
  it('reads code_scanning_alert and secret_scanning_alert payloads as GitHub describes them, as the event or as a dispatch body', async () => {
    const { webhookPayload } = await import('../drill/emulators/github/events.js');
    const { alertFromEvent } = await import('../core/alerts/adapters.js');
    const code = webhookPayload('code_scanning_alert$created', {
      action: 'created',
      alert: { number: 42, html_url: 'https://github.com/acme/shop/security/code-scanning/42', rule: { id: 'js/sql-injection', severity: 'error', description: 'Database query built from user-controlled sources' }, tool: { name: 'CodeQL' } },
    });
    for (const [event, payload] of [
      ['code_scanning_alert', code],
      ['repository_dispatch', { action: 'firebreak-alert', client_payload: { v: 1, format: 'code-scanning', body: code } }],
    ] as const) {
      expect(alertFromEvent(event, payload).alert, event).toMatchObject({ source: 'code-scanning', fingerprint: 'cs:42', severity_hint: 'high', labels: { rule: 'js/sql-injection', tool: 'CodeQL' }, url: 'https://github.com/acme/shop/security/code-scanning/42' });
    }
    const secret = webhookPayload('secret_scanning_alert$created', { action: 'created', alert: { number: 3, secret_type: 'aws_access_key_id', secret: 'AKIACANARY0123456789', state: 'open' } });
    const adapted = alertFromEvent('secret_scanning_alert', secret).alert!;
    expect(adapted).toMatchObject({ source: 'secret-scanning', fingerprint: 'ss:3', subjects: ['aws_access_key_id'] });
    expect(JSON.stringify(adapted)).not.toContain('AKIACANARY');
    const fixed = webhookPayload('code_scanning_alert$fixed', { action: 'fixed', alert: { number: 42 } });
    expect(alertFromEvent('code_scanning_alert', fixed)).toEqual({ alert: null, why: 'code scanning alert 42 was fixed' });
  });
});
