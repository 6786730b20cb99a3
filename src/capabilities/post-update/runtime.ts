import type { CapabilityRuntime } from '../types.js';
import { buildIncidentPorts } from '../../runtime/ports/incident.js';
import { parseYamlInput } from '../../core/yaml-input.js';
import { postUpdateStep } from './step.js';

export const runtime: CapabilityRuntime = {
  step: postUpdateStep,
  ports: (ctx) => buildIncidentPorts(ctx),
  // The incident's state is derived from the issue: a record that did not reach it must fail.
  mirrorFailure: 'fail',
  prepare: (raw) => ({ ...raw, facts: parseYamlInput(raw.facts, 'facts') }),
};
