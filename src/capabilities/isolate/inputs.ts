import { defineInputs } from '../../core/inputs.js';

/** Kinds isolate and release act on. */
export const ISOLATE_KINDS = ['aws:instance', 'aws:ecs-task', 'aws:security-group', 'aws:network-acl'] as const;

const target = {
  kind: 'text',
  required: true,
  maxLength: 1024,
  description:
    'What to act on: aws:instance:i-… (quarantine group), aws:ecs-task:cluster/task-id (stop), aws:security-group:sg-… (revoke ingress from cidr), aws:network-acl:acl-… (deny cidr)',
  cli: { positional: true, placeholder: 'TARGET' },
} as const;

const network = {
  cidr: {
    kind: 'text',
    maxLength: 64,
    description: 'security-group and network-acl targets: the source address or range to block (never 0.0.0.0/0, ::/0 or a protected range).',
  },
  protocol: {
    kind: 'choice',
    options: ['all', 'tcp', 'udp'],
    default: 'all',
    description: 'security-group and network-acl targets: which traffic (all, tcp or udp).',
  },
  ports: {
    kind: 'text',
    maxLength: 11,
    description: 'security-group and network-acl targets, tcp or udp: a port (22) or range (1024-65535). Empty: every port.',
  },
} as const;

export const isolateInputs = defineInputs({
  target,
  reason: {
    kind: 'text',
    required: true,
    maxLength: 255,
    description: 'Why: recorded, put on the resource and, for a task, given to StopTask (at most 255 characters).',
  },
  ...network,
  detach: {
    kind: 'flag',
    default: true,
    description:
      'instance targets: detach it from its Auto Scaling group first (the group launches a replacement, and the instance leaves the group\'s target groups and load balancers), so it is neither replaced nor served while quarantined. release attaches it back.',
  },
  capture: {
    kind: 'flag',
    default: true,
    description:
      'Capture evidence first (instance: snapshot every volume; task: metadata, tags and logs into the evidence bucket). Off: a capture of this resource must already be on record in the incident (or override EVIDENCE_NOT_CAPTURED with a reason).',
  },
});

export const releaseInputs = defineInputs({
  target: { ...target, description: 'What to release: aws:instance:i-… (original groups back), aws:security-group:sg-… (re-authorize what was revoked), aws:network-acl:acl-… (remove the deny)' },
  reason: { kind: 'text', required: true, maxLength: 255, description: 'Why it is safe to release: recorded.' },
  ...network,
});
