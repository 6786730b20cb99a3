import * as z from 'zod/mini';
import { SEVERITY_HINTS } from '../../alerts/alert.js';
import { REPOSITORY_ROLES } from '../../issueops/permission.js';

/**
 * `alerts:` in firebreak.yml — which alerts open (or join) an incident, at what severity, and which
 * steps they start. Steps run as dry runs unless the rule says `apply: true`, and that is accepted
 * only for a capability listed under `automation` (and within its limits): automation is opted into
 * per step, never implied by a rule.
 */
const TTL = /^\d{1,6}[mhdw]$/;
const ttl = z.string().check(z.regex(TTL, 'like 30m, 1h, 24h or 7d'));
/** Capabilities whose change expires: automation must say for how long, within max_ttl. */
const TTL_CAPABILITIES = new Set(['block-ips']);

/** A step's ttl, from the shorthand or its inputs (a mapping object is not a literal ttl). */
function ttlOf(s: { ttl?: string | undefined; inputs: Record<string, unknown> }): unknown {
  return s.inputs['ttl'] ?? s.ttl;
}

/**
 * A capability slug. Which slugs exist is the registry's business (src/capabilities), read at run
 * time: a config that names an unknown or unbuilt capability is refused before anything runs.
 */
const capabilitySlug = z.string().check(z.regex(/^[a-z][a-z0-9-]{1,39}$/, 'a capability slug, e.g. block-ips, freeze, isolate'));

/** The alert fields a rule may hand to a step: values only, never a template or code. */
export const ALERT_FIELDS = ['source', 'fingerprint', 'title', 'severity_hint', 'url', 'addresses', 'subjects'] as const;
const alertField = z.string().check(z.regex(/^(source|fingerprint|title|severity_hint|url|addresses|subjects|labels\.[A-Za-z_][\w.\-/]{0,99})$/, `one of ${ALERT_FIELDS.join(', ')} or labels.<name>`));

/**
 * One input of a rule's step: a literal (text, number or yes/no: used as written, `${…}` included),
 * or `{ from: <alert field> }`. A list field (addresses, subjects) is joined with newlines unless
 * `first: true` takes only its first item. Nothing is evaluated.
 */
export const inputMapping = z.union([
  z.string().check(z.maxLength(4000)),
  z.number(),
  z.boolean(),
  z.strictObject({ from: alertField, first: z.optional(z.boolean()) }),
]);
export type InputMapping = z.infer<typeof inputMapping>;

const ruleStep = z.strictObject({
  capability: capabilitySlug,
  /** Only for capabilities listed under `automation`; otherwise the step is planned (dry run). */
  apply: z._default(z.boolean(), false),
  /** Shorthands kept for block-ips rules: the same as `inputs: { ttl, target }`. */
  ttl: z.optional(ttl),
  target: z.optional(z.enum(['all', 'waf', 'cloudflare'])),
  /** The step's inputs by their public names (as on the button and the CLI): literals or alert fields. */
  inputs: z._default(z.record(z.string().check(z.regex(/^[a-z][a-z0-9-]{0,63}$/, 'input names as on the button and CLI: lowercase, digits, -')), inputMapping), {}),
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
  capability: capabilitySlug,
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
            return;
          }
          const stepTtl = ttlOf(s);
          if (stepTtl !== undefined && typeof stepTtl !== 'string') {
            ctx.issues.push({ code: 'custom', input: s, path: ['rules', i, 'steps', j, 'inputs', 'ttl'], message: `rule ${r.name}: an automatic ${s.capability} takes its ttl as written in the rule (like 1h), not from the alert` });
          } else if (stepTtl !== undefined && !TTL.test(stepTtl)) {
            ctx.issues.push({ code: 'custom', input: s, path: ['rules', i, 'steps', j, 'inputs', 'ttl'], message: `rule ${r.name}: ttl ${stepTtl} is not like 30m, 1h, 24h or 7d` });
          } else if (stepTtl !== undefined && minutes(stepTtl) > minutes(safe.max_ttl)) {
            ctx.issues.push({ code: 'custom', input: s, path: ['rules', i, 'steps', j, 'ttl'], message: `rule ${r.name}: ttl ${stepTtl} is longer than alerts.automation's max_ttl ${safe.max_ttl} for ${s.capability}` });
          } else if (stepTtl === undefined && TTL_CAPABILITIES.has(s.capability)) {
            ctx.issues.push({ code: 'custom', input: s, path: ['rules', i, 'steps', j, 'ttl'], message: `rule ${r.name}: an automatic ${s.capability} needs a ttl (at most ${safe.max_ttl})` });
          }
        });
      });
    }),
  );

/** A GitHub environment name as it may appear in a job's `environment:` (checked, never free text). */
export const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** `issueops:` — who may run what from an incident issue comment. */
export const issueopsSection = z.strictObject({
  /**
   * The protected environments a production command may run in (their reviewers approve it, and
   * the responder role trusts their OIDC subject). The first is used when the comment names none;
   * `--environment NAME` picks another one of these, and any other name is refused.
   */
  environments: z._default(
    z.array(z.string().check(z.regex(ENVIRONMENT_NAME, 'an environment name: letters, digits, . _ - (at most 100)'))).check(z.minLength(1), z.maxLength(20)),
    ['production'],
  ),
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
