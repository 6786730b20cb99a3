import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse.js';
import { InputError } from '../errors.js';
import type { IncidentState } from '../incident/state.js';
import type { IncidentEvent } from './events.js';
import { tickEvent } from './events.js';
import { assertWebhookUrl, deliveryKey, pagerdutySeverity, planDeliveries, type PlanDeliveriesArgs } from './plan.js';
import { renderTemplate, splitText } from './render.js';
import { signBody, verifySignature } from './signature.js';

const state = {
  id: 'INC-20261202-checkout',
  title: 'Checkout errors',
  summary: 'Payments fail',
  severity: 'SEV1',
  status: 'open',
  roles: { incident_commander: ['alice'] },
} as unknown as IncidentState;
const declared: IncidentEvent = { key: 'declared', event: 'declared', at: '2026-12-02T09:00:00Z', severity: 'SEV1' };

function args(yaml: string, env: Record<string, string> = {}, events: IncidentEvent[] = [declared]): PlanDeliveriesArgs {
  const config = parseConfig(`version: 1\nnotify:\n${yaml}`);
  return { config: config.notify, roles: { incident_commander: ['alice'] }, state, events, severityOrder: ['SEV0', 'SEV1', 'SEV2', 'SEV3'], env, issueUrl: 'https://github.com/acme/shop/issues/1' };
}

function refusal(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  return expect.unreachable('expected a refusal');
}

describe('planDeliveries refuses bad input before anything is sent', () => {
  it('a route to a channel that is not defined', () => {
    const e = refusal(() => planDeliveries(args('  channels: { sms: { kind: sms } }\n  routes: [{ events: [declared], channels: [pager] }]')));
    expect(e.message).toMatch(/channel "pager", which notify.channels does not define \(defined: sms\)/);
  });
  it('a recipient not in the roster, named directly or through a role', () => {
    expect(refusal(() => planDeliveries(args('  channels: { sms: { kind: sms } }\n  routes: [{ events: [declared], channels: [sms], to: [mallory] }]'))).message).toMatch(/"mallory", who is not in notify.roster/);
    expect(refusal(() => planDeliveries(args('  channels: { sms: { kind: sms } }\n  routes: [{ events: [declared], channels: [sms], to: [role:incident_commander] }]'))).code).toBe('NOTIFY_RECIPIENT_UNKNOWN');
  });
  it('an unset reference names the variable, never a value', () => {
    const e = refusal(() => planDeliveries(args('  channels: { sms: { kind: sms } }\n  roster: { alice: { phone_env: ALICE_PHONE } }\n  routes: [{ events: [declared], channels: [sms], to: [alice] }]')));
    expect(e.code).toBe('NOTIFY_REFERENCE_UNSET');
    expect(e.message).toContain('ALICE_PHONE');
  });
  it('a template variable the event does not carry, or that does not exist', () => {
    const base = '  channels: { hook: { kind: webhook } }\n  routes: [{ events: [declared], channels: [hook] }]\n';
    const env = { FIREBREAK_WEBHOOK_URL: 'https://hooks.example.com/x', FIREBREAK_WEBHOOK_SECRET: 's' };
    expect(refusal(() => planDeliveries(args(`${base}  templates: { declared: "{id}: {text}" }`, env))).code).toBe('TEMPLATE_VARIABLE_MISSING');
    expect(refusal(() => planDeliveries(args(`${base}  templates: { declared: "{id}: {titel}" }`, env))).code).toBe('TEMPLATE_VARIABLE_UNKNOWN');
  });
  it('an SMS over 1600 characters is refused (never split: each segment costs and arrives out of order)', () => {
    const yaml = `  channels: { sms: { kind: sms } }\n  roster: { alice: { phone_env: P } }\n  routes: [{ events: [declared], channels: [sms], to: [alice] }]\n  templates: { declared: "${'x'.repeat(1601)}" }`;
    expect(refusal(() => planDeliveries(args(yaml, { P: '+15550100' }))).code).toBe('NOTIFY_MESSAGE_TOO_LONG');
  });
  it('a long Slack message is split into sections of at most 3000 characters', () => {
    const yaml = `  channels: { slack: { kind: slack } }\n  routes: [{ events: [declared], channels: [slack] }]\n  templates: { declared: "${'y'.repeat(7000)}" }`;
    const [d] = planDeliveries(args(yaml, { FIREBREAK_SLACK_BOT_TOKEN: 'xoxb-1' }));
    expect(d!.parts.map((p) => p.length)).toEqual([3000, 3000, 1000]);
  });
  it('a webhook that is not https; loopback http only when allowed for tests', () => {
    expect(refusal(() => assertWebhookUrl('http://hooks.example.com/x', 'U', true)).code).toBe('NOTIFY_WEBHOOK_URL');
    expect(refusal(() => assertWebhookUrl('http://127.0.0.1:9/x', 'U', false)).message).toMatch(/allow_loopback_http/);
    expect(() => assertWebhookUrl('http://127.0.0.1:9/x', 'U', true)).not.toThrow();
    expect(() => assertWebhookUrl('https://hooks.example.com/x', 'U', false)).not.toThrow();
    const yaml = '  channels: { chat: { kind: google-chat } }\n  routes: [{ events: [declared], channels: [chat] }]';
    expect(refusal(() => planDeliveries(args(yaml, { FIREBREAK_GOOGLE_CHAT_WEBHOOK: 'http://chat.example.com/v1/spaces/A/messages' }))).code).toBe('NOTIFY_WEBHOOK_URL');
  });
  it('external text with internal details never reaches the status page', () => {
    const yaml = '  channels: { status: { kind: statuspage } }\n  routes: [{ events: [update_posted], channels: [status] }]';
    const update: IncidentEvent = { key: 'update:t', event: 'update_posted', at: 't', severity: 'SEV1', audience: 'external', text: 'db-primary at 10.0.3.7 restarted', status: 'monitoring' };
    expect(() => planDeliveries(args(yaml, { FIREBREAK_STATUSPAGE_PAGE_ID: 'p', FIREBREAK_STATUSPAGE_API_KEY: 'k' }, [declared, update]))).toThrow(/internal details/);
  });
});

describe('routing and keys', () => {
  it('dedup keys depend on incident, event, channel and recipient only', () => {
    expect(deliveryKey('INC-1', 'declared', 'sms', 'alice')).toBe(deliveryKey('INC-1', 'declared', 'sms', 'alice'));
    expect(new Set([deliveryKey('INC-1', 'declared', 'sms', 'alice'), deliveryKey('INC-2', 'declared', 'sms', 'alice'), deliveryKey('INC-1', 'closed', 'sms', 'alice'), deliveryKey('INC-1', 'declared', 'sms', 'bob')]).size).toBe(4);
  });
  it('routes filter by severity; escalations page the rung with its own dedup key', () => {
    const yaml = '  channels: { pager: { kind: pagerduty } }\n  routes: [{ events: [declared, escalation], severities: [SEV0], channels: [pager] }]';
    expect(planDeliveries(args(yaml, { FIREBREAK_PAGERDUTY_ROUTING_KEY: 'r' }))).toEqual([]);
    const sev0 = '  channels: { pager: { kind: pagerduty } }\n  roster: { alice: {} }\n  routes: [{ events: [escalation], channels: [pager] }]';
    const esc = tickEvent('escalate:incident_commander:1', 't', 'SEV1')!;
    const [d] = planDeliveries(args(sev0, { FIREBREAK_PAGERDUTY_ROUTING_KEY: 'r' }, [esc]));
    expect(d!.pagerduty).toEqual({ dedupKey: `${state.id}:rung:1`, severity: 'error', routingKeyEnv: 'FIREBREAK_PAGERDUTY_ROUTING_KEY' });
  });
  it('maps the scheme onto PagerDuty severities by rank', () => {
    expect(['SEV0', 'SEV1', 'SEV2', 'SEV3', 'X'].map((s) => pagerdutySeverity(['SEV0', 'SEV1', 'SEV2', 'SEV3'], s))).toEqual(['critical', 'error', 'warning', 'info', 'info']);
  });
  it('config refuses values where references belong', () => {
    expect(() => parseConfig('version: 1\nnotify:\n  roster: { alice: { phone_env: "+15550100" } }')).toThrow(/NAME of an environment variable/);
  });
});

describe('templates and signature', () => {
  it('renders known variables and splits at line breaks', () => {
    expect(renderTemplate('{id} {severity}', { id: 'INC-1', severity: 'SEV1' }, 't')).toBe('INC-1 SEV1');
    expect(splitText('aaa\nbbb\nccc', 7)).toEqual(['aaa\nbbb', 'ccc']);
  });
  it('verifies what node:crypto computes independently, and refuses tampering and stale timestamps', () => {
    const body = '{"incident":"INC-1"}';
    const header = signBody('sekret', 1_800_000_000, body);
    expect(header).toBe(`v1=${createHmac('sha256', 'sekret').update(`1800000000.${body}`).digest('hex')}`);
    expect(verifySignature('sekret', '1800000000', body, header, 1_800_000_100)).toBe(true);
    expect(verifySignature('sekret', '1800000000', `${body} `, header, 1_800_000_100)).toBe(false);
    expect(verifySignature('sekret', '1800000000', body, header, 1_800_000_400)).toBe(false);
    expect(verifySignature('other', '1800000000', body, header, 1_800_000_000)).toBe(false);
  });
});
