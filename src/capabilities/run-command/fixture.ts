import { CreateDocumentCommand, SSMClient } from '@aws-sdk/client-ssm';
import { documentName, renderDocument, RUN_COMMAND_CATALOGUE } from '../../core/run-command/catalogue.js';
import type { MotoServer } from '../../drill/emulators/moto.js';

/** The kit's vetted documents in moto, as RunCommandDocuments provisions them (direct endpoint: not faulted or counted). */
export async function provisionRunCommandDocuments(moto: MotoServer, prefix: string): Promise<string[]> {
  const ssm = new SSMClient({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const names: string[] = [];
  try {
    for (const entry of RUN_COMMAND_CATALOGUE) {
      const name = documentName(prefix, entry);
      await ssm.send(new CreateDocumentCommand({ Name: name, DocumentType: 'Command', DocumentFormat: 'JSON', Content: JSON.stringify(renderDocument(entry)) }));
      names.push(name);
    }
  } finally {
    ssm.destroy();
  }
  return names;
}
