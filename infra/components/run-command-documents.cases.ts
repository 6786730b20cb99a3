import { beforeAll, describe, expect, it } from 'vitest';
import { renderDocument, RUN_COMMAND_CATALOGUE } from '../../src/core/run-command/catalogue.js';
import { settle, valueOf, type MockRecorder } from '../testing/mocks.js';

/** Cases for run-command-documents.ts; run by components.test.ts under one set of strict mocks. */
export function runCommandDocumentsCases(mocks: MockRecorder): void {
  let component: typeof import('./run-command-documents.js');

  beforeAll(async () => {
    component = await import('./run-command-documents.js');
  });

  describe('RunCommandDocuments', () => {
    it('provisions one Command document per catalogue entry, with exactly the content the step compares against', async () => {
      const docs = new component.RunCommandDocuments('rc', { prefix: 'acme-fb' });
      const names = await Promise.all(docs.documentNames.map((n) => valueOf(n)));
      await settle();
      expect(mocks.named('rc').type).toBe('firebreak:aws:RunCommandDocuments');
      expect(names).toEqual(['acme-fb-HostHealth', 'acme-fb-DockerComposeRestart', 'acme-fb-DockerStats', 'acme-fb-PostgresLongQueries']);
      const created = mocks.ofType('aws:ssm/document:Document').filter((d) => d.name.startsWith('rc-'));
      expect(created.map((d) => d.name)).toEqual(RUN_COMMAND_CATALOGUE.map((e) => `rc-${e.name}`));
      for (const [i, d] of created.entries()) {
        expect(d.inputs).toMatchObject({ documentType: 'Command', documentFormat: 'JSON', tags: { 'firebreak:managed': 'true', 'firebreak:role': 'run-command' } });
        expect(JSON.parse(String(d.inputs['content']))).toEqual(renderDocument(RUN_COMMAND_CATALOGUE[i]!));
      }
    });

    it('two instances with their own prefixes do not collide; a reserved or malformed prefix is refused', () => {
      new component.RunCommandDocuments('rc-a', { prefix: 'team-a' });
      new component.RunCommandDocuments('rc-b', { prefix: 'team-b' });
      expect(() => new component.RunCommandDocuments('rc-c', { prefix: 'AWS-mine' })).toThrow(/must not start with aws/);
      expect(() => new component.RunCommandDocuments('rc-d', { prefix: 'a b' })).toThrow(/letters, digits/);
    });
  });
}
