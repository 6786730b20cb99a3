import * as z from 'zod/mini';

/**
 * `fleet:` in firebreak.yml — the targets a run can fan out to (docs/operators/fleet.md).
 *
 * Targets are written by the kit's stack-reference layer (infra/fleet-targets.ts) into a file the
 * config points to (`targets_file`), so account ids, role and IP set ARNs, list ids are never typed
 * by hand; `targets:` holds extra ones inline. `sets:` names selections (`--targets prod`), each a
 * list of selectors: `tag:<tag>`, `id:<target id>`, `provider:<aws|cloudflare|github>`.
 */
const TAG = /^[a-z0-9][a-z0-9_.-]{0,62}$/;
const tag = z.string().check(z.regex(TAG, 'tags are lowercase letters, digits, _ . -'));
const AWS_ACCOUNT = /^\d{12}$/;
const AWS_REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const IP_SET_ARN = /^arn:aws[\w-]*:wafv2:[a-z0-9-]+:\d{12}:(?:regional|global)\/ipset\/[\w-]{1,128}\/[0-9a-f-]{1,36}$/;

export const awsFleetTarget = z.strictObject({
  provider: z.literal('aws'),
  account: z.string().check(z.regex(AWS_ACCOUNT, 'a 12-digit AWS account id')),
  region: z.string().check(z.regex(AWS_REGION, 'an AWS region such as eu-west-1')),
  /** The per-account role (infra/components/fleet-member-role.ts) the responder role assumes. */
  role_arn: z.string().check(z.regex(/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,128}$/, 'an IAM role ARN')),
  waf: z.optional(
    z.strictObject({
      scope: z._default(z.enum(['REGIONAL', 'CLOUDFRONT']), 'REGIONAL'),
      ipv4_arn: z.optional(z.string().check(z.regex(IP_SET_ARN, 'a WAFv2 IP set ARN'))),
      ipv6_arn: z.optional(z.string().check(z.regex(IP_SET_ARN, 'a WAFv2 IP set ARN'))),
    }),
  ),
  tags: z._default(z.array(tag), []),
});

export const cloudflareFleetTarget = z.strictObject({
  provider: z.literal('cloudflare'),
  account: z.string().check(z.regex(/^[0-9a-f]{32}$/, 'a 32-hex Cloudflare account id')),
  /** The zones whose custom rule references the list (for the summary; the list is per account). */
  zones: z._default(z.array(z.string().check(z.minLength(1))), []),
  list_id: z.string().check(z.regex(/^[0-9a-f]{32}$/, 'a 32-hex list id')),
  tags: z._default(z.array(tag), []),
});

export const githubFleetTarget = z.strictObject({
  provider: z.literal('github'),
  repository: z.string().check(z.regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/, 'owner/repo')),
  environment: z.optional(z.string().check(z.minLength(1))),
  tags: z._default(z.array(tag), []),
});

export const fleetTargetEntry = z.discriminatedUnion('provider', [awsFleetTarget, cloudflareFleetTarget, githubFleetTarget]);

/** The generated file `targets_file` names: `{"version":1,"targets":[...]}`. */
export const fleetTargetsFile = z.strictObject({
  version: z.literal(1),
  /** Which stacks it was collected from, for the summary (never typed by hand). */
  source: z.optional(z.string()),
  targets: z.array(fleetTargetEntry),
});

const selector = z.string().check(z.regex(/^(?:tag|id|provider):\S+$/, 'a selector: tag:<tag>, id:<target id> or provider:<aws|cloudflare|github>'));

export const fleetSection = z.strictObject({
  /** Path (relative to firebreak.yml) of the file infra/fleet-targets.ts writes. */
  targets_file: z.optional(z.string().check(z.minLength(1))),
  targets: z._default(z.array(fleetTargetEntry), []),
  sets: z._default(z.record(z.string().check(z.regex(TAG, 'set names are lowercase letters, digits, _ . -')), z.array(selector)), {}),
  /** Targets planned or applied at once (bounded: the runner's sockets and the providers' global limits). */
  concurrency: z._default(z.int().check(z.minimum(1), z.maximum(256)), 32),
  /** Targets per matrix job on GitHub Actions (more targets per job keeps large fleets under 256 jobs). */
  batch_size: z._default(z.int().check(z.minimum(1), z.maximum(100)), 4),
  /** Matrix jobs running at once per apply job (`max-parallel`). */
  max_parallel: z._default(z.int().check(z.minimum(1), z.maximum(256)), 20),
});

export type FleetConfig = z.infer<typeof fleetSection>;
export type FleetTargetEntry = z.infer<typeof fleetTargetEntry>;
