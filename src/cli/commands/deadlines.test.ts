import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { main } from '../main.js';

describe('firebreak deadlines', () => {
  it('prints a JSON array sorted by due, with the custom regime from config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fb-deadlines-'));
    await writeFile(join(dir, 'facts.json'), JSON.stringify({ discovered_at: '2026-11-22T08:00:00Z', data_categories: ['personal', 'minors'], eu_subjects: true, affected_by_state: { TX: 250 } }));
    await writeFile(join(dir, 'firebreak.yml'), 'version: 1\nincident:\n  regimes:\n    custom:\n      - { id: school, recipient: Partner school, within_hours: 48, when: { data_categories: [minors] }, source: "runbook §7" }\n');
    const io = memoryIo({}, dir);
    const code = await main(['deadlines', '--facts', 'facts.json', '--config', 'firebreak.yml', '--json'], io);
    expect(code).toBe(0);
    const list = JSON.parse(io.out.join('')) as Array<{ id: string; due: string; basis: { rule: string; source: string }; owner: string; recipient: string }>;
    expect(list.map((o) => o.id)).toEqual(['school', 'gdpr-authority', 'state-TX-attorney-general', 'state-TX-individuals']);
    expect(list[0]).toEqual({ id: 'school', recipient: 'Partner school', due: '2026-11-24T08:00:00.000Z', basis: { rule: 'Within 48 h of discovery (applies: data category "minors")', source: 'runbook §7' }, owner: 'incident_commander' });
  });
  it('bad facts exit 2 and name the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fb-deadlines-'));
    await writeFile(join(dir, 'facts.yml'), 'discovered_at: 2026-11-22T08:00:00\n');
    const io = memoryIo({}, dir);
    expect(await main(['deadlines', '--facts', 'facts.yml', '--json'], io)).toBe(2);
    expect(JSON.parse(io.out.join('')).error).toMatchObject({ code: 'FACTS_INVALID', field: 'discovered_at' });
  });
});
