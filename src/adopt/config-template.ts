import { stringify } from 'yaml';

/** What `firebreak init` asks for (or takes from flags) to write a first firebreak.yml. */
export interface InitAnswers {
  project: string;
  repository: string;
  scheme: 'SEV0-3' | 'SEV1-4' | 'P1-P4' | '1-4';
  roster: Record<string, string[]>;
  regimes: Regime[];
  dataCategories: string[];
  protectedRanges: Array<{ cidr: string; label?: string }>;
  timezone: string;
}

export const REGIMES = ['gdpr', 'hipaa', 'us-states', 'sec', 'nis2', 'dora'] as const;
export type Regime = (typeof REGIMES)[number];

/**
 * The four severity schemes of the seed runbooks: SEV0-3 (most severe is SEV0), SEV1-4, P1-P4 and
 * 1-4. The choice only names the levels; the criteria come from firebreak's classifier.
 */
export const SCHEMES = ['SEV0-3', 'SEV1-4', 'P1-P4', '1-4'] as const;

/**
 * firebreak.yml as YAML with a short comment per section. Rendered from data (never by pasting
 * answers into text), so a hostile project name cannot inject keys; `config check` validates it.
 */
export function renderConfig(a: InitAnswers): string {
  const doc = {
    version: 1,
    project: { name: a.project, repository: a.repository },
    protected_ranges: a.protectedRanges.map((r) => (r.label ? { cidr: r.cidr, label: r.label } : r.cidr)),
    incident: {
      severity: { scheme: a.scheme },
      roster: a.roster,
      regimes: {
        gdpr: { enabled: a.regimes.includes('gdpr') },
        hipaa: { enabled: a.regimes.includes('hipaa') },
        us_states: { enabled: a.regimes.includes('us-states'), categories: a.dataCategories },
        sec: { enabled: a.regimes.includes('sec') },
        nis2: { enabled: a.regimes.includes('nis2') },
        dora: { enabled: a.regimes.includes('dora') },
      },
      timezone: a.timezone,
    },
  };
  const body = stringify(doc, { lineWidth: 0 });
  return [
    '# firebreak.yml: written by `firebreak init`. Validate with `firebreak config check`;',
    '# every field is documented in firebreak.example.yml and docs/operators/config.md.',
    '#',
    '# protected_ranges: addresses firebreak refuses to block, so a responder cannot lock out the',
    '# team. Add your office egress and any self-hosted runner egress; GitHub-hosted runners have no',
    '# fixed egress (their ranges are published at https://api.github.com/meta, `actions`).',
    body.trimEnd(),
    '',
  ].join('\n');
}
