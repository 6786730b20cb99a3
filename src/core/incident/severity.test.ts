import { describe, expect, it } from 'vitest';
import { incidentSection } from '../config/sections/incident.js';
import { ConfigError, InputError } from '../errors.js';
import { classify, resolveScheme } from './severity.js';

const scheme = (s: Record<string, unknown>) => resolveScheme(incidentSection.parse({ severity: s }));

describe('classifier', () => {
  it('seed 004: breach → P1; a workaround lowers one level', () => {
    const p = scheme({ scheme: 'P1-P4' });
    expect(classify(p, { answers: { security_breach: true } }).severity).toBe('P1');
    const r = classify(p, { answers: { non_core_feature: true }, workaround: true });
    expect(r.severity).toBe('P4');
    expect(r.reasons.join('\n')).toMatch(/workaround exists → one level lower/);
  });
  it('seed 002: when in doubt, one level higher; SEV0 stays SEV0', () => {
    const s = scheme({ scheme: 'SEV0-3' });
    expect(classify(s, { answers: { minor_degradation: true }, unsure: true }).severity).toBe('SEV1');
    expect(classify(s, { answers: { phi_accessed: true }, unsure: true }).severity).toBe('SEV0');
    expect(classify(s, { answers: {} }).severity).toBe('SEV3');
  });
  it('seed 000 and seed 003 presets', () => {
    expect(classify(scheme({ scheme: '1-4' }), { answers: { bot_patterns: true, children_data_exposed: true } }).severity).toBe('1');
    expect(classify(scheme({ scheme: 'SEV1-4' }), { answers: { service_degraded: true } }).severity).toBe('SEV2');
  });
  it('refuses unknown checklist answers and bad custom schemes', () => {
    expect(() => classify(scheme({ scheme: 'P1-P4' }), { answers: { sevice_down: true } })).toThrow(InputError);
    expect(() => scheme({ scheme: 'custom' })).toThrow(ConfigError);
    expect(() =>
      scheme({ scheme: 'custom', levels: [{ id: 'A', name: 'a', ack_minutes: 5, update_every_minutes: 5 }, { id: 'B', name: 'b', ack_minutes: 5, update_every_minutes: 5 }], checklist: [{ id: 'x', question: 'x?', level: 'C' }] }),
    ).toThrow(/unknown level/);
  });
});
