import type { AlertRule, AlertsConfig, InputMapping } from '../config/sections/alerts.js';
import { sanitiseText } from '../ip/expiry.js';
import type { Alert } from './alert.js';

/**
 * What an alert asks for under the config's rules: the first rule that matches wins. Pure: the
 * runtime checks each planned step's inputs with the capability's own input schema, then runs it
 * through the session, with the guards.
 */
export interface PlannedStep {
  capability: string;
  /** true only when the rule says apply and the capability is listed under alerts.automation. */
  apply: boolean;
  /** The step's inputs by public name (as typed on the button or the CLI), values only. */
  inputs: Record<string, string | boolean>;
  /** The alert reason, for a capability that takes a `reason` the rule did not set. */
  reason: string;
}

export interface AlertDecision {
  rule: AlertRule;
  severity: string | undefined;
  steps: PlannedStep[];
  /** Steps a rule wanted but could not start (e.g. block-ips with no address in the alert). */
  skipped: string[];
}

export function matchRule(alert: Alert, config: AlertsConfig): AlertRule | undefined {
  return config.rules.find((r) => {
    if (r.match.source !== undefined && r.match.source !== alert.source) return false;
    if (r.match.severity_hints && (!alert.severity_hint || !r.match.severity_hints.includes(alert.severity_hint))) return false;
    return Object.entries(r.match.labels).every(([k, v]) => Object.hasOwn(alert.labels, k) && alert.labels[k] === v);
  });
}

/** The reason every automated record carries: the alert is the actor's reason. */
export function alertReason(alert: Alert, rule: Pick<AlertRule, 'name'>): string {
  return sanitiseText(`alert ${alert.source}/${alert.fingerprint} (rule ${rule.name}): ${alert.title}`, 200);
}

/** A mapped value the alert does not have: the step cannot start, and the run says which field. */
export class MissingAlertField extends Error {
  constructor(readonly field: string) {
    super(`the alert has no ${field}`);
  }
}

/**
 * One input's value from the rule's declarative mapping: a literal is used as written (never
 * expanded or evaluated); `{ from }` copies one alert field. Numbers become text, as every other
 * entry point passes them.
 */
export function mapInput(alert: Alert, mapping: InputMapping): string | boolean {
  if (typeof mapping === 'string' || typeof mapping === 'boolean') return mapping;
  if (typeof mapping === 'number') return String(mapping);
  const value = alertField(alert, mapping.from);
  if (value !== undefined && typeof value !== 'string') {
    const items = value.filter((v) => v !== '');
    if (items.length === 0) throw new MissingAlertField(mapping.from);
    return mapping.first ? items[0]! : items.join('\n');
  }
  if (value === undefined || value === '') throw new MissingAlertField(mapping.from);
  return value;
}

function alertField(alert: Alert, field: string): string | readonly string[] | undefined {
  if (field.startsWith('labels.')) {
    const name = field.slice('labels.'.length);
    return Object.hasOwn(alert.labels, name) ? alert.labels[name] : undefined;
  }
  switch (field) {
    case 'source':
      return alert.source;
    case 'fingerprint':
      return alert.fingerprint;
    case 'title':
      return alert.title;
    case 'severity_hint':
      return alert.severity_hint;
    case 'url':
      return alert.url;
    case 'addresses':
      return alert.addresses;
    case 'subjects':
      return alert.subjects;
    default:
      // The section's schema admits only the fields above; a config built some other way gets nothing.
      return undefined;
  }
}

/** What a block-ips rule without `inputs` has always meant: the alert's addresses, the rule's ttl and target. */
function shorthandInputs(step: AlertRule['steps'][number]): Record<string, InputMapping> {
  const out: Record<string, InputMapping> = {};
  if (step.capability === 'block-ips') out['addresses'] = { from: 'addresses' };
  if (step.ttl !== undefined) out['ttl'] = step.ttl;
  if (step.target !== undefined) out['target'] = step.target;
  else if (step.capability === 'block-ips') out['target'] = 'all';
  return out;
}

export function decide(alert: Alert, config: AlertsConfig): AlertDecision | undefined {
  const rule = matchRule(alert, config);
  if (!rule) return undefined;
  const steps: PlannedStep[] = [];
  const skipped: string[] = [];
  for (const s of rule.steps) {
    // The section's schema already refuses apply on an unlisted capability; this keeps a config
    // object built some other way from applying either.
    const apply = s.apply && config.automation.some((a) => a.capability === s.capability);
    const mapping = { ...shorthandInputs(s), ...s.inputs };
    const inputs: Record<string, string | boolean> = {};
    try {
      for (const [name, m] of Object.entries(mapping)) inputs[name] = mapInput(alert, m);
    } catch (error) {
      if (!(error instanceof MissingAlertField)) throw error;
      skipped.push(`${s.capability}: the alert names no ${error.field === 'addresses' ? 'address' : error.field}`);
      continue;
    }
    steps.push({ capability: s.capability, apply, inputs, reason: alertReason(alert, rule) });
  }
  return { rule, severity: rule.severity, steps, skipped };
}
