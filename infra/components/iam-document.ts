/**
 * Minimal IAM policy-document types and a JSON helper shared by the components. Documents are
 * built as plain objects and serialised once, so tests and the policy pack read the same JSON
 * AWS receives.
 */
import * as pulumi from '@pulumi/pulumi';

export type Condition = Record<string, Record<string, string | string[]>>;

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Condition;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Statement[];
}

/** Serialises a document whose statements may hold Outputs (ARNs not known until creation). */
export function policyJson(statements: pulumi.Input<pulumi.Input<Statement>[]>): pulumi.Output<string> {
  return pulumi.output(statements).apply((resolved) =>
    JSON.stringify({ Version: '2012-10-17', Statement: resolved } satisfies PolicyDocument),
  );
}

/** Account, region and partition the kit runs in; every scoped ARN is built from these. */
export interface AwsContext {
  accountId: string;
  region: string;
  partition: string;
}
