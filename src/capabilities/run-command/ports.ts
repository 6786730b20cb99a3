import type { EvidenceWriter } from '../isolate/ports.js';

export interface CommandInvocation {
  /** Pending, InProgress, Delayed, Success, Cancelled, TimedOut, Failed, Cancelling. */
  status: string;
  responseCode: number | undefined;
  /** What the API returns: the first 24,000 characters at most. */
  stdout: string;
  stderr: string;
}

/** AWS Systems Manager as run-command uses it. */
export interface SsmApi {
  /** The document's content as provisioned (JSON), or undefined when it does not exist. */
  documentContent(name: string): Promise<string | undefined>;
  sendCommand(input: { documentName: string; instanceIds: string[]; parameters: Record<string, string>; comment: string; timeoutSeconds: number }): Promise<string>;
  /** Undefined while SSM has not created the invocation yet (InvocationDoesNotExist right after sending). */
  invocation(commandId: string, instanceId: string): Promise<CommandInvocation | undefined>;
}

export interface RunCommandPorts {
  ssm: SsmApi;
  /** FIREBREAK_SSM_DOCUMENT_PREFIX: the kit's documents are named `<prefix>-<Name>`. */
  documentPrefix: string | undefined;
  evidence: EvidenceWriter | undefined;
  pollMs?: number | undefined;
}
