import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { main } from '../main.js';

type Listed = { id: string; due: string; basis: { rule: string; source: string; zone: string }; owner: string; recipient: string };

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fb-deadlines-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const SCHOOL = 'version: 1\nincident:\n  timezone: Europe/London\n  regimes:\n    custom:\n      - { id: school, recipient: Partner school, within_hours: 48, when: { data_categories: [minors] }, source: "runbook §7" }\n';
const FACTS = JSON.stringify({ discovered_at: '2026-11-22T08:00:00Z', data_categories: ['personal', 'minors'], eu_subjects: true, affected_by_state: { TX: 250 } });

describe('firebreak deadlines', () => {
  it('--json prints a versioned document: obligations sorted by due, warnings and notes', async () => {
    const dir = await dirWith({ 'facts.json': FACTS, 'firebreak.yml': SCHOOL });
    const io = memoryIo({}, dir);
    const code = await main(['deadlines', '--facts', 'facts.json', '--config', 'firebreak.yml', '--json'], io);
    expect(code).toBe(0);
    const doc = JSON.parse(io.out.join('')) as { version: number; obligations: Listed[]; warnings: string[]; notes: string[] };
    expect(doc.version).toBe(2);
    expect(doc.warnings).toEqual([]);
    expect(doc.obligations.map((o) => o.id)).toEqual(['school', 'gdpr-authority', 'state-TX-attorney-general', 'state-TX-individuals']);
    expect(doc.obligations[0]).toEqual({ id: 'school', recipient: 'Partner school', due: '2026-11-24T08:00:00.000Z', basis: { rule: 'Within 48 h of discovery (applies: data category "minors")', source: 'runbook §7', zone: 'Europe/London' }, owner: 'incident_commander' });
  });
  it('--json-version 1 keeps the old bare array on stdout; warnings go to stderr', async () => {
    const dir = await dirWith({ 'facts.json': FACTS, 'firebreak.yml': SCHOOL.replace('  timezone: Europe/London\n', '') });
    const io = memoryIo({}, dir);
    expect(await main(['deadlines', '--facts', 'facts.json', '--config', 'firebreak.yml', '--json', '--json-version', '1'], io)).toBe(0);
    const list = JSON.parse(io.out.join('')) as Listed[];
    expect(list.map((o) => o.id)).toEqual(['school', 'gdpr-authority', 'state-TX-attorney-general', 'state-TX-individuals']);
    expect(io.err.join('\n')).toMatch(/^warning: incident\.timezone is not set/);
  });
  it('bad facts exit 2 and name the field', async () => {
    const dir = await dirWith({ 'facts.yml': 'discovered_at: 2026-11-22T08:00:00\n' });
    const io = memoryIo({}, dir);
    expect(await main(['deadlines', '--facts', 'facts.yml', '--json'], io)).toBe(2);
    expect(JSON.parse(io.out.join('')).error).toMatchObject({ code: 'FACTS_INVALID', field: 'discovered_at' });
  });
  it('DORA classification after the 24 h cap (Reg. 2025/301 Art. 5(1)(a)): a warning in the JSON that the initial notification is already overdue', async () => {
    const dir = await dirWith({ 'facts.yml': 'discovered_at: 2026-11-20T10:00:00+01:00\ndora_entity: true\ndora_major_classified_at: 2026-11-22T10:00:00+01:00\n', 'firebreak.yml': 'version: 1\nincident:\n  timezone: Europe/Berlin\n' });
    const io = memoryIo({}, dir);
    expect(await main(['deadlines', '--facts', 'facts.yml', '--config', 'firebreak.yml', '--json'], io)).toBe(0);
    const doc = JSON.parse(io.out.join('')) as { obligations: Listed[]; warnings: string[] };
    expect(doc.warnings).toEqual([expect.stringMatching(/^dora-initial: .*48\.0 h after awareness.*already overdue/)]);
    expect(doc.obligations.find((o) => o.id === 'dora-initial')!.due).toBe('2026-11-22T09:00:00.000Z');
  });
  it('a discovery in the future is refused unless --as-of plans for it', async () => {
    const dir = await dirWith({ 'facts.yml': 'discovered_at: 2999-01-01T00:00:00Z\ndata_categories: [personal]\n' });
    const io = memoryIo({}, dir);
    expect(await main(['deadlines', '--facts', 'facts.yml', '--json'], io)).toBe(2);
    expect(JSON.parse(io.out.join('')).error).toMatchObject({ code: 'FACTS_INVALID', field: 'discovered_at', hint: expect.stringContaining('--as-of') });
    const planned = memoryIo({}, dir);
    expect(await main(['deadlines', '--facts', 'facts.yml', '--json', '--as-of', '2999-01-02T00:00:00Z'], planned)).toBe(0);
    expect(JSON.parse(planned.out.join('')).version).toBe(2);
    const before = memoryIo({}, dir);
    expect(await main(['deadlines', '--facts', 'facts.yml', '--json', '--as-of', '2998-12-31T00:00:00Z'], before)).toBe(2);
    const bad = memoryIo({}, dir);
    expect(await main(['deadlines', '--facts', 'facts.yml', '--json', '--as-of', '31/12/2998'], bad)).toBe(2);
    expect(JSON.parse(bad.out.join('')).error).toMatchObject({ field: 'as-of' });
  });
  it('a submitted entry naming no obligation of these facts is refused with the valid ids (a typo must not keep a later deadline)', async () => {
    const dir = await dirWith({ 'facts.yml': 'discovered_at: 2026-11-20T10:00:00Z\nnis2_entity: true\nsubmitted: { nis2-notificaton: 2026-11-21T10:00:00Z }\n' });
    const io = memoryIo({}, dir);
    expect(await main(['deadlines', '--facts', 'facts.yml', '--json', '--as-of', '2026-12-01T00:00:00Z'], io)).toBe(2);
    const error = JSON.parse(io.out.join('')).error as { field: string; hint: string };
    expect(error.field).toBe('submitted.nis2-notificaton');
    expect(error.hint).toContain('nis2-notification');
  });
  it('an unknown data category lists the known ones; a custom regime\'s own category is known', async () => {
    const dir = await dirWith({ 'facts.yml': 'discovered_at: 2026-11-20T10:00:00Z\ndata_categories: [PII]\n', 'ok.yml': 'discovered_at: 2026-11-20T10:00:00Z\ndata_categories: [pupils]\n', 'firebreak.yml': 'version: 1\nincident:\n  regimes:\n    custom:\n      - { id: school, recipient: School, within_hours: 48, when: { data_categories: [pupils] }, source: "runbook" }\n' });
    const io = memoryIo({}, dir);
    expect(await main(['deadlines', '--facts', 'facts.yml', '--json'], io)).toBe(2);
    expect(JSON.parse(io.out.join('')).error).toMatchObject({ field: 'data_categories.0', hint: expect.stringContaining('personal, contact, government_id') });
    const ok = memoryIo({}, dir);
    expect(await main(['deadlines', '--facts', 'ok.yml', '--config', 'firebreak.yml', '--json', '--as-of', '2026-12-01T00:00:00Z'], ok)).toBe(0);
    expect((JSON.parse(ok.out.join('')) as { obligations: Listed[] }).obligations.map((o) => o.id)).toEqual(['school']);
  });
  it('--help names every regime with its citation', async () => {
    const io = memoryIo({}, process.cwd());
    await main(['deadlines', '--help'], io);
    const help = io.out.join('\n');
    for (const cite of ['164.410', '16 CFR 318', '314.4(j)', 'UK GDPR', '33(2)', 'PIPEDA', 'P-39.1', '26WH', 'LGPD', 'DPDP', 'PDPA', 'Cyber Resilience Act', '500.17', '8-K', 'NIS2', 'DORA']) expect(help).toContain(cite);
  });
});
