/**
 * The Argo CD emulator's model: Applications with a sync history. A rollback completes at once
 * (the real controller runs it as a sync operation shortly after); what it records is what Argo CD
 * records: the app synced to the history entry's revision, and a new history entry for that sync.
 */

export interface HistoryEntry {
  id: number;
  revision: string;
  deployedAt: string;
  deployStartedAt: string;
  initiatedBy: { username?: string; automated?: boolean };
}

export interface AppRecord {
  name: string;
  namespace: string;
  project: string;
  repoURL: string;
  path: string;
  annotations: Record<string, string>;
  automated: { prune?: boolean; selfHeal?: boolean; enabled?: boolean } | null;
  revision: string;
  history: HistoryEntry[];
}

/** Argo CD keeps the last 10 history entries by default (spec.revisionHistoryLimit). */
export const HISTORY_LIMIT = 10;

export class ArgoState {
  readonly apps = new Map<string, AppRecord>();
  constructor(
    readonly defaultNamespace: string,
    private readonly now: () => Date,
  ) {}

  private key(name: string, namespace: string | undefined): string {
    return `${namespace ?? this.defaultNamespace}/${name}`;
  }

  get(name: string, namespace?: string): AppRecord | undefined {
    return this.apps.get(this.key(name, namespace));
  }

  /** Creates an Application synced through `revisions` in order (the last one is live). */
  seedApp(name: string, revisions: string[], opts: { namespace?: string; automated?: AppRecord['automated']; project?: string } = {}): AppRecord {
    const app: AppRecord = {
      name,
      namespace: opts.namespace ?? this.defaultNamespace,
      project: opts.project ?? 'default',
      repoURL: 'https://github.com/acme/deploy.git',
      path: `apps/${name}`,
      annotations: {},
      automated: opts.automated ?? null,
      revision: '',
      history: [],
    };
    this.apps.set(this.key(name, app.namespace), app);
    for (const r of revisions) this.sync(app, r, 'admin');
    return app;
  }

  sync(app: AppRecord, revision: string, username: string): HistoryEntry {
    const at = this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const entry: HistoryEntry = { id: (app.history.at(-1)?.id ?? -1) + 1, revision, deployedAt: at, deployStartedAt: at, initiatedBy: { username } };
    app.history.push(entry);
    if (app.history.length > HISTORY_LIMIT) app.history.splice(0, app.history.length - HISTORY_LIMIT);
    app.revision = revision;
    return entry;
  }

  reset(): void {
    this.apps.clear();
  }
}
