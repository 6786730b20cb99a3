import { incidentRuntime } from '../shared/incident-capability.js';
import { parseYamlInput } from '../../core/yaml-input.js';
import { postUpdateStep } from './step.js';

export const runtime = await incidentRuntime(postUpdateStep, {
  prepare: (raw) => ({ ...raw, facts: parseYamlInput(raw.facts, 'facts') }),
});
