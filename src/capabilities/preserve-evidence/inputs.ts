import { defineInputs } from '../../core/inputs.js';

export const preserveEvidenceInputs = defineInputs({
  targets: {
    kind: 'text',
    required: true,
    maxLength: 20_000,
    description:
      'What to preserve, one per line: logs:<group>, logs-export:<group>, rds:<instance>, rds-cluster:<cluster>, ebs:<vol-id>, s3:<bucket>/<prefix>, guardduty[:<detector>], cloudtrail:user:<name>, atlas:<project>/<cluster>, file:<path>.',
    cli: { file: true, placeholder: 'file' },
  },
  from: { kind: 'text', required: true, maxLength: 40, description: 'Start of the incident window (ISO 8601 with offset).' },
  to: { kind: 'text', maxLength: 40, description: 'End of the window (ISO 8601 with offset). Empty: now.' },
  sliceMinutes: { kind: 'text', default: '60', maxLength: 6, description: 'Log groups are read in slices of this many minutes, one evidence object each.' },
  concurrency: { kind: 'text', default: '4', maxLength: 2, description: 'Pieces collected at once (1-16).' },
});

export type PreserveEvidenceInputs = typeof preserveEvidenceInputs;
