import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { documentName, renderDocument, RUN_COMMAND_CATALOGUE } from '../../src/core/run-command/catalogue.js';
import { kitTags } from './aws-context.js';

export interface RunCommandDocumentsArgs {
  /** Document names are `<prefix>-<Name>` (e.g. firebreak-HostHealth); letters, digits, _ . - only. */
  prefix?: string;
  tags?: Record<string, string>;
}

/**
 * The vetted catalogue (src/core/run-command/catalogue.ts) as SSM Command documents: the only
 * documents run-command will send. The step reads each one back and refuses it when its content is
 * not exactly what the catalogue renders, so an edit made outside `pulumi up` stops the button
 * instead of running unreviewed shell on a host.
 */
export class RunCommandDocuments extends pulumi.ComponentResource {
  public readonly prefix: string;
  /** Known before deployment (the responder role's policy names them). */
  public readonly names: string[];
  public readonly documentNames: pulumi.Output<string>[];
  public readonly documentArns: pulumi.Output<string>[];

  constructor(name: string, args: RunCommandDocumentsArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:aws:RunCommandDocuments', name, {}, opts);
    const prefix = args.prefix ?? 'firebreak';
    if (!/^[A-Za-z0-9_.-]{3,64}$/.test(prefix) || /^(aws|amazon|amzn)/i.test(prefix)) {
      throw new Error(`RunCommandDocuments: prefix must be 3-64 of letters, digits, _ . - and must not start with aws, amazon or amzn; got "${prefix}"`);
    }
    this.prefix = prefix;
    this.names = RUN_COMMAND_CATALOGUE.map((entry) => documentName(prefix, entry));
    const docs = RUN_COMMAND_CATALOGUE.map(
      (entry) =>
        new aws.ssm.Document(
          `${name}-${entry.name}`,
          {
            name: documentName(prefix, entry),
            documentType: 'Command',
            documentFormat: 'JSON',
            content: JSON.stringify(renderDocument(entry)),
            tags: kitTags('run-command', args.tags),
          },
          { parent: this },
        ),
    );
    this.documentNames = docs.map((d) => d.name);
    this.documentArns = docs.map((d) => d.arn);
    this.registerOutputs({ prefix, documentNames: this.documentNames, documentArns: this.documentArns });
  }
}
