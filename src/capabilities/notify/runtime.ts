import { incidentRuntime } from '../shared/incident-capability.js';
import { notifyStep, type NotifyStepPorts } from './step.js';

export const runtime = await incidentRuntime(notifyStep, {
  async ports(ctx): Promise<NotifyStepPorts> {
    const { buildIncidentPorts } = await import('../../runtime/ports/incident.js');
    const { buildNotifyPorts } = await import('../../runtime/ports/notify.js');
    const { buildDeliveryClaims } = await import('../../runtime/ports/notify.js');
    const { notify, env } = buildNotifyPorts({ env: ctx.env, sleep: ctx.sleep, clock: ctx.clock, config: ctx.config, mask: ctx.mask });
    return { ...buildIncidentPorts(ctx), notify, notifyConfig: ctx.config.notify, env, claims: buildDeliveryClaims(ctx) };
  },
});
