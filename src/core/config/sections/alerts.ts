import * as z from 'zod/mini';
import { SEVERITY_HINTS } from '../../alerts/alert.js';
import { REPOSITORY_ROLES } from '../../issueops/permission.js';

/**
 * `alerts:` in firebreak.yml — which alerts open (or join) an incident, at what severity, and which
 * steps they start. Steps run as dry runs unless the rule says `apply: true`, and that is accepted
 * only for a capability listed under `automation` (and within its limits): automation is opted into
 * per step, never implied by a rule.
 */
const ttl = z.string().check(z.regex(/^\d{1,6}[mhdw]$/, 'like 30m, 1h, 24h or 7d'));

/** Capabilities a rule can start, with the input each takes from the alert. */
export const ALERT_RULE_CAPABILITIES = ['block-ips'] as const;

const ruleStep = z.strictObject({
  capability: z.enum(ALERT_RULE_CAPABILITIES),
  /** Only for capabilities listed under `automation`; otherwise the step is planned (dry run). */
  apply: z._default(z.boolean(), false),
  ttl: z.optional(ttl),
  target: z._default(z.enum(['all', 'waf', 'cloudflare']), 'all'),
});

const ruleMatch = z.strictObject({
  /** The alert's source (alertmanager, guardduty, cloudflare, code-scanning, secret-scanning, or yours). */
  source: z.optional(z.string()),
  /** Every label listed must be present with exactly this value. */
  labels: z._default(z.record(z.string(), z.string()), {}),
  /** The alert's severity hint must be one of these. */
  severity_hints: z.optional(z.array(z.enum(SEVERITY_HINTS))),
});

const rule = z.strictObject({
  name: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'rule names are lowercase letters, digits and -')),
  match: z.prefault(ruleMatch, {}),
  /** The incident's severity (an id of incident.severity's scheme); checked by declare. */
  severity: z.optional(z.string()),
  steps: z._default(z.array(ruleStep), []),
});

const automationEntry = z.strictObject({
  capability: z.enum(ALERT_RULE_CAPABILITIES),
  /** The longest block automation may set; a rule asking for more is refused at load. */
  max_ttl: z._default(ttl, '1h'),
});

export const alertsSection = z
  .strictObject({
    /** Steps a rule may apply without a person: the guards still run and the record names the alert. */
    automation: z._default(z.array(automationEntry), []),
    /** First match wins; an alert no rule matches changes nothing (the run says so). */
    rules: z._default(z.array(rule), []),
  })
  .check(
    z.superRefine((section, ctx) => {
      section.rules.forEach((r, i) => {
        r.steps.forEach((s, j) => {
          if (!s.apply) return;
          const safe = section.automation.find((a) => a.capability === s.capability);
          if (!safe) {
            ctx.issues.push({ code: 'custom', input: s, path: ['rules', i, 'steps', j, 'apply'], message: `rule ${r.name}: ${s.capability} is not listed under alerts.automation, so it cannot apply automatically` });
          } else if (s.ttl !== undefined && minutes(s.ttl) > minutes(safe.max_ttl)) {
            ctx.issues.push({ code: 'custom', input: s, path: ['rules', i, 'steps', j, 'ttl'], message: `rule ${r.name}: ttl ${s.ttl} is longer than alerts.automation's max_ttl ${safe.max_ttl} for ${s.capability}` });
          } else if (s.ttl === undefined) {
            ctx.issues.push({ code: 'custom', input: s, path: ['rules', i, 'steps', j, 'ttl'], message: `rule ${r.name}: an automatic ${s.capability} needs a ttl (at most ${safe.max_ttl})` });
          }
        });
      });
    }),
  );

/** `issueops:` — who may run what from an incident issue comment. */
export const issueopsSection = z.strictObject({
  /** The least repository role that may run a command. */
  min_permission: z._default(z.enum(REPOSITORY_ROLES), 'write'),
  /** Per capability (by slug): e.g. `post-update: triage`, `block-ips: maintain`. */
  capabilities: z._default(z.record(z.string(), z.enum(REPOSITORY_ROLES)), {}),
});

export function minutes(t: string): number {
  const n = Number(t.slice(0, -1));
  return n * ({ m: 1, h: 60, d: 1440, w: 10080 } as Record<string, number>)[t.slice(-1)]!;
}

export type AlertsConfig = z.infer<typeof alertsSection>;
export type AlertRule = AlertsConfig['rules'][number];
export type IssueopsConfig = z.infer<typeof issueopsSection>;
