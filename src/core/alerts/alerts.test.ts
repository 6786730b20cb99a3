import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse.js';
import { ConfigError, InputError } from '../errors.js';
import { ALERT_MAX_BYTES, fingerprintLabel } from './alert.js';
import { alertFromEvent, fromAlertmanager, fromCloudflare, fromGuardDuty } from './adapters.js';
import { decide } from './rules.js';

function refusal(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  return expect.unreachable('expected an InputError');
}

const dispatch = (format: string, body: unknown) => ({ action: 'firebreak-alert', client_payload: { v: 1, format, body } });
const native = { source: 'honeypot', fingerprint: 'decoy:ssh-01', title: 'Decoy hit', labels: { kind: 'decoy_hit' }, addresses: ['203.0.113.7'] };

describe('alert payloads', () => {
  it('reads the native format from a firebreak-alert dispatch', () => {
    const a = alertFromEvent('repository_dispatch', dispatch('firebreak', native));
    expect(a.alert).toEqual({ ...native, subjects: [] });
  });

  it('refuses other dispatch types, versions, formats, unknown fields and oversized payloads', () => {
    expect(refusal(() => alertFromEvent('repository_dispatch', { action: 'deploy', client_payload: {} })).code).toBe('ALERT_INVALID');
    expect(refusal(() => alertFromEvent('repository_dispatch', { action: 'firebreak-alert', client_payload: { v: 2, format: 'firebreak', body: native } })).code).toBe('ALERT_INVALID');
    expect(refusal(() => alertFromEvent('repository_dispatch', dispatch('pagerduty', native))).code).toBe('ALERT_INVALID');
    expect(refusal(() => alertFromEvent('repository_dispatch', dispatch('firebreak', { ...native, run: '$(id)' }))).message).toMatch(/client_payload|alert/);
    expect(refusal(() => alertFromEvent('repository_dispatch', dispatch('firebreak', { ...native, title: 'x'.repeat(ALERT_MAX_BYTES) }))).code).toBe('ALERT_TOO_LARGE');
    expect(refusal(() => alertFromEvent('push', {})).code).toBe('ALERT_INVALID');
  });

  it('refuses hostile field values: source and fingerprint grammar, label names, too many addresses', () => {
    for (const body of [
      { ...native, source: 'Honeypot; rm -rf /' },
      { ...native, fingerprint: '${{ github.token }}' },
      { ...native, labels: { 'a b': 'x' } },
      { ...native, addresses: Array.from({ length: 101 }, (_, i) => `10.0.0.${i}`) },
      { ...native, url: 'javascript:alert(1)' },
      { ...native, title: '' },
    ]) {
      expect(refusal(() => alertFromEvent('repository_dispatch', dispatch('firebreak', body))).code, JSON.stringify(body).slice(0, 80)).toBe('ALERT_INVALID');
    }
  });

  it('adapts Alertmanager: firing groups open, resolved ones do not; the group key is the fingerprint', () => {
    const body = {
      version: '4',
      groupKey: '{}:{alertname="FailedAuthSpike"}',
      status: 'firing',
      receiver: 'firebreak',
      groupLabels: { alertname: 'FailedAuthSpike' },
      commonLabels: { alertname: 'FailedAuthSpike', severity: 'critical' },
      commonAnnotations: { summary: 'Failed logins 40x baseline' },
      externalURL: 'https://alertmanager.example',
      alerts: [{ status: 'firing', labels: { alertname: 'FailedAuthSpike', source_ip: '198.51.100.4' }, annotations: {}, startsAt: '2026-01-01T00:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: 'abc' }],
    };
    const a = fromAlertmanager(body).alert!;
    expect(a).toMatchObject({ source: 'alertmanager', title: 'Failed logins 40x baseline', severity_hint: 'critical', addresses: ['198.51.100.4'], url: 'https://alertmanager.example' });
    expect(fromAlertmanager({ ...body, alerts: [...body.alerts, ...body.alerts] }).alert!.fingerprint).toBe(a.fingerprint);
    expect(fromAlertmanager({ ...body, status: 'resolved' }).alert).toBeNull();
  });

  it('adapts a GuardDuty finding event with its remote addresses and severity band', () => {
    const ev = {
      version: '0',
      id: 'e1',
      'detail-type': 'GuardDuty Finding',
      source: 'aws.guardduty',
      account: '123456789012',
      region: 'eu-west-1',
      time: '2026-01-01T00:00:00Z',
      detail: { id: 'f1', type: 'UnauthorizedAccess:EC2/SSHBruteForce', severity: 8, title: 'SSH brute force', resource: { resourceType: 'Instance' }, service: { action: { networkConnectionAction: { remoteIpDetails: { ipAddressV4: '203.0.113.50' } } } } },
    };
    expect(fromGuardDuty(ev).alert).toMatchObject({ source: 'guardduty', fingerprint: 'gd:f1', severity_hint: 'high', addresses: ['203.0.113.50'], labels: { finding_type: 'UnauthorizedAccess:EC2/SSHBruteForce' } });
    expect(refusal(() => fromGuardDuty({ ...ev, source: 'aws.s3' })).code).toBe('ALERT_INVALID');
  });

  it('adapts a Cloudflare notification', () => {
    // The message Cloudflare sends when a webhook destination is saved opens nothing (and fails nothing).
    expect(fromCloudflare({ text: 'Hello World! This is a test message sent from https://cloudflare.com. If you can see this, your webhook is configured properly.' })).toEqual({ alert: null, why: expect.stringMatching(/test message/) });
    expect(refusal(() => fromCloudflare({ name: 7, text: 'x' })).code).toBe('ALERT_INVALID');
    const a = fromCloudflare({ name: 'Origin health check failing', text: 'Pool down', alert_type: 'load_balancing_health_alert', policy_id: 'p1', account_id: 'acc', data: { ip: '192.0.2.10' } }).alert!;
    expect(a).toMatchObject({ source: 'cloudflare', title: 'Origin health check failing', addresses: ['192.0.2.10'], labels: { alert_type: 'load_balancing_health_alert' } });
  });

  it('adapts code and secret scanning alerts; closed and resolved ones open nothing; the secret is never read', () => {
    const cs = alertFromEvent('code_scanning_alert', { action: 'created', alert: { number: 7, html_url: 'https://github.com/acme/shop/security/code-scanning/7', rule: { id: 'js/sql-injection', security_severity_level: 'high', description: 'SQL injection' }, tool: { name: 'CodeQL' } } });
    expect(cs.alert).toMatchObject({ source: 'code-scanning', fingerprint: 'cs:7', severity_hint: 'high' });
    expect(alertFromEvent('code_scanning_alert', { action: 'fixed', alert: { number: 7, html_url: '', rule: {} } }).alert).toBeNull();
    const ss = alertFromEvent('secret_scanning_alert', { action: 'created', alert: { number: 3, secret_type: 'aws_access_key_id', secret: 'AKIAEXAMPLESECRET123', validity: 'active' } });
    expect(ss.alert).toMatchObject({ source: 'secret-scanning', severity_hint: 'critical', subjects: ['aws_access_key_id'] });
    expect(JSON.stringify(ss)).not.toContain('AKIAEXAMPLESECRET123');
    expect(alertFromEvent('secret_scanning_alert', { action: 'resolved', alert: { number: 3 } }).alert).toBeNull();
    // Actions cannot be triggered by these events: their payloads come in a firebreak-alert dispatch.
    expect(alertFromEvent('repository_dispatch', dispatch('secret-scanning', { action: 'created', alert: { number: 3, secret_type: 'aws_access_key_id' } })).alert).toMatchObject({ fingerprint: 'ss:3' });
  });

  it('labels a storm by source and fingerprint, within GitHub label length', () => {
    expect(fingerprintLabel(native)).toMatch(/^alert:[0-9a-f]{16}$/);
    expect(fingerprintLabel(native)).not.toBe(fingerprintLabel({ ...native, source: 'other' }));
  });
});

const RULES = `
version: 1
alerts:
  automation:
    - { capability: block-ips, max_ttl: 1h }
  rules:
    - name: decoy-hit
      match: { source: honeypot, labels: { kind: decoy_hit } }
      severity: SEV1
      steps: [{ capability: block-ips, apply: true, ttl: 1h }]
    - name: any-critical
      match: { severity_hints: [critical] }
      severity: SEV2
      steps: [{ capability: block-ips }]
`;

describe('alert rules', () => {
  const config = parseConfig(RULES).alerts;
  it('first match wins; automation applies only listed steps, others are dry runs', () => {
    const d = decide({ ...native, subjects: [] }, config)!;
    expect(d).toMatchObject({ severity: 'SEV1', steps: [{ capability: 'block-ips', apply: true, inputs: { addresses: '203.0.113.7', ttl: '1h', target: 'all' } }] });
    expect(d.steps[0]!.inputs['reason']).toBeUndefined();
    expect(String(d.steps[0]!.reason)).toMatch(/^alert honeypot\/decoy:ssh-01 \(rule decoy-hit\)/);
    const other = decide({ ...native, source: 'guardduty', severity_hint: 'critical', subjects: [] }, config)!;
    expect(other).toMatchObject({ severity: 'SEV2', steps: [{ apply: false }] });
    expect(decide({ ...native, source: 'guardduty', subjects: [] }, config)).toBeUndefined();
    expect(decide({ ...native, addresses: [], subjects: [] }, config)!.skipped).toEqual(['block-ips: the alert names no address']);
  });

  it('a label the alert lacks does not match, even one inherited from Object.prototype', () => {
    const cfg = parseConfig(`version: 1\nalerts:\n  rules:\n    - { name: r, match: { labels: { constructor: x } } }\n`).alerts;
    expect(decide({ ...native, subjects: [] }, cfg)).toBeUndefined();
  });

  it('refuses at load: automatic steps that are not listed, longer than max_ttl, or without a ttl', () => {
    const bad = (steps: string, automation = '[{ capability: block-ips, max_ttl: 1h }]') => () => parseConfig(`version: 1\nalerts:\n  automation: ${automation}\n  rules:\n    - { name: r, steps: ${steps} }\n`);
    expect(bad('[{ capability: block-ips, apply: true, ttl: 1h }]', '[]')).toThrow(ConfigError);
    expect(bad('[{ capability: block-ips, apply: true, ttl: 1h }]', '[]')).toThrow(/not listed under alerts.automation/);
    expect(bad('[{ capability: block-ips, apply: true, ttl: 2h }]')).toThrow(/longer than alerts.automation's max_ttl 1h/);
    expect(bad('[{ capability: block-ips, apply: true }]')).toThrow(/needs a ttl/);
    expect(bad('[{ capability: "Rotate Secret" }]')).toThrow(ConfigError);
    // A mapped ttl must be written in the rule, within max_ttl: an alert never sets how long a block lasts.
    expect(bad('[{ capability: block-ips, apply: true, inputs: { ttl: 4h } }]')).toThrow(/longer than alerts.automation's max_ttl 1h/);
    expect(bad('[{ capability: block-ips, apply: true, ttl: 1h, inputs: { ttl: { from: labels.ttl } } }]')).toThrow(/takes its ttl as written in the rule/);
    // Unsafe capabilities stay dry runs: apply needs the capability listed, whatever it is.
    expect(bad('[{ capability: freeze, apply: true }]')).toThrow(/freeze is not listed under alerts.automation/);
    // A mapping is a value or one alert field, never an expression.
    expect(bad('[{ capability: freeze, inputs: { workflows: { from: "process.env.GITHUB_TOKEN" } } }]')).toThrow(ConfigError);
    expect(bad('[{ capability: freeze, inputs: { workflows: { from: title, eval: true } } }]')).toThrow(ConfigError);
  });

  it('maps alert fields and literals into any capability\'s inputs, declaratively', () => {
    const cfg = parseConfig(`version: 1
alerts:
  automation: [{ capability: freeze }, { capability: isolate }]
  rules:
    - name: compromised-host
      match: { source: guardduty }
      steps:
        - { capability: isolate, apply: true, inputs: { target: { from: labels.instance }, capture: false } }
        - { capability: freeze, apply: true, inputs: { workflows: "deploy.yml", lock-environment: { from: labels.env } } }
        - { capability: preserve-evidence, inputs: { from: "\${{ github.token }}", targets: { from: subjects } } }
`).alerts;
    const alert = { ...native, source: 'guardduty', labels: { instance: 'aws:instance:i-0abc', env: 'production' }, subjects: ['aws:s3:logs', 'aws:logs:/app'] };
    const d = decide(alert, cfg)!;
    expect(d.steps.map((s) => [s.capability, s.apply])).toEqual([['isolate', true], ['freeze', true], ['preserve-evidence', false]]);
    expect(d.steps[0]!.inputs).toMatchObject({ target: 'aws:instance:i-0abc', capture: false });
    expect(d.steps[1]!.inputs).toMatchObject({ workflows: 'deploy.yml', 'lock-environment': 'production' });
    // Literals are text as written: nothing expands \${{ }} or anything else.
    expect(d.steps[2]!.inputs).toMatchObject({ from: '\${{ github.token }}', targets: 'aws:s3:logs\naws:logs:/app' });
    expect(d.steps.every((s) => /^alert guardduty\//.test(s.reason))).toBe(true);
    // A field the alert lacks skips that step only, and says which field.
    const partial = decide({ ...alert, labels: { instance: 'aws:instance:i-0abc' } }, cfg)!;
    expect(partial.steps.map((s) => s.capability)).toEqual(['isolate', 'preserve-evidence']);
    expect(partial.skipped).toEqual(['freeze: the alert names no labels.env']);
  });

  it('defaults to no rules and write as the IssueOps minimum', () => {
    const c = parseConfig('version: 1\n');
    expect(c.alerts).toEqual({ automation: [], rules: [] });
    expect(c.issueops).toEqual({ environments: ['production'], min_permission: 'write', capabilities: {} });
  });
});
