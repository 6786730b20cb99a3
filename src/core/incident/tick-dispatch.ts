import { TICK_EVENT_TYPE } from './tick-timing.js';

/**
 * The wire format between the kit's EventBridge Scheduler schedule and the incident-tick workflow
 * (infra/components/tick-scheduler.ts builds it, src/runtime/tick-trigger.ts reads it). Kept apart
 * from the Pulumi component so the contract test can use it without loading the Pulumi SDK.
 *
 * Scheduler → event bus: the event detail, with Scheduler's context attribute for the time
 * (AWS "Adding context attributes in EventBridge Scheduler": `<aws.scheduler.scheduled-time>`).
 * Rule → API destination: the GitHub request body through an input transformer; an unquoted
 * placeholder takes the JSON value at the path (AWS InputTransformer reference).
 */
export const TICK_EVENT_SOURCE = 'firebreak.scheduler';
export const TICK_DETAIL_TYPE = TICK_EVENT_TYPE;
export const SCHEDULER_INPUT = JSON.stringify({ scheduled_time: '<aws.scheduler.scheduled-time>' });
export const DISPATCH_INPUT_PATHS = { scheduled: '$.detail.scheduled_time' } as const;
export const DISPATCH_INPUT_TEMPLATE = `{"event_type":"${TICK_EVENT_TYPE}","client_payload":{"scheduled_time":<scheduled>,"source":"eventbridge-scheduler"}}`;
export const GITHUB_API_VERSION = '2022-11-28';
