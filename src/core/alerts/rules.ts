import type { AlertRule, AlertsConfig } from '../config/sections/alerts.js';
import { sanitiseText } from '../ip/expiry.js';
import type { Alert } from './alert.js';

/**
 * What an alert asks for under the config's rules: the first rule that matches wins. Pure: the
 * runtime turns each planned step into a run through the session, with the guards.
 */
export interface PlannedStep {
  capability: AlertRule['steps'][number]['capability'];
  /** true only when the rule says apply and the capability is listed under alerts.automation. */
  apply: boolean;
  raw: Record<string, unknown>;
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
export function alertReason(alert: Alert, rule: AlertRule): string {
  return sanitiseText(`alert ${alert.source}/${alert.fingerprint} (rule ${rule.name}): ${alert.title}`, 200);
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
    if (s.capability === 'block-ips') {
      if (alert.addresses.length === 0) {
        skipped.push('block-ips: the alert names no address');
        continue;
      }
      steps.push({ capability: 'block-ips', apply, raw: { addresses: alert.addresses.join('\n'), reason: alertReason(alert, rule), ...(s.ttl ? { ttl: s.ttl } : {}), target: s.target } });
    }
  }
  return { rule, severity: rule.severity, steps, skipped };
}
