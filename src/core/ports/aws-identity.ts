/** Who the AWS credentials in reach belong to: the answer to "can the responder act?" */
export interface CallerIdentity {
  account: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` when running through OIDC. */
  arn: string;
  userId: string;
}

export interface AwsIdentityPort {
  /** Read-only; throws ProviderError when the credentials are missing, expired or rejected. */
  whoAmI(): Promise<CallerIdentity>;
}
