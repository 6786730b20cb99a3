import { keySegment } from '../../core/evidence/targets.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { recordedOnIssue } from '../../drill/runbook/incident-ledger.js';
import { ensureAwsKit } from '../../drill/runbook/kit.js';
import { evidenceKeys, expectedTriage, readEvidence, seeded, type SeededRecord } from '../../drill/runbook/kit-evidence.js';
import type { RunbookWorld } from '../../drill/runbook/world.js';
import { check, checkEqual, type Expectation } from '../../drill/scenario.js';

/**
 * triage in a runbook drill: it searches what preserve-evidence kept (`evidence:logs/`,
 * `evidence:files/`, `evidence:cloudtrail/`), which that fixture seeded with the incident's records. verify counts,
 * without triage's scanner, which seeded records each indicator matches and the distinct subjects
 * they name, and compares that with the report triage kept in the evidence bucket, the count on
 * the record, and the facts file; the indicators must really match something.
 */

interface KeptReport {
  records: number;
  hitRecords: number;
  indicators: Array<{ indicator: string; hits: number }>;
  affected?: { field: string; count: number; missing: number; sha256: string };
}

/** The seeded records behind an `evidence:<path>` source of this incident. */
async function recordsBehind(world: RunbookWorld, incident: string, source: string): Promise<SeededRecord[] | undefined> {
  const s = seeded(world);
  if (!source.startsWith('evidence:')) return undefined;
  const path = source.slice('evidence:'.length).replace(/^\/+/, '');
  const keys = await evidenceKeys(world, incident, path);
  const out: SeededRecord[] = [];
  const groups = new Set<string>();
  // A group is kept as one object per slice of the window; its seeded records all lie inside it.
  for (const key of keys) {
    const logs = /\/evidence\/logs\/(.+)\/[^/]+\.ndjson$/.exec(key);
    if (logs) {
      const group = [...s.logs.keys()].find((g) => logs[1] === keySegment(g));
      if (!group) return undefined;
      if (!groups.has(group)) out.push(...s.logs.get(group)!);
      groups.add(group);
      continue;
    }
    const trail = /\/evidence\/cloudtrail\/user\/([^/]+)\/[^/]+\.ndjson$/.exec(key);
    if (trail && s.trails.has(trail[1]!)) {
      out.push(...s.trails.get(trail[1]!)!);
      continue;
    }
    const file = /\/evidence\/files\/(.+)$/.exec(key);
    if (file && s.files.has(file[1]!)) {
      out.push(...s.files.get(file[1]!)!);
      continue;
    }
    return undefined;
  }
  return out;
}

export const triageFixture: RunbookFixture = {
  async prepare(world) {
    await ensureAwsKit(world);
  },

  async verify(world, outcome) {
    const out: Expectation[] = [];
    const incident = outcome.incidentId ?? world.incidentId;
    const input = outcome.input;
    const subjectField = typeof input['subject-field'] === 'string' ? input['subject-field'] : undefined;
    const sources = String(input.sources ?? '').split(/\r?\n|,/).map((s) => s.trim()).filter(Boolean);
    if (!incident) return [check('triage ran in a declared incident', false)];
    const records: SeededRecord[] = [];
    for (const source of sources) {
      const rs = await recordsBehind(world, incident, source);
      out.push(check(`${source}: every object searched is one this drill seeded`, rs !== undefined, 'an evidence object the fixtures did not seed (or none at all)'));
      records.push(...(rs ?? []));
    }
    const expected = expectedTriage(records, String(input.indicators), subjectField);
    out.push(check('the indicators match seeded records', expected.hitRecords > 0, `0 of ${records.length} seeded records match`));

    const outcomes = ((outcome.result as { outcomes?: Array<{ action: string; subject: string; reason: string }> } | undefined)?.outcomes ?? []);
    const keep = outcomes.find((o) => o.action === 'keep');
    const search = outcomes.find((o) => o.action === 'search');
    const base = keep?.subject.replace(/^s3:\/\/[^/]+\//, '');
    out.push(check('the report is kept in the evidence bucket under the incident', Boolean(base?.includes(`${incident}/triage/`)), keep?.subject ?? 'no keep outcome'));
    const kept = base ? await readEvidence(world, `${base}report.json`) : undefined;
    const report = kept ? (JSON.parse(kept.text) as KeptReport) : undefined;
    out.push(checkEqual('records searched', report?.records, expected.records));
    out.push(checkEqual('records with a hit', report?.hitRecords, expected.hitRecords));
    out.push(checkEqual('hits per indicator', Object.fromEntries((report?.indicators ?? []).map((i) => [i.indicator, i.hits])), expected.hits));
    if (subjectField) {
      out.push(check(`some hits name a ${subjectField}`, expected.subjects.size > 0, 'the seeded hits carry no such field'));
      out.push(checkEqual(`affected ${subjectField}: distinct count`, report?.affected?.count, expected.subjects.size));
      out.push(check('the record carries the affected count', Boolean(search?.reason.includes(`affected ${subjectField}: ${expected.subjects.size} distinct`)), search?.reason.slice(0, 300)));
      const list = await readEvidence(world, `${base}subjects-${subjectField}.txt`);
      out.push(checkEqual('the subject list in evidence names exactly the affected subjects', list?.text.split('\n').filter(Boolean).sort(), [...expected.subjects].sort()));
      const audit = await import('node:fs/promises').then((fs) => fs.readFile(world.auditFile, 'utf8')).catch(() => '');
      out.push(check('no affected subject in the audit chain', [...expected.subjects].every((s) => !audit.includes(`"${s}"`) && !audit.includes(`${subjectField}=${s}`))));
    }
    if (input['facts-field'] && input['facts-field'] !== 'none') {
      const facts = await readEvidence(world, `${base}facts.yml`);
      out.push(checkEqual('the facts file carries the count', facts?.text, `${String(input['facts-field'])}: ${expected.subjects.size}\n`));
    }
    out.push(await recordedOnIssue(world, 'triage'));
    return out;
  },
};
