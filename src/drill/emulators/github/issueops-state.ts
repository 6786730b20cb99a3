import type { CommentRecord, GitHubState } from './state.js';

/**
 * State of the alert and IssueOps endpoints (handlers-issueops.ts), kept beside the repository's
 * (keyed by it) so those handlers stay in their own files; tests and the drill seed collaborators,
 * make comments as people, and read reactions here (dispatch events: handlers-dispatch.ts).
 */

export type CollaboratorRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

export interface ReactionRecord {
  id: number;
  content: string;
  user: string;
  createdAt: string;
}

export interface IssueOpsState {
  collaborators: Map<string, CollaboratorRole>;
  reactions: Map<number, ReactionRecord[]>;
}

const STATES = new WeakMap<GitHubState, IssueOpsState>();

export function issueOpsState(state: GitHubState): IssueOpsState {
  let s = STATES.get(state);
  if (!s) STATES.set(state, (s = { collaborators: new Map(), reactions: new Map() }));
  return s;
}

/** A person's comment, as the web UI makes it (the token's own comments are `state.actor`'s). */
export function commentAs(state: GitHubState, issueNumber: number, login: string, body: string): CommentRecord {
  const issue = state.issues.get(issueNumber);
  if (!issue) throw new Error(`no issue #${issueNumber}`);
  const at = state.now();
  const comment: CommentRecord = { id: 3000000 + state.id(), issueNumber, body, user: login, createdAt: at, updatedAt: at };
  state.comments.set(comment.id, comment);
  return comment;
}

