import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { kitTags } from './aws-context.js';

export interface ThreatDetectionArgs {
  /** GuardDuty allows one detector per account and Region; reuse it when it already exists. */
  existingDetectorId?: string;
  findingPublishingFrequency?: 'FIFTEEN_MINUTES' | 'ONE_HOUR' | 'SIX_HOURS';
  tags?: Record<string, string>;
}

/** A GuardDuty detector, so triage has findings to read from the first minute of an incident. */
export class ThreatDetection extends pulumi.ComponentResource {
  public readonly detectorId: pulumi.Output<string>;

  constructor(name: string, args: ThreatDetectionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:aws:ThreatDetection', name, {}, opts);
    if (args.existingDetectorId !== undefined) {
      this.detectorId = pulumi.output(args.existingDetectorId);
    } else {
      const detector = new aws.guardduty.Detector(
        `${name}-detector`,
        {
          enable: true,
          findingPublishingFrequency: args.findingPublishingFrequency ?? 'FIFTEEN_MINUTES',
          tags: kitTags('detection', args.tags),
        },
        { parent: this },
      );
      this.detectorId = detector.id;
    }
    this.registerOutputs({ detectorId: this.detectorId });
  }
}
