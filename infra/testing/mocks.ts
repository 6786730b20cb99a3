/**
 * Strict Pulumi mocks for the kit's tests: every resource gets deterministic ids and ARNs, the
 * few invokes the kit makes are answered, and any other invoke throws, so a test cannot pass by
 * accident on a call nobody expected. Call `installMocks()` BEFORE importing a component.
 */
import * as pulumi from '@pulumi/pulumi';

export const TEST_ACCOUNT = '123456789012';
export const TEST_REGION = 'eu-west-1';

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, any>;
  state: Record<string, any>;
  custom: boolean;
}

export interface MockRecorder {
  resources: RecordedResource[];
  calls: { token: string; inputs: Record<string, any> }[];
  /** Invokes that were refused (Pulumi drops the error message on the way back, so keep the token). */
  unmocked: string[];
  /** Resources of one type token, e.g. `aws:wafv2/ipSet:IpSet`. */
  ofType(type: string): RecordedResource[];
  /** The one resource with this Pulumi name; throws if there is not exactly one. */
  named(name: string): RecordedResource;
}

type CallHandler = (inputs: Record<string, any>) => Record<string, any>;

const CALLS: Record<string, CallHandler> = {
  'aws:index/getCallerIdentity:getCallerIdentity': () => ({
    accountId: TEST_ACCOUNT,
    arn: `arn:aws:iam::${TEST_ACCOUNT}:user/test`,
    userId: 'AIDTEST',
    id: TEST_ACCOUNT,
  }),
  'aws:index/getPartition:getPartition': () => ({ partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws' }),
  'aws:index/getRegion:getRegion': (inputs) => ({ region: inputs['region'] ?? TEST_REGION, name: inputs['region'] ?? TEST_REGION, id: TEST_REGION }),
  'github:index/getUser:getUser': (inputs) => ({ id: String(1000 + String(inputs['username']).length), login: inputs['username'] }),
  'github:index/getTeam:getTeam': (inputs) => ({ id: String(500 + String(inputs['slug']).length), slug: inputs['slug'] }),
};

/** ARN a real provider would report, derived from the type token and physical name. */
function fakeArn(type: string, physical: string, inputs: Record<string, any>): string | undefined {
  const region = inputs['region'] ?? TEST_REGION;
  switch (type) {
    case 'aws:wafv2/ipSet:IpSet':
      return `arn:aws:wafv2:${region}:${TEST_ACCOUNT}:regional/ipset/${physical}/${physical}-id`;
    case 'aws:wafv2/regexPatternSet:RegexPatternSet':
      return `arn:aws:wafv2:${region}:${TEST_ACCOUNT}:regional/regexpatternset/${physical}/${physical}-id`;
    case 'aws:wafv2/ruleGroup:RuleGroup':
      return `arn:aws:wafv2:${region}:${TEST_ACCOUNT}:regional/rulegroup/${physical}/${physical}-id`;
    case 'aws:s3/bucket:Bucket':
      return `arn:aws:s3:::${physical}`;
    case 'aws:kms/key:Key':
      return `arn:aws:kms:${region}:${TEST_ACCOUNT}:key/${physical}`;
    case 'aws:iam/role:Role':
      return `arn:aws:iam::${TEST_ACCOUNT}:role/${physical}`;
    case 'aws:iam/openIdConnectProvider:OpenIdConnectProvider':
      return `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    case 'aws:cloudtrail/trail:Trail':
      return `arn:aws:cloudtrail:${region}:${TEST_ACCOUNT}:trail/${physical}`;
    case 'aws:cloudwatch/logGroup:LogGroup':
      return `arn:aws:logs:${region}:${TEST_ACCOUNT}:log-group:${physical}`;
    case 'aws:backup/vault:Vault':
      return `arn:aws:backup:${region}:${TEST_ACCOUNT}:backup-vault:${physical}`;
    case 'aws:ec2/securityGroup:SecurityGroup':
      return `arn:aws:ec2:${region}:${TEST_ACCOUNT}:security-group/sg-${physical}`;
    // The tick scheduler (tick-scheduler.ts).
    case 'aws:cloudwatch/eventBus:EventBus':
      return `arn:aws:events:${region}:${TEST_ACCOUNT}:event-bus/${physical}`;
    case 'aws:cloudwatch/eventConnection:EventConnection':
      return `arn:aws:events:${region}:${TEST_ACCOUNT}:connection/${physical}/conn-id`;
    case 'aws:cloudwatch/eventApiDestination:EventApiDestination':
      return `arn:aws:events:${region}:${TEST_ACCOUNT}:api-destination/${physical}/dest-id`;
    case 'aws:cloudwatch/eventRule:EventRule':
      return `arn:aws:events:${region}:${TEST_ACCOUNT}:rule/${physical}`;
    case 'aws:scheduler/schedule:Schedule':
      return `arn:aws:scheduler:${region}:${TEST_ACCOUNT}:schedule/default/${physical}`;
    default:
      return undefined;
  }
}

function fakeState(type: string, name: string, inputs: Record<string, any>): { id: string; state: Record<string, any> } {
  const physical: string = inputs['name'] ?? inputs['bucket'] ?? name;
  const state: Record<string, any> = { ...inputs };
  let id = `${physical}-id`;
  if (type === 'aws:s3/bucket:Bucket') {
    state['bucket'] = physical;
    id = physical;
  }
  if (type === 'aws:ec2/securityGroup:SecurityGroup') id = `sg-${physical}`;
  if (type === 'aws:guardduty/detector:Detector') id = 'detector0123456789';
  if (type === 'aws:kms/key:Key') state['keyId'] = physical;
  if (type === 'aws:backup/vault:Vault' || type === 'aws:iam/role:Role') state['name'] = physical;
  if (type === 'cloudflare:index/ruleset:Ruleset') {
    state['rules'] = (inputs['rules'] ?? []).map((r: Record<string, unknown>, i: number) => ({ ...r, id: `${name}-rule-${i}` }));
  }
  if (type.startsWith('github:') && inputs['environment'] !== undefined) state['environment'] = inputs['environment'];
  const arn = fakeArn(type, physical, inputs);
  if (arn !== undefined) state['arn'] = arn;
  if (type.startsWith('aws:wafv2/')) state['name'] = physical;
  if (type === 'aws:apigatewayv2/api:Api') state['apiEndpoint'] = `https://${physical}-id.execute-api.${TEST_REGION}.amazonaws.com`;
  if (type === 'aws:cloudwatch/eventBus:EventBus' || type === 'aws:cloudwatch/eventRule:EventRule') state['name'] = physical;
  return { id, state };
}

export function installMocks(): MockRecorder {
  const recorder: MockRecorder = {
    resources: [],
    calls: [],
    unmocked: [],
    ofType: (type) => recorder.resources.filter((r) => r.type === type),
    named: (name) => {
      const found = recorder.resources.filter((r) => r.name === name);
      if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
      return found[0]!;
    },
  };
  void pulumi.runtime.setMocks(
    {
      newResource(args) {
        const { id, state } = fakeState(args.type, args.name, args.inputs ?? {});
        recorder.resources.push({ type: args.type, name: args.name, inputs: args.inputs ?? {}, state, custom: args.custom ?? true });
        return { id: args.custom === false ? undefined : id, state };
      },
      call(args) {
        const handler = CALLS[args.token];
        if (!handler) recorder.unmocked.push(args.token);
        if (!handler) throw new Error(`unmocked invoke ${args.token}: add it to infra/testing/mocks.ts if the kit really needs it`);
        recorder.calls.push({ token: args.token, inputs: args.inputs ?? {} });
        return handler(args.inputs ?? {});
      },
    },
    'firebreak',
    'test',
    false,
  );
  return recorder;
}

/** Resolves an Output in a test. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Waits until every registration the program started has reached the mocks. */
export async function settle(): Promise<void> {
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

/** Parses a policy/JSON input that may already be an object. */
export function json(value: unknown): any {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
