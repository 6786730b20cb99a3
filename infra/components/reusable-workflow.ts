// No Pulumi imports: config.ts validates the setting with the same pattern before anything loads.

/**
 * What `reusableWorkflow` must look like: `owner/repo/.github/workflows/<file>.yml@<ref>`, the form
 * of the token's `job_workflow_ref` claim (e.g. `acme/firebreak/.github/workflows/reusable-*.yml@*`
 * or `…@<commit sha>`). Owner and repository are literal: a wildcard there would trust workflows
 * from any repository. The file name and the ref may use `*` and `?` (StringLike).
 */
export const REUSABLE_WORKFLOW_PATTERN = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+\/\.github\/workflows\/[A-Za-z0-9._*?-]+\.ya?ml@[A-Za-z0-9._*?\/-]+$/;

export function validateReusableWorkflow(pattern: string, who = 'ResponderRole'): void {
  if (!REUSABLE_WORKFLOW_PATTERN.test(pattern)) {
    throw new Error(
      `${who}: reusableWorkflow must look like owner/repo/.github/workflows/<file>.yml@<ref> (the job_workflow_ref claim; * and ? only in the file name and the ref), got "${pattern}"`,
    );
  }
}
