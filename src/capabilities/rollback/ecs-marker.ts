import { ListTagsForResourceCommand, TagResourceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { withProviderRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';
import { ecsProviderError } from '../../providers/aws/ecs-services.js';

/** The tag rollback leaves on a service: `<marker> <task definition ARN>` of the run that rolled it back. */
export const MARKER_TAG = 'firebreak-rollback';

export class EcsRollbackMarker {
  constructor(private readonly opts: { client: ECSClient; sleep: Sleep }) {}

  async read(serviceArn: string): Promise<string | undefined> {
    const out = await withProviderRetry(
      async () => {
        try {
          return await this.opts.client.send(new ListTagsForResourceCommand({ resourceArn: serviceArn }));
        } catch (error) {
          throw ecsProviderError('ListTagsForResource', serviceArn, error);
        }
      },
      { attempts: 4, baseMs: 200, maxMs: 5_000, sleep: this.opts.sleep },
    );
    return out.tags?.find((t) => t.key === MARKER_TAG)?.value;
  }

  async write(serviceArn: string, value: string): Promise<void> {
    await withProviderRetry(
      async () => {
        try {
          return await this.opts.client.send(new TagResourceCommand({ resourceArn: serviceArn, tags: [{ key: MARKER_TAG, value }] }));
        } catch (error) {
          throw ecsProviderError('TagResource', serviceArn, error);
        }
      },
      { attempts: 4, baseMs: 200, maxMs: 5_000, sleep: this.opts.sleep },
    );
  }
}
