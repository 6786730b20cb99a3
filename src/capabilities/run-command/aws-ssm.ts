import { GetCommandInvocationCommand, GetDocumentCommand, SendCommandCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { awsCall, awsErrorName, type AwsCallOptions } from '../../providers/aws/aws-provider-call.js';
import type { CommandInvocation, SsmApi } from './ports.js';

/** SSM over the AWS SDK v3: calls and retries, no decisions. */
export class AwsSsm implements SsmApi {
  constructor(private readonly o: AwsCallOptions & { client: SSMClient }) {}

  async documentContent(name: string): Promise<string | undefined> {
    try {
      const out = await awsCall(this.o, 'ssm', 'GetDocument', `document ${name}`, () => this.o.client.send(new GetDocumentCommand({ Name: name, DocumentFormat: 'JSON' })));
      return out.Content;
    } catch (error) {
      if (awsErrorName(error) === 'InvalidDocument') return undefined;
      throw error;
    }
  }

  async sendCommand(input: { documentName: string; instanceIds: string[]; parameters: Record<string, string>; comment: string; timeoutSeconds: number }): Promise<string> {
    // Not retried after an ambiguous failure: the command might already run on the hosts.
    const out = await awsCall(
      this.o,
      'ssm',
      'SendCommand',
      `document ${input.documentName}`,
      () =>
        this.o.client.send(
          new SendCommandCommand({
            DocumentName: input.documentName,
            InstanceIds: input.instanceIds,
            Parameters: Object.fromEntries(Object.entries(input.parameters).map(([k, v]) => [k, [v]])),
            Comment: input.comment,
            TimeoutSeconds: input.timeoutSeconds,
          }),
        ),
      false,
    );
    return out.Command?.CommandId ?? '';
  }

  async invocation(commandId: string, instanceId: string): Promise<CommandInvocation | undefined> {
    try {
      const out = await awsCall(this.o, 'ssm', 'GetCommandInvocation', `command ${commandId} on ${instanceId}`, () =>
        this.o.client.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId })),
      );
      return { status: out.Status ?? '', responseCode: out.ResponseCode, stdout: out.StandardOutputContent ?? '', stderr: out.StandardErrorContent ?? '' };
    } catch (error) {
      if (awsErrorName(error) === 'InvocationDoesNotExist') return undefined;
      throw error;
    }
  }
}
