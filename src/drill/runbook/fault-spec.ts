import { InputError } from '../../core/errors.js';
import type { FaultSpec } from './world.js';

/**
 * `--faults` for a runbook drill: a list (commas or spaces between entries) of
 *
 *   <service>:<operation>[=<status>][x<times>]
 *
 * `aws:UpdateIPSet=503x2` answers the next two WAF UpdateIPSet calls with 503; `github:POST
 * /repos/[^/]+/[^/]+/issues=500` fails the next issue creation. An AWS operation is the JSON
 * protocol's target (WAF, Secrets Manager, ECS, CloudWatch Logs, SSM, …); any other service takes
 * `METHOD path-regex` or a path regex. Status defaults to 503, times to 1. Services: aws, github,
 * cloudflare, argocd, vault, atlas, slack, pagerduty, google-chat, statuspage.
 */
const SERVICES = new Set(['aws', 'github', 'cloudflare', 'argocd', 'vault', 'atlas', 'slack', 'pagerduty', 'google-chat', 'statuspage']);

export function parseFaultSpecs(text: string): FaultSpec[] {
  // Entries are separated by commas; a space belongs to `METHOD path` inside one entry.
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map(parseOne);
}

function parseOne(entry: string): FaultSpec {
  const m = /^([a-z-]+):(.+?)(?:=(\d{3}))?(?:x(\d{1,3}))?$/.exec(entry);
  if (!m || !SERVICES.has(m[1]!)) {
    throw new InputError(`--faults entry "${entry}" is not <service>:<operation>[=<status>][x<times>] with a service among ${[...SERVICES].join(', ')}`, { code: 'FAULTS_INVALID', field: 'faults' });
  }
  const [, service, match, status, times] = m;
  const code = status ? Number(status) : 503;
  if (code < 400 || code > 599) throw new InputError(`--faults entry "${entry}": status ${code} is not an error (400-599)`, { code: 'FAULTS_INVALID', field: 'faults' });
  const count = times ? Number(times) : 1;
  if (count < 1) throw new InputError(`--faults entry "${entry}": times must be at least 1`, { code: 'FAULTS_INVALID', field: 'faults' });
  const body = service === 'aws' ? { __type: 'ServiceUnavailableException', message: 'firebreak drill: injected fault' } : { message: 'firebreak drill: injected fault' };
  const base = { status: code, times: count, body, headers: { 'content-type': service === 'aws' ? 'application/x-amz-json-1.1' : 'application/json' } };
  const spaced = /^([A-Z]+)\s+(\S+)$/.exec(match!.trim());
  if (service === 'aws' && !spaced) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(match!)) throw new InputError(`--faults entry "${entry}": an AWS operation is a name such as UpdateIPSet`, { code: 'FAULTS_INVALID', field: 'faults' });
    return { service: service!, text: entry, rule: { ...base, target: match! } };
  }
  const method = spaced?.[1];
  const path = spaced ? spaced[2]! : match!.trim();
  let re: RegExp;
  try {
    re = new RegExp(`^${path}$`);
  } catch (error) {
    throw new InputError(`--faults entry "${entry}": ${(error as Error).message}`, { code: 'FAULTS_INVALID', field: 'faults' });
  }
  return { service: service!, text: entry, rule: { ...base, ...(method ? { method } : {}), path: re } };
}
