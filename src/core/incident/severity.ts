import type { ChecklistRule, IncidentConfig, SeverityLevel } from '../config/sections/incident.js';
import { ConfigError, InputError } from '../errors.js';

/**
 * Severity schemes and the classifier. A scheme is an ordered list of levels (most severe first)
 * with acknowledgement and update cadences, plus a checklist whose "yes" answers imply a level.
 * Presets come from the seed runbooks; `custom` takes both lists from config.
 */

export interface SeverityScheme {
  name: string;
  levels: SeverityLevel[];
  checklist: ChecklistRule[];
  workaroundLowers: boolean;
  doubtRaises: boolean;
}

const lv = (id: string, name: string, ack: number, every: number): SeverityLevel => ({ id, name, ack_minutes: ack, update_every_minutes: every });
const q = (id: string, question: string, level: string): ChecklistRule => ({ id, question, level });

export const SEVERITY_PRESETS: Readonly<Record<Exclude<IncidentConfig['severity']['scheme'], 'custom'>, SeverityScheme>> = {
  // Seed 002: IC acks in 15 min / 1 h / 4 h / 24 h; 30-min IC updates for SEV-0/1; doubt → one tier up.
  'SEV0-3': {
    name: 'SEV0-3',
    levels: [lv('SEV0', 'Critical', 15, 30), lv('SEV1', 'High', 60, 30), lv('SEV2', 'Medium', 240, 240), lv('SEV3', 'Low', 1440, 1440)],
    checklist: [
      q('phi_accessed', 'May PHI have been accessed by an unauthorized party?', 'SEV0'),
      q('site_down', 'Is the site fully down to customers?', 'SEV0'),
      q('active_exploitation', 'Is there active exploitation in progress?', 'SEV0'),
      q('credential_compromised', 'Is a credential suspected compromised?', 'SEV1'),
      q('major_degradation', 'Is a major customer-facing feature degraded?', 'SEV1'),
      q('minor_degradation', 'Is a minor feature degraded?', 'SEV2'),
    ],
    workaroundLowers: false,
    doubtRaises: true,
  },
  // Seed 003: acknowledge within 15 min for SEV1/2.
  'SEV1-4': {
    name: 'SEV1-4',
    levels: [lv('SEV1', 'Critical', 15, 30), lv('SEV2', 'High', 15, 60), lv('SEV3', 'Medium', 240, 240), lv('SEV4', 'Low', 1440, 1440)],
    checklist: [
      q('data_leaking', 'Is data leaking?', 'SEV1'),
      q('service_down', 'Is the service down?', 'SEV1'),
      q('service_degraded', 'Is the service degraded?', 'SEV2'),
      q('minor_impact', 'Is there minor, contained impact?', 'SEV3'),
    ],
    workaroundLowers: false,
    doubtRaises: false,
  },
  // Seed 004: response times 15 min / 1 h / 4 h / 24 h; a workaround downgrades by one level.
  'P1-P4': {
    name: 'P1-P4',
    levels: [lv('P1', 'Critical', 15, 30), lv('P2', 'High', 60, 60), lv('P3', 'Medium', 240, 240), lv('P4', 'Low', 1440, 1440)],
    checklist: [
      q('service_down', 'Is the service completely down?', 'P1'),
      q('security_breach', 'Is there a security breach or data exposure?', 'P1'),
      q('core_feature_degraded', 'Is a core feature (auth, AI, files) degraded?', 'P2'),
      q('performance_severe', 'Is performance severely impacted (>5s response)?', 'P2'),
      q('non_core_feature', 'Is a non-core feature impacted?', 'P3'),
    ],
    workaroundLowers: true,
    doubtRaises: false,
  },
  // Seed 000: Severity 1 — Critical … Severity 4 — Low.
  '1-4': {
    name: '1-4',
    levels: [lv('1', 'Critical', 15, 30), lv('2', 'High', 60, 60), lv('3', 'Medium', 240, 240), lv('4', 'Low', 1440, 1440)],
    checklist: [
      q('admin_token_leak', 'Has an admin token leaked?', '1'),
      q('unauthorized_access', 'Is unauthorized access confirmed?', '1'),
      q('children_data_exposed', "Is children's data exposed?", '1'),
      q('large_scale_automation', 'Is there a large-scale automation attack?', '1'),
      q('logs_tampered', 'Were logs tampered with or wiped?', '1'),
      q('server_breach', 'Was a server breached?', '1'),
      q('repeated_suspicious_requests', 'Are there repeated suspicious requests?', '2'),
      q('bot_patterns', 'Are there bot patterns?', '2'),
      q('endpoint_misuse', 'Was endpoint misuse attempted?', '2'),
      q('isolated_anomalies', 'Are there isolated anomalies?', '3'),
      q('temporary_performance', 'Are there temporary performance issues?', '3'),
      q('metric_errors', 'Are there metric calculation errors?', '3'),
      q('incorrect_ui', 'Is UI behaviour incorrect?', '4'),
      q('minor_warnings', 'Are there minor warnings?', '4'),
    ],
    workaroundLowers: false,
    doubtRaises: false,
  },
};

/** Resolves the configured scheme; a custom scheme with a checklist naming an unknown level is a config error. */
export function resolveScheme(config: Pick<IncidentConfig, 'severity'>): SeverityScheme {
  const s = config.severity;
  const preset = s.scheme === 'custom' ? undefined : SEVERITY_PRESETS[s.scheme];
  const levels = s.levels ?? preset?.levels;
  if (!levels) throw schemeError('incident.severity.levels', 'a custom scheme needs levels');
  const checklist = s.checklist ?? preset?.checklist ?? [];
  const ids = new Set(levels.map((l) => l.id));
  if (ids.size !== levels.length) throw schemeError('incident.severity.levels', 'level ids must be unique');
  for (const rule of checklist) {
    if (!ids.has(rule.level)) throw schemeError('incident.severity.checklist', `checklist "${rule.id}" names unknown level "${rule.level}"`);
  }
  return {
    name: s.scheme === 'custom' ? 'custom' : s.scheme,
    levels,
    checklist,
    workaroundLowers: s.workaround_lowers ?? preset?.workaroundLowers ?? false,
    doubtRaises: s.doubt_raises ?? preset?.doubtRaises ?? false,
  };
}

function schemeError(field: string, message: string): ConfigError {
  return new ConfigError(`${field}: ${message}`, [{ file: 'firebreak.yml', line: 0, column: 0, field, message }]);
}

export function findLevel(scheme: SeverityScheme, id: string): SeverityLevel {
  const level = scheme.levels.find((l) => l.id.toLowerCase() === id.trim().toLowerCase());
  if (!level) {
    throw new InputError(`unknown severity "${id}"; this scheme has ${scheme.levels.map((l) => l.id).join(', ')}`, { field: 'severity', code: 'SEVERITY_UNKNOWN' });
  }
  return level;
}

/** 0 = most severe. */
export function rankOf(scheme: SeverityScheme, id: string): number {
  return scheme.levels.indexOf(findLevel(scheme, id));
}

export interface ClassifyAnswers {
  /** Checklist id → yes/no. Unknown ids are refused so a typo cannot silently lower severity. */
  answers: Record<string, boolean>;
  workaround?: boolean;
  unsure?: boolean;
}

export interface Classification {
  severity: string;
  reasons: string[];
}

/**
 * The most severe level any "yes" implies (the least severe when none does), then: a workaround
 * lowers one level where the scheme says so; doubt raises one level where the scheme says so.
 */
export function classify(scheme: SeverityScheme, input: ClassifyAnswers): Classification {
  const known = new Map(scheme.checklist.map((r) => [r.id, r]));
  for (const key of Object.keys(input.answers)) {
    if (!known.has(key)) {
      throw new InputError(`unknown checklist item "${key}"; known: ${[...known.keys()].join(', ')}`, { field: 'answers', code: 'CHECKLIST_UNKNOWN' });
    }
  }
  const reasons: string[] = [];
  let rank = scheme.levels.length - 1;
  let matched = false;
  for (const rule of scheme.checklist) {
    if (input.answers[rule.id] !== true) continue;
    matched = true;
    const r = scheme.levels.findIndex((l) => l.id === rule.level);
    reasons.push(`${rule.question} yes → ${rule.level}`);
    if (r < rank) rank = r;
  }
  if (!matched) reasons.push(`no checklist item answered yes → ${scheme.levels[rank]!.id} (lowest)`);
  else reasons.unshift(`most severe match → ${scheme.levels[rank]!.id}`);
  if (input.workaround) {
    if (scheme.workaroundLowers && rank < scheme.levels.length - 1) {
      rank++;
      reasons.push(`a workaround exists → one level lower: ${scheme.levels[rank]!.id}`);
    } else if (scheme.workaroundLowers) {
      reasons.push('a workaround exists, already at the lowest level');
    }
  }
  if (input.unsure) {
    if (scheme.doubtRaises && rank > 0) {
      rank--;
      reasons.push(`when in doubt, one level higher → ${scheme.levels[rank]!.id}`);
    } else if (scheme.doubtRaises) {
      reasons.push('in doubt, already at the highest level');
    }
  }
  return { severity: scheme.levels[rank]!.id, reasons };
}
