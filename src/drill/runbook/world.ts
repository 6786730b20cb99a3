import { readFile, writeFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { asError } from '../../core/errors.js';
import { manualClock } from '../../core/runtime.js';
import { startArgoCdEmulator, type ArgoEmulator } from '../emulators/argocd/server.js';
import { startAtlasEmulator, type AtlasEmulator } from '../emulators/atlas/server.js';
import { startCloudflareEmulator, type CloudflareEmulator } from '../emulators/cloudflare/server.js';
import type { FaultRule, FaultScript } from '../emulators/faults.js';
import { startGitHubEmulator, type GitHubEmulator } from '../emulators/github/server.js';
import { startMoto, type MotoServer } from '../emulators/moto.js';
import { startVaultEmulator, type VaultEmulator } from '../emulators/vault/server.js';
import type { Expectation } from '../scenario.js';

/**
 * Everything one runbook drill acts on: emulators started on first use (a runbook that never
 * touches Vault never starts it), the environment the CLI runs with, the drill's config file, its
 * audit chain and its clock. Fixtures provision what a step's inputs name through it; the runner
 * stops everything it started, whatever happened.
 */

/** A started service the world owns: how to stop it and how to ask it whether every call was in its API description. */
export interface ServiceHandle<T> {
  value: T;
  stop(): Promise<void>;
  faults?: FaultScript | undefined;
  /** Calls outside the provider's published API description seen so far (empty when none). */
  violations?(): string[];
}

/** A fault a responder asks to replay (`--faults`): `<service>:<match>[=<status>][x<times>]`. */
export interface FaultSpec {
  service: string;
  rule: FaultRule;
  text: string;
}

export interface WorldOptions {
  workDir: string;
  /** Where the drill clock starts (the runbook's `drill_start`, else a fixed default). */
  start: Date;
  /** Added to every request of every emulator (`--latency`). */
  latencyMs?: number;
  faults?: readonly FaultSpec[];
  log?: (line: string) => void;
  /** A real target's run: its firebreak.yml and its environment (credentials), no emulators. */
  configFile?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Real providers: the system clock and real waits (a provider's backoff must really wait). */
  live?: boolean;
}

export class RunbookWorld {
  readonly clock: ReturnType<typeof manualClock>;
  readonly env: Record<string, string> = {};
  readonly workDir: string;
  readonly auditFile: string;
  readonly configFile: string;
  readonly log: (line: string) => void;
  readonly live: boolean;
  /** The incident the drill declared (set by the runner from declare's output). */
  incidentId: string | undefined;
  private readonly services = new Map<string, Promise<ServiceHandle<unknown>>>();
  private readonly stopOrder: Array<{ name: string; handle: ServiceHandle<unknown> }> = [];
  private readonly provisioned = new Map<string, Promise<unknown>>();
  private readonly aliases = new Map<string, string>();
  private readonly options: WorldOptions;

  constructor(options: WorldOptions) {
    this.options = options;
    this.workDir = options.workDir;
    this.clock = manualClock(options.start);
    this.live = options.live === true;
    this.auditFile = `${options.workDir}/audit.jsonl`;
    this.configFile = options.configFile ?? `${options.workDir}/firebreak.yml`;
    for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) this.env[k] = v;
    this.log = options.log ?? (() => {});
  }

  /**
   * Starts a service once (concurrent callers share the start) and registers its stop. Latency and
   * the `--faults` rules for this service are armed before the first request reaches it.
   */
  service<T>(name: string, start: () => Promise<ServiceHandle<T>>): Promise<T> {
    let pending = this.services.get(name) as Promise<ServiceHandle<T>> | undefined;
    if (!pending) {
      pending = start().then((handle) => {
        this.stopOrder.push({ name, handle: handle as ServiceHandle<unknown> });
        if (handle.faults) {
          handle.faults.latencyMs = this.options.latencyMs ?? 0;
          for (const f of this.options.faults ?? []) if (f.service === name) handle.faults.add(f.rule);
        }
        return handle;
      });
      this.services.set(name, pending as Promise<ServiceHandle<unknown>>);
    }
    return pending.then((h) => h.value);
  }

  /** Services the faults name that the drill never started: a fault that could not fire. */
  unusedFaultServices(): string[] {
    return [...new Set((this.options.faults ?? []).map((f) => f.service))].filter((s) => !this.services.has(s));
  }

  /** Fault rules that were armed but never fired (a `--faults` spec that matched no request). */
  async pendingFaults(): Promise<string[]> {
    const out: string[] = [];
    for (const { name, handle } of this.stopOrder) for (const r of handle.faults?.pending() ?? []) out.push(`${name}: ${describeRule(r)}`);
    return out;
  }

  aws(): Promise<MotoServer> {
    return this.service('aws', async () => {
      const moto = await startMoto();
      Object.assign(this.env, moto.env());
      return { value: moto, stop: () => moto.stop(), faults: moto.faults };
    });
  }

  github(): Promise<GitHubEmulator> {
    return this.service('github', async () => {
      const gh = await startGitHubEmulator({ now: () => this.clock.now() });
      Object.assign(this.env, gh.env());
      return { value: gh, stop: () => gh.stop(), faults: gh.faults, violations: () => gh.violations.map((v) => `${v.kind} ${v.method} ${v.path}: ${v.errors.join(", ")}`) };
    });
  }

  cloudflare(): Promise<CloudflareEmulator> {
    return this.service('cloudflare', async () => {
      const cf = await startCloudflareEmulator();
      Object.assign(this.env, cf.env());
      return { value: cf, stop: () => cf.stop(), faults: cf.faults, violations: () => cf.violations.map((v) => JSON.stringify(v)) };
    });
  }

  argocd(): Promise<ArgoEmulator> {
    return this.service('argocd', async () => {
      const argo = await startArgoCdEmulator({ now: () => this.clock.now() });
      Object.assign(this.env, argo.env());
      return { value: argo, stop: () => argo.stop(), faults: argo.faults, violations: () => argo.violations.map((v) => JSON.stringify(v)) };
    });
  }

  vault(): Promise<VaultEmulator> {
    return this.service('vault', async () => {
      const vault = await startVaultEmulator({ now: () => this.clock.now() });
      Object.assign(this.env, vault.env());
      return { value: vault, stop: () => vault.stop(), faults: vault.faults, violations: () => vault.violations.map((v) => JSON.stringify(v)) };
    });
  }

  atlas(): Promise<AtlasEmulator> {
    return this.service('atlas', async () => {
      const atlas = await startAtlasEmulator();
      Object.assign(this.env, atlas.env());
      return { value: atlas, stop: () => atlas.stop(), faults: atlas.faults, violations: () => atlas.violations.map((v) => JSON.stringify(v)) };
    });
  }

  /** Provisions a shared fixture once per drill (the break-glass kit, a seeded log group, …). */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let pending = this.provisioned.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = make();
      this.provisioned.set(key, pending);
    }
    return pending;
  }

  /**
   * A name the runbook writes (`i-0123456789abcdef0`, a Cognito pool id) stands for what the
   * emulator really created (`i-4f2a…`): later steps' inputs are rewritten, and the report says so.
   */
  alias(written: string, real: string): void {
    if (written !== real) this.aliases.set(written, real);
  }

  aliasList(): Array<{ written: string; real: string }> {
    return [...this.aliases].map(([written, real]) => ({ written, real }));
  }

  /** Replaces every aliased name in a value (strings, and strings inside arrays). */
  rewrite<T>(value: T): T {
    if (typeof value === 'string') {
      let s: string = value;
      // Longest first, so an alias that contains another is replaced whole.
      for (const [w, r] of [...this.aliases].sort((a, b) => b[0].length - a[0].length)) s = s.split(w).join(r);
      return s as T;
    }
    if (Array.isArray(value)) return value.map((v) => this.rewrite(v)) as T;
    return value;
  }

  /** Sets a value in the drill's firebreak.yml (a fixture pointing a health check at an emulator, …). */
  async patchConfig(path: readonly (string | number)[], value: unknown): Promise<void> {
    const doc = parseDocument(await readFile(this.configFile, 'utf8'));
    doc.setIn(path, doc.createNode(value));
    await writeFile(this.configFile, doc.toString());
  }

  /** Reads a value of the drill's firebreak.yml as plain data. */
  async configValue(path: readonly (string | number)[]): Promise<unknown> {
    const doc = parseDocument(await readFile(this.configFile, 'utf8'));
    const node = doc.getIn(path, true) as { toJSON?: () => unknown } | unknown;
    return node && typeof node === 'object' && 'toJSON' in (node as object) ? (node as { toJSON(): unknown }).toJSON() : node;
  }

  /** Every service's contract check: no call outside its provider's published API description. */
  contract(): Expectation[] {
    const out: Expectation[] = [];
    for (const { name, handle } of this.stopOrder) {
      if (!handle.violations) continue;
      const v = handle.violations();
      out.push({ name: `every ${name} call matched its published API description`, ok: v.length === 0, ...(v.length ? { detail: v.slice(0, 5).join('; ') } : {}) });
    }
    return out;
  }

  /** Stops every service, in reverse start order, each stop isolated from the others' failures. */
  async stop(): Promise<void> {
    for (const { name, handle } of this.stopOrder.splice(0).reverse()) {
      try {
        await handle.stop();
      } catch (error) {
        this.log(`stopping ${name} failed: ${asError(error).message}`);
      }
    }
  }
}

function describeRule(r: FaultRule): string {
  const match = r.target ?? `${r.method ?? '*'} ${r.path instanceof RegExp ? r.path.source : (r.path ?? '*')}`;
  return `${match}${r.status ? ` → ${r.status}` : ''}${r.latencyMs ? ` +${r.latencyMs} ms` : ''} ×${r.times ?? 1}`;
}
