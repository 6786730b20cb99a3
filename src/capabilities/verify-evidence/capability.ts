import { defineInputs } from '../../core/inputs.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  bucket: { kind: 'text', maxLength: 63, description: 'Verify a copy of the evidence in this bucket instead of the kit evidence bucket.' },
  concurrency: { kind: 'text', default: '8', maxLength: 2, description: 'Objects re-hashed at once (1-32).' },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'verify-evidence',
  title: 'Verify evidence',
  summary: "Re-hashes an incident's preserved evidence and names every object that differs from its manifest or is missing",
  description:
    "Reads the incident's evidence manifest, re-hashes every object it lists (SHA-256, streamed), and names each object whose bytes differ or that is missing. Read-only; fails when anything does not match.",
  status: 'built',
  group: 'evidence',
  inputs,
  incident: 'required',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: {
    mode: 'generated',
    aws: true,
    environment: 'pick',
    applyByDefault: true,
    // Read-only, but it waits behind a preserve-evidence run of the same incident (same group) instead of hashing a half-written folder.
    concurrency: 'firebreak-evidence-${{ inputs.environment }}-${{ inputs.incident-id }}',
    timeoutMinutes: 60,
  },
  iam: ['s3:ListBucket', 's3:GetObject', 'kms:Decrypt'],
  kitVariables: ['awsRegion', 'evidenceBucket', 'evidencePrefix'],
  drill: 'evidence',
};
