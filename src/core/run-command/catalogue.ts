/**
 * The vetted catalogue of host commands: the only things run-command can run. Each entry becomes one
 * SSM Command document that the kit provisions (infra/components/run-command-documents.ts) with
 * typed parameters; the step refuses any document not in this list, any document whose provisioned
 * content differs from what is rendered here, and any parameter value that fails the document's
 * `allowedPattern` / `allowedValues` or the entry's own check. Never free text: a parameter is
 * substituted into the script by SSM, so every pattern admits only characters that cannot end a
 * quoted shell word ('), start a substitution ($, `) or separate commands (; & | newline).
 *
 * Seeds: 000 (ps, df, free, systemctl on the host), 004 (docker compose restart, docker stats,
 * terminate Postgres queries running longer than 5 minutes).
 */

export interface CatalogueParameter {
  description: string;
  /** SSM checks it too; anchored, and narrow enough to be safe inside single quotes. */
  allowedPattern?: string;
  allowedValues?: readonly string[];
  default?: string;
  /** The step's own check beyond the pattern (returns why the value is refused). */
  check?: (value: string) => string | undefined;
}

export interface CatalogueEntry {
  /** The input value and the document name's suffix (`<prefix>-<name>`). */
  name: string;
  title: string;
  description: string;
  parameters: Readonly<Record<string, CatalogueParameter>>;
  /** Shell lines for aws:runShellScript; parameters appear as {{ name }} inside single quotes. */
  script: readonly string[];
  /** Seconds SSM lets the script run. */
  executionTimeout: number;
}

const UNIT = '^[A-Za-z0-9@._-]{1,128}$';
const SERVICE = '^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$';
const DIRECTORY = '^/[A-Za-z0-9._/-]{1,255}$';
const PG_NAME = '^[A-Za-z_][A-Za-z0-9_]{0,62}$';

const noDotSegments = (v: string) => (v.split('/').some((s) => s === '..' || s === '.') ? 'must not contain . or .. segments' : undefined);

export const RUN_COMMAND_CATALOGUE: readonly CatalogueEntry[] = [
  {
    name: 'host-health',
    title: 'Host health',
    description: 'Top processes by CPU, disk usage, memory, and the status of one systemd unit (seed 000).',
    parameters: {
      unit: { description: 'systemd unit whose status to show', allowedPattern: UNIT, default: 'docker' },
    },
    script: [
      'set -u',
      'echo "== processes (top 25 by CPU) =="',
      'ps aux --sort=-%cpu | head -n 26',
      'echo "== disk =="',
      'df -h',
      'echo "== memory =="',
      'free -m',
      'echo "== unit {{ unit }} =="',
      "systemctl status --no-pager --lines=20 -- '{{ unit }}' || true",
    ],
    executionTimeout: 120,
  },
  {
    name: 'docker-compose-restart',
    title: 'Restart a docker compose service',
    description: 'docker compose restart of one named service in one project directory (seed 004).',
    parameters: {
      projectDir: { description: 'absolute path of the compose project', allowedPattern: DIRECTORY, check: noDotSegments },
      service: { description: 'compose service to restart', allowedPattern: SERVICE },
    },
    script: ['set -eu', "cd -- '{{ projectDir }}'", "docker compose restart -- '{{ service }}'", "docker compose ps -- '{{ service }}'"],
    executionTimeout: 300,
  },
  {
    name: 'docker-stats',
    title: 'Container resource usage',
    description: 'One snapshot of docker stats for every running container (seed 004).',
    parameters: {},
    script: ['set -eu', 'docker stats --no-stream --no-trunc'],
    executionTimeout: 60,
  },
  {
    name: 'postgres-long-queries',
    title: 'List or terminate long-running Postgres queries',
    description:
      'Lists the queries of one database running longer than N minutes, or terminates them with pg_terminate_backend (seed 004: over 5 minutes). Runs psql as the postgres OS user on the host.',
    parameters: {
      database: { description: 'database name', allowedPattern: PG_NAME },
      minutes: { description: 'only queries running longer than this many minutes (1-999)', allowedPattern: '^[1-9][0-9]{0,2}$', default: '5' },
      mode: { description: 'list shows them; terminate ends their backends', allowedValues: ['list', 'terminate'], default: 'list' },
    },
    script: [
      'set -eu',
      "if [ '{{ mode }}' = terminate ]; then action='pg_terminate_backend(pid)'; else action='false'; fi",
      "sudo -u postgres psql -X -v ON_ERROR_STOP=1 -d '{{ database }}' -c \"SELECT pid, usename, state, now() - query_start AS runtime, left(query, 200) AS query, $action AS terminated FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND pid <> pg_backend_pid() AND now() - query_start > interval '{{ minutes }} minutes' ORDER BY query_start\"",
    ],
    executionTimeout: 120,
  },
];

export const CATALOGUE_NAMES = RUN_COMMAND_CATALOGUE.map((e) => e.name);

/** `host-health` → `HostHealth`: the SSM document's name is `<prefix>-<this>`. */
export function documentSuffix(name: string): string {
  return name
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

export function documentName(prefix: string, entry: CatalogueEntry): string {
  return `${prefix}-${documentSuffix(entry.name)}`;
}

/** The SSM Command document (schema 2.2) the kit provisions for an entry: what the step compares against. */
export function renderDocument(entry: CatalogueEntry): Record<string, unknown> {
  const parameters = Object.fromEntries(
    Object.entries(entry.parameters).map(([k, p]) => [
      k,
      {
        type: 'String',
        description: p.description,
        ...(p.allowedPattern !== undefined ? { allowedPattern: p.allowedPattern } : {}),
        ...(p.allowedValues !== undefined ? { allowedValues: [...p.allowedValues] } : {}),
        ...(p.default !== undefined ? { default: p.default } : {}),
      },
    ]),
  );
  return {
    schemaVersion: '2.2',
    description: `firebreak vetted command: ${entry.description}`,
    parameters,
    mainSteps: [{ action: 'aws:runShellScript', name: 'run', inputs: { runCommand: [...entry.script], timeoutSeconds: String(entry.executionTimeout) } }],
  };
}

export interface SchemaParameter {
  type?: unknown;
  allowedPattern?: unknown;
  allowedValues?: unknown;
  default?: unknown;
}

/**
 * Checks `given` against a document's parameter schema (the provisioned one, read back) and the
 * entry's own checks. Returns the values to send (defaults filled in) or the problems, each naming
 * the parameter. Unknown parameters are refused, never passed through.
 */
export function checkParameters(entry: CatalogueEntry, schema: Readonly<Record<string, SchemaParameter>>, given: Readonly<Record<string, string>>): { values: Record<string, string> } | { problems: string[] } {
  const problems: string[] = [];
  const values: Record<string, string> = {};
  for (const key of Object.keys(given)) if (!Object.hasOwn(schema, key)) problems.push(`${key}: not a parameter of ${entry.name} (it takes ${Object.keys(schema).join(', ') || 'none'})`);
  for (const [key, p] of Object.entries(schema)) {
    const value = Object.hasOwn(given, key) ? given[key]! : typeof p.default === 'string' ? p.default : undefined;
    if (value === undefined) {
      problems.push(`${key}: required (${entry.parameters[key]?.description ?? 'no description'})`);
      continue;
    }
    if (/[\u0000-\u001f\u007f]/.test(value)) problems.push(`${key}: contains control characters`);
    if (typeof p.allowedPattern === 'string' && !new RegExp(p.allowedPattern, 'u').test(value)) problems.push(`${key}: ${JSON.stringify(value)} does not match ${p.allowedPattern}`);
    if (Array.isArray(p.allowedValues) && !p.allowedValues.includes(value)) problems.push(`${key}: ${JSON.stringify(value)} is not one of ${p.allowedValues.join(', ')}`);
    const own = entry.parameters[key]?.check?.(value);
    if (own) problems.push(`${key}: ${own}`);
    values[key] = value;
  }
  return problems.length ? { problems } : { values };
}
