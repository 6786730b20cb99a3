import type { FirebreakConfig } from './schema.js';

/**
 * What `parseConfig('version: 1\n')` returns: the config of a repository without a firebreak.yml.
 * Written out so that such a run (most action runs) loads neither the YAML parser nor the schema,
 * about 150 KB of code that every action would otherwise compile on start. `defaults.test.ts`
 * fails when the schema's defaults change and this copy does not: update it from that test's diff.
 */
const DEFAULT_CONFIG: FirebreakConfig = {
  version: 1,
  project: { name: 'firebreak' },
  limits: { max_changes_per_run: 10_000 },
  protected_ranges: [],
  incident: {
    severity: { scheme: 'SEV0-3' },
    roster: {},
    escalation: [],
    regimes: {
      undue_delay_target_hours: 72,
      gdpr: { enabled: true },
      hipaa: { enabled: true },
      us_states: { enabled: true, overrides: {} },
      sec: { enabled: true },
      nis2: { enabled: true },
      dora: { enabled: true },
      uk_gdpr: { enabled: true },
      ftc_hbnr: { enabled: true },
      glba: { enabled: true },
      ny_dfs: { enabled: true },
      eu_cra: { enabled: true },
      pipeda: { enabled: true },
      quebec: { enabled: true },
      au_ndb: { enabled: true },
      lgpd: { enabled: true },
      dpdp: { enabled: true },
      pdpa_sg: { enabled: true },
      custom: [],
    },
    warn_before_hours: [24, 4],
    containment_steps: ['block-ips', 'rotate-secret', 'disable-routes', 'limit-rate', 'isolate', 'freeze', 'rollback', 'record-containment'],
    postmortem: { path: 'docs/session-log/{date}-incident-{slug}.md', front_matter: true, base_branch: 'main' },
    own_clocks: [],
    commander: [],
    routes: {},
    ticks: { slot_minutes: 5 },
  },
  blocking: {
    max_breadth: { ipv4: 16, ipv6: 32 },
    max_share_percent: { ipv4: 0.1, ipv6: 0.000001 },
    default_ttl: '24h',
    max_ttl_hours: 2160,
    waf: { ip_sets: [] },
    cloudflare: { capacity: 10_000 },
    ledger_prefix: 'block-ledger/',
  },
  access: { protected: [], ledger_prefix: 'access-ledger/' },
  routes: { protected: [], cloudflare_regex: false, waf_response: { status: 503, retry_after_seconds: 300 }, verify_after: [], ledger_prefix: 'edge-ledger/' },
  rate_limits: { min_limit: 10, verify_after: [] },
  health: { checks: [], alarms: [], alarm_wait_seconds: 300, alarm_poll_seconds: 15 },
  rollback: { verify_after: [] },
  restart_service: { verify_after: [] },
  notify: { channels: {}, roster: {}, routes: [], templates: {}, allow_loopback_http: false },
  fleet: { targets: [], sets: {}, concurrency: 32, batch_size: 4, max_parallel: 20 },
  alerts: { automation: [], rules: [] },
  issueops: { environments: ['production'], min_permission: 'write', capabilities: {} },
  drill: { targets: {} },
};

/** A fresh copy each call: callers own their config and may change it. */
export function defaultConfig(): FirebreakConfig {
  return structuredClone(DEFAULT_CONFIG);
}
