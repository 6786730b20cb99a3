import { describe, expect, it } from 'vitest';
import { checkJobPermissions, jobPermissions, OPERATION_PERMISSIONS } from './github-permissions.js';
import spec from '../emulators/github/openapi-subset.json' with { type: 'json' };

describe('checkJobPermissions', () => {
  it('passes when every operation is covered and every permission used', () => {
    expect(checkJobPermissions('declare', ['issues/create', 'issues/list-for-repo', 'repos/get'], { issues: 'write', 'id-token': 'write' })).toEqual([]);
  });

  it('names the step, the operation and what the job grants when a permission is missing', () => {
    expect(checkJobPermissions('write-postmortem', ['pulls/create', 'repos/get-content'], { contents: 'read' }).map((f) => [f.kind, f.message])).toEqual([
      ['missing', 'write-postmortem: pulls/create needs pull-requests: write; the job grants {"contents":"read"}'],
    ]);
    // The read it does grant serves no call, so it is reported as well.
    expect(checkJobPermissions('declare', ['issues/create'], { issues: 'read' }).map((f) => f.kind)).toEqual(['missing', 'unused']);
  });

  it('reports unused permissions and write where read does', () => {
    const f = checkJobPermissions('classify', ['issues/list-comments'], { issues: 'write', 'pull-requests': 'read', contents: 'none' });
    expect(f.map((x) => `${x.kind}/${x.subject}`)).toEqual(['broader-than-needed/issues', 'unused/pull-requests']);
  });

  it('refuses an operation it has no entry for', () => {
    expect(checkJobPermissions('x', ['actions/create-workflow-dispatch'], { actions: 'write' }).map((f) => `${f.kind}/${f.subject}`)).toEqual([
      'unmapped/actions/create-workflow-dispatch',
      'unused/actions',
    ]);
  });

  it('every table entry is a real operation of the committed GitHub OpenAPI subset', () => {
    const ids = new Set(Object.values((spec as { paths: Record<string, Record<string, { operationId: string }>> }).paths).flatMap((p) => Object.values(p).map((o) => o.operationId)));
    expect(Object.keys(OPERATION_PERMISSIONS).filter((op) => !ids.has(op))).toEqual([]);
  });
});

describe('jobPermissions', () => {
  const yaml = `
permissions: { contents: read }
jobs:
  a:
    permissions:
      issues: write
  b:
    runs-on: x
  c:
    permissions: write-all
`;
  it('reads the job block, else the workflow block, and refuses shorthands', () => {
    expect(jobPermissions(yaml, 'a')).toEqual({ issues: 'write' });
    expect(jobPermissions(yaml, 'b')).toEqual({ contents: 'read' });
    expect(() => jobPermissions(yaml, 'c')).toThrow(/shorthand permissions "write-all"/);
    expect(() => jobPermissions(yaml, 'd')).toThrow(/no job "d"/);
    expect(() => jobPermissions('jobs: { a: {} }', 'a')).toThrow(/declares no permissions/);
  });
});
