import { STSClient } from '@aws-sdk/client-sts';
import type { Sleep } from '../../core/runtime.js';
import { StsIdentity } from '../../providers/aws/sts-identity.js';
import type { PreflightPorts } from '../../capabilities/preflight/step.js';
import { awsClientConfig, type Env } from '../clients.js';

/** Real ports for the preflight step; shared by the action and the CLI. */
export function buildPreflightPorts(deps: { env: Env; sleep: Sleep }): PreflightPorts {
  return { identity: new StsIdentity(new STSClient(awsClientConfig(deps.env)), deps.sleep) };
}
