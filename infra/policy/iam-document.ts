/** Reading IAM policy documents as the engine hands them over (JSON string or object). */

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** Statements of a policy document; undefined when the document is not known yet (preview). */
export function statementsOf(document: unknown): PolicyStatement[] | undefined {
  let doc: unknown = document;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return undefined;
    }
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const raw = (doc as { Statement?: unknown }).Statement;
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]) as PolicyStatement[];
}

export function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * An action that only reads: Describe*, List*, Get*, plus the few read verbs services use.
 * Everything else counts as a write, which is the safe default for an unknown verb.
 */
const READ_VERBS = /^(Describe|List|Get|BatchGet|Filter|Search|Lookup|Head|View)[A-Za-z]*$/;

export function isReadOnlyAction(action: string): boolean {
  const verb = action.split(':')[1];
  return verb !== undefined && !verb.includes('*') && READ_VERBS.test(verb);
}

/** Allow statements, with a label to name them in messages. */
export function allowStatements(statements: PolicyStatement[]): { label: string; statement: PolicyStatement }[] {
  return statements
    .map((statement, i) => ({ label: statement.Sid ? `statement "${statement.Sid}"` : `statement #${i + 1}`, statement }))
    .filter(({ statement }) => statement.Effect === 'Allow');
}
