import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { InputError } from '../errors.js';
import { alertSchema, checkAlertSize, dispatchPayloadSchema, parseWith, type Alert, type AlertFormat, type SeverityHint } from './alert.js';

/**
 * From each sender's own payload to one `Alert`. Each adapter reads only the fields it needs
 * through a schema (unknown fields pass, wrong types are refused), then the result is checked by
 * the Alert schema itself, so a hostile sender gets the same limits as the native format.
 * `null`: the event is real but opens nothing (a resolved alert, a closed code-scanning alert).
 */
export type Adapted = { alert: Alert } | { alert: null; why: string };

const str = z.optional(z.string());
const strRecord = z._default(z.record(z.string(), z.string()), {});

const ADDRESS_KEYS = ['source_ip', 'src_ip', 'client_ip', 'remote_ip', 'ip', 'address', 'instance_ip'];

function addressesIn(...maps: Array<Record<string, string> | undefined>): string[] {
  const out = new Set<string>();
  for (const m of maps) for (const k of ADDRESS_KEYS) if (m?.[k]) for (const a of m[k].split(/[\s,]+/)) if (a) out.add(a);
  return [...out];
}

function hintOf(value: string | undefined): SeverityHint | undefined {
  const v = value?.toLowerCase();
  if (v === 'critical' || v === 'page' || v === 'sev1' || v === 'p1') return 'critical';
  if (v === 'high' || v === 'error' || v === 'major') return 'high';
  if (v === 'medium' || v === 'warning' || v === 'moderate') return 'medium';
  if (v === 'low' || v === 'minor') return 'low';
  if (v === 'info' || v === 'none' || v === 'note') return 'info';
  return undefined;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/* Alertmanager webhook (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
const alertmanagerSchema = z.looseObject({
  version: z.string(),
  groupKey: z.string().check(z.maxLength(1000)),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  commonLabels: strRecord,
  commonAnnotations: strRecord,
  externalURL: str,
  alerts: z.array(z.looseObject({ status: z.string(), labels: strRecord, annotations: strRecord })).check(z.maxLength(500)),
});

export function fromAlertmanager(body: unknown): Adapted {
  const am = parseWith(alertmanagerSchema, body, 'the Alertmanager webhook');
  if (am.status !== 'firing') return { alert: null, why: 'the Alertmanager group is resolved' };
  const firing = am.alerts.filter((a) => a.status === 'firing');
  const labels = am.commonLabels;
  return {
    alert: alertSchema.parse({
      source: 'alertmanager',
      fingerprint: `am:${hash(am.groupKey)}`,
      title: clip(am.commonAnnotations.summary ?? labels.alertname ?? am.receiver, 200),
      severity_hint: hintOf(labels.severity),
      labels: Object.fromEntries(Object.entries(labels).slice(0, 50)),
      addresses: addressesIn(labels, ...firing.map((a) => a.labels), ...firing.map((a) => a.annotations)).slice(0, 100),
      subjects: [],
      ...(am.externalURL?.startsWith('https://') ? { url: am.externalURL } : {}),
    }),
  };
}

/* GuardDuty finding as EventBridge delivers it (detail-type "GuardDuty Finding"). */
const remoteIp = z.optional(z.looseObject({ remoteIpDetails: z.optional(z.looseObject({ ipAddressV4: str, ipAddressV6: str })) }));
const guardDutySchema = z.looseObject({
  'detail-type': z.literal('GuardDuty Finding'),
  source: z.literal('aws.guardduty'),
  account: z.string(),
  region: z.string(),
  detail: z.looseObject({
    id: z.string().check(z.maxLength(200)),
    type: z.string().check(z.maxLength(200)),
    severity: z.number(),
    title: z.string(),
    resource: z.optional(z.looseObject({ resourceType: str })),
    service: z.optional(
      z.looseObject({
        action: z.optional(
          z.looseObject({
            networkConnectionAction: remoteIp,
            awsApiCallAction: remoteIp,
            kubernetesApiCallAction: remoteIp,
            portProbeAction: z.optional(z.looseObject({ portProbeDetails: z.optional(z.array(z.looseObject({ remoteIpDetails: z.optional(z.looseObject({ ipAddressV4: str })) }))) })),
          }),
        ),
      }),
    ),
  }),
});

export function fromGuardDuty(body: unknown): Adapted {
  const ev = parseWith(guardDutySchema, body, 'the GuardDuty finding event');
  const d = ev.detail;
  const action = d.service?.action;
  const ips = [action?.networkConnectionAction, action?.awsApiCallAction, action?.kubernetesApiCallAction]
    .flatMap((a) => [a?.remoteIpDetails?.ipAddressV4, a?.remoteIpDetails?.ipAddressV6])
    .concat((action?.portProbeAction?.portProbeDetails ?? []).map((p) => p.remoteIpDetails?.ipAddressV4))
    .filter((ip): ip is string => typeof ip === 'string' && ip !== '');
  // GuardDuty's own bands: 9+ critical, 7+ high, 4+ medium, else low.
  const hint: SeverityHint = d.severity >= 9 ? 'critical' : d.severity >= 7 ? 'high' : d.severity >= 4 ? 'medium' : 'low';
  return {
    alert: alertSchema.parse({
      source: 'guardduty',
      // GuardDuty updates one finding (same id, higher count) while the activity goes on: one storm.
      fingerprint: `gd:${d.id}`,
      title: clip(d.title, 200),
      severity_hint: hint,
      labels: { finding_type: d.type, account: ev.account, region: ev.region, ...(d.resource?.resourceType ? { resource_type: d.resource.resourceType } : {}) },
      addresses: [...new Set(ips)].slice(0, 100),
      subjects: [],
    }),
  };
}

/* Cloudflare notification webhook (generic webhook destination). */
const cloudflareSchema = z.looseObject({
  // Absent only in the test message Cloudflare sends when a webhook destination is saved.
  name: z.optional(z.string()),
  text: z.string(),
  alert_type: str,
  policy_id: str,
  account_id: str,
  alert_correlation_id: str,
  data: z.optional(z.record(z.string(), z.unknown())),
});

export function fromCloudflare(body: unknown): Adapted {
  const cf = parseWith(cloudflareSchema, body, 'the Cloudflare notification');
  // Saving a webhook destination sends {"text": "Hello World! This is a test message …"}: no alert.
  if (cf.name === undefined && cf.alert_type === undefined) return { alert: null, why: 'a Cloudflare message without a name or alert type (the destination test message)' };  const data = Object.fromEntries(Object.entries(cf.data ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const key = cf.alert_correlation_id ?? `${cf.policy_id ?? 'policy'}:${cf.alert_type ?? cf.name}`;
  return {
    alert: alertSchema.parse({
      source: 'cloudflare',
      fingerprint: `cf:${hash(key)}`,
      title: clip(cf.name || cf.text || cf.alert_type || 'Cloudflare notification', 200),
      labels: { ...(cf.alert_type ? { alert_type: cf.alert_type } : {}), ...(cf.account_id ? { account: cf.account_id } : {}) },
      addresses: addressesIn(data),
      subjects: [],
    }),
  };
}

/* GitHub's own events (payload shapes from @octokit/webhooks-schemas). */
const codeScanningSchema = z.looseObject({
  action: z.string(),
  alert: z.looseObject({
    number: z.number(),
    html_url: z.string(),
    rule: z.looseObject({ id: z.nullish(z.string()), severity: z.nullish(z.string()), security_severity_level: z.nullish(z.string()), description: z.nullish(z.string()) }),
    tool: z.nullish(z.looseObject({ name: z.string() })),
  }),
});

export function fromCodeScanning(body: unknown): Adapted {
  const ev = parseWith(codeScanningSchema, body, 'the code_scanning_alert event');
  if (!['created', 'reopened', 'appeared_in_branch', 'reopened_by_user'].includes(ev.action)) return { alert: null, why: `code scanning alert ${ev.alert.number} was ${ev.action}` };
  const rule = ev.alert.rule;
  return {
    alert: alertSchema.parse({
      source: 'code-scanning',
      fingerprint: `cs:${ev.alert.number}`,
      title: clip(`Code scanning: ${rule.description ?? rule.id ?? 'alert'}`, 200),
      severity_hint: hintOf(rule.security_severity_level ?? rule.severity ?? undefined),
      labels: { ...(rule.id ? { rule: rule.id.slice(0, 1000) } : {}), ...(ev.alert.tool?.name ? { tool: ev.alert.tool.name.slice(0, 1000) } : {}) },
      addresses: [],
      subjects: [],
      ...(ev.alert.html_url.startsWith('https://') ? { url: ev.alert.html_url } : {}),
    }),
  };
}

const secretScanningSchema = z.looseObject({
  action: z.string(),
  alert: z.looseObject({ number: z.number(), html_url: z.optional(z.string()), secret_type: z.optional(z.string()), secret_type_display_name: z.nullish(z.string()), validity: z.nullish(z.string()) }),
});

export function fromSecretScanning(body: unknown): Adapted {
  const ev = parseWith(secretScanningSchema, body, 'the secret_scanning_alert event');
  if (!['created', 'reopened', 'publicly_leaked'].includes(ev.action)) return { alert: null, why: `secret scanning alert ${ev.alert.number} was ${ev.action}` };
  const kind = ev.alert.secret_type_display_name ?? ev.alert.secret_type ?? 'secret';
  // The secret itself is never read: only its type and the alert's number and link.
  return {
    alert: alertSchema.parse({
      source: 'secret-scanning',
      fingerprint: `ss:${ev.alert.number}`,
      title: clip(`Secret scanning: ${kind} exposed`, 200),
      severity_hint: ev.alert.validity === 'inactive' ? 'medium' : 'critical',
      labels: { ...(ev.alert.secret_type ? { secret_type: ev.alert.secret_type.slice(0, 1000) } : {}), ...(ev.alert.validity ? { validity: ev.alert.validity } : {}), ...(ev.action === 'publicly_leaked' ? { publicly_leaked: 'true' } : {}) },
      addresses: [],
      subjects: ev.alert.secret_type ? [ev.alert.secret_type.slice(0, 200)] : [],
      ...(ev.alert.html_url?.startsWith('https://') ? { url: ev.alert.html_url } : {}),
    }),
  };
}

const ADAPTERS: Readonly<Record<AlertFormat, (body: unknown) => Adapted>> = {
  firebreak: (body) => ({ alert: parseWith(alertSchema, body, 'the alert') }),
  alertmanager: fromAlertmanager,
  guardduty: fromGuardDuty,
  cloudflare: fromCloudflare,
  'code-scanning': fromCodeScanning,
  'secret-scanning': fromSecretScanning,
};

/** The events the alert workflow is triggered by, and how each becomes an Alert. */
export function alertFromEvent(eventName: string, payload: unknown): Adapted {
  checkAlertSize(payload, `the ${eventName} payload`);
  if (eventName === 'repository_dispatch') {
    const ev = parseWith(z.looseObject({ action: z.string(), client_payload: z.unknown() }), payload, 'the repository_dispatch event');
    if (ev.action !== 'firebreak-alert') throw new InputError(`repository_dispatch type ${JSON.stringify(ev.action.slice(0, 40))} is not firebreak-alert`, { field: 'event_type', code: 'ALERT_INVALID' });
    const dispatch = parseWith(dispatchPayloadSchema, ev.client_payload, 'client_payload');
    return ADAPTERS[dispatch.format](dispatch.body);
  }
  if (eventName === 'code_scanning_alert') return fromCodeScanning(payload);
  if (eventName === 'secret_scanning_alert') return fromSecretScanning(payload);
  throw new InputError(`the alert entry point does not read ${eventName.slice(0, 40)} events`, { field: 'event', code: 'ALERT_INVALID' });
}

/** Deterministic and short: a group key may be long and carry label values. */
function hash(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex').slice(0, 16);
}
