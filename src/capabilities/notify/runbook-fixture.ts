import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { parseConfig } from '../../core/config/parse.js';
import type { NotifyConfig } from '../../core/config/sections/notify.js';
import { startGoogleChatEmulator, type GoogleChatEmulator } from '../../drill/emulators/google-chat/server.js';
import { startPagerDutyEmulator, type PagerDutyEmulator } from '../../drill/emulators/pagerduty/server.js';
import { startSlackEmulator, type SlackEmulator } from '../../drill/emulators/slack/server.js';
import { startStatuspageEmulator, type StatuspageEmulator } from '../../drill/emulators/statuspage/server.js';
import { awsClientConfig } from '../../runtime/clients.js';
import { ENV } from '../../runtime/env.js';
import { NOTIFY_ENDPOINT_ENV, NOTIFY_SECRETS_ENV } from '../../runtime/ports/notify.js';
import { check, type Expectation } from '../../drill/scenario.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { motoSent } from '../../drill/emulators/moto-sent.js';
import { incidentIssue } from '../../drill/runbook/incident-ledger.js';
import type { RunbookWorld } from '../../drill/runbook/world.js';

/**
 * notify in a runbook drill. Which providers an organisation pages through, who is reachable where
 * and which events go where is the organisation's choice, kept in the seed's drill config
 * (`notify:` in runbooks/drill/<seed>.yml, by reference: names of secrets). The fixture plays the
 * organisation's providers and secret store: it starts the emulator of every channel kind the
 * config names (Slack, PagerDuty, Google Chat, Statuspage; SNS and SES in moto), and puts made-up
 * values for every referenced name into the drill's environment, personal ones in the
 * FIREBREAK_NOTIFY_SECRETS bundle as a workflow would pass them.
 *
 * Providers and secrets exist before an incident does, so `declare`'s fixture calls
 * `notifyChannelsReady` too: its notify hook pages at once, as in production, and the runbook's
 * notify step delivers whatever is still owed. A drill config without a `notify:` section gets a
 * minimal one when the runbook runs notify (an incident channel for the roster, the commander paged).
 *
 * verify: what the routes say the declaration sends, read back from each provider: the Slack
 * incident channel with the invited people and the pinned summary, one PagerDuty page, one SMS per
 * person (moto's SNS), one e-mail per person (moto's SES), the Google Chat message in the thread of
 * the incident, one status-page incident; every delivery recorded on the issue, none failed; and no
 * planted secret or address in the audit chain.
 */

interface NotifyServices {
  slack?: SlackEmulator;
  pagerduty?: PagerDutyEmulator;
  chat?: GoogleChatEmulator;
  statuspage?: { emulator: StatuspageEmulator; pageId: string };
  /** Every value planted for a reference (tokens, keys, phone numbers, addresses). */
  planted: Record<string, string>;
}

const PD_POLICY = 'PDRILL01';

/** An Events API v2 integration key: 32 characters. */
const routingKey = (): string => `R0UTING${randomBytes(16).toString('hex').toUpperCase()}`.slice(0, 32);

/** The drill config's notify section as the CLI reads it (defaults filled in). */
async function notifyConfig(world: RunbookWorld): Promise<NotifyConfig> {
  return parseConfig(await readFile(world.configFile, 'utf8')).notify;
}

/** A value for a reference name that looks like the real thing and never collides across names. */
function plantedValue(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  if (name.endsWith('_PHONE')) return `+1555${String(Number.parseInt(h.slice(0, 8), 16) % 10_000_000).padStart(7, '0')}`;
  if (name.endsWith('_EMAIL')) return `${name.toLowerCase().replace(/_email$/, '').replace(/_/g, '.')}@example.com`;
  if (name.endsWith('_SLACK_ID')) return `U${h.slice(0, 10).toUpperCase()}`;
  if (name.includes('ROUTING_KEY')) return routingKey();
  return `drill-${name.toLowerCase()}-${randomBytes(6).toString('hex')}`;
}

/**
 * Starts the providers the drill config's notify channels name and plants every referenced value;
 * idempotent (once per drill). Does nothing when the config routes nothing.
 */
export async function notifyChannelsReady(world: RunbookWorld): Promise<NotifyServices | undefined> {
  const config = await notifyConfig(world);
  if (config.routes.length === 0) return undefined;
  return world.once('notify:providers', async () => {
    const kinds = new Set(Object.values(config.channels).map((c) => c.kind));
    const planted: Record<string, string> = {};
    const services: NotifyServices = { planted };
    const bundle: Record<string, string> = {};
    for (const person of Object.values(config.roster)) {
      for (const [k, name] of Object.entries(person)) if (k.endsWith('_env') && typeof name === 'string') bundle[name] = planted[name] = plantedValue(name);
    }
    for (const ch of Object.values(config.channels)) {
      switch (ch.kind) {
        case 'slack': {
          const token = (planted[ch.token_env] ??= `xoxb-drill-${randomBytes(8).toString('hex')}`);
          services.slack ??= await world.service('slack', async () => {
            const slack = await startSlackEmulator({ token });
            return { value: slack, stop: () => slack.close(), faults: slack.faults, violations: () => slack.violations };
          });
          world.env[NOTIFY_ENDPOINT_ENV.slack] = services.slack.apiUrl;
          if (ch.announce_channel_env) planted[ch.announce_channel_env] ??= 'C0DRILLANNOUNCE';
          break;
        }
        case 'pagerduty': {
          planted[ch.routing_key_env] ??= routingKey();
          if (ch.api_token_env) planted[ch.api_token_env] ??= `pd-drill-${randomBytes(8).toString('hex')}`;
          break;
        }
        case 'google-chat': {
          const key = randomBytes(8).toString('hex');
          const token = randomBytes(8).toString('hex');
          services.chat ??= await world.service('google-chat', async () => {
            const chat = await startGoogleChatEmulator({ key, token });
            return { value: chat, stop: () => chat.close(), faults: chat.faults, violations: () => chat.violations };
          });
          planted[ch.webhook_url_env] ??= services.chat.webhookUrl('AAAAdrillspace');
          break;
        }
        case 'statuspage': {
          const pageId = 'drillpage01';
          const apiKey = (planted[ch.api_key_env] ??= `sp-drill-${randomBytes(8).toString('hex')}`);
          planted[ch.page_id_env] ??= pageId;
          const components = ch.components;
          const emulator = await world.service('statuspage', async () => {
            const sp = await startStatuspageEmulator({ pageId, apiKey, components });
            return { value: sp, stop: () => sp.close(), faults: sp.faults, violations: () => sp.violations };
          });
          services.statuspage = { emulator, pageId };
          world.env[NOTIFY_ENDPOINT_ENV.statuspage] = emulator.url;
          break;
        }
        case 'sms':
        case 'sns-topic':
          await world.aws();
          break;
        case 'email': {
          const moto = await world.aws();
          const from = (planted[ch.from_env] ??= 'incidents@drill.example.com');
          await world.once(`ses-identity:${from}`, () => new SESv2Client(awsClientConfig({ ...moto.env(), [ENV.awsEndpoint]: moto.directEndpoint })).send(new CreateEmailIdentityCommand({ EmailIdentity: from })));
          break;
        }
        case 'webhook':
          break;
      }
    }
    if (kinds.has('pagerduty')) {
      const names = [
        ...Object.values(config.channels).flatMap((c) => (c.kind === 'pagerduty' ? [c.routing_key_env] : [])),
        ...Object.values(config.roster).flatMap((p) => (p.pagerduty_routing_key_env ? [p.pagerduty_routing_key_env] : [])),
      ];
      const keys = names.map((n) => planted[n]!);
      const token = Object.values(config.channels).flatMap((c) => (c.kind === 'pagerduty' && c.api_token_env ? [planted[c.api_token_env]!] : []))[0] ?? `pd-drill-${randomBytes(8).toString('hex')}`;
      services.pagerduty = await world.service('pagerduty', async () => {
        const pd = await startPagerDutyEmulator({ routingKeys: keys, apiToken: token, oncalls: [{ policy: PD_POLICY, level: 1, user: 'Drill On-call' }] });
        return { value: pd, stop: () => pd.close(), faults: pd.faults, violations: () => pd.violations };
      });
      world.env[NOTIFY_ENDPOINT_ENV.pagerdutyEvents] = services.pagerduty.url;
      world.env[NOTIFY_ENDPOINT_ENV.pagerdutyRest] = services.pagerduty.url;
    }
    // Channel credentials as their own secrets; people's addresses in the bundle, as a workflow passes them.
    for (const [name, value] of Object.entries(planted)) if (!(name in bundle)) world.env[name] = value;
    world.env[NOTIFY_SECRETS_ENV] = JSON.stringify(bundle);
    return services;
  });
}

/**
 * A drill config with no notify section gets the smallest useful one: an incident channel in Slack
 * with every roster role invited, the commander paged, every later event in the channel.
 */
async function ensureNotifySection(world: RunbookWorld): Promise<void> {
  if ((await notifyConfig(world)).routes.length > 0) return;
  const incident = parseConfig(await readFile(world.configFile, 'utf8')).incident;
  const roles = Object.keys(incident.roster);
  const people = [...new Set(Object.values(incident.roster).flat())];
  const envName = (handle: string): string => `${handle.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_SLACK_ID`;
  await world.patchConfig(['notify'], {
    channels: { slack: { kind: 'slack' }, pager: { kind: 'pagerduty' } },
    roster: Object.fromEntries(people.map((h) => [h, { slack_id_env: envName(h) }])),
    routes: [
      { events: ['declared'], channels: ['slack'], to: roles.map((r) => `role:${r}`) },
      { events: ['declared', 'ack_overdue'], channels: ['pager'] },
      { events: ['severity_changed', 'update_posted', 'escalation', 'deadline_warning', 'resolved', 'closed'], channels: ['slack'] },
      { events: ['resolved', 'closed'], channels: ['pager'] },
    ],
  });
}

export const notifyFixture: RunbookFixture = {
  async prepare(world) {
    await ensureNotifySection(world);
    await notifyChannelsReady(world);
  },
  async verify(world, outcome) {
    const out: Expectation[] = [];
    const services = await notifyChannelsReady(world);
    const config = await notifyConfig(world);
    const issue = await incidentIssue(world);
    const id = world.incidentId ?? '';
    const severity = issue?.labels.find((l) => l.startsWith('severity:'))?.slice('severity:'.length) ?? '';
    const roster = parseConfig(await readFile(world.configFile, 'utf8')).incident.roster;
    const planted = services?.planted ?? {};
    const holders = (to: readonly string[]): string[] => [...new Set(to.flatMap((t) => (t.startsWith('role:') ? [...(roster[t.slice(5)] ?? [])] : [t])))];

    // Every notify run on the incident (the hooks' and this step's) delivered; none failed.
    const runs = (issue?.records ?? []).filter((r) => r.step === 'notify' && !r.dryRun);
    const outcomes = runs.flatMap((r) => (r.result as { outcomes?: Array<{ subject: string; status: string; reason?: string }> } | null)?.outcomes ?? []);
    const failed = outcomes.filter((o) => o.status === 'failed');
    out.push(check('notify delivered on the incident and recorded it on the issue', outcomes.some((o) => o.status === 'applied'), `${runs.length} notify record(s): ${runs.map((r) => r.status).join(', ')}`));
    out.push(check('no delivery failed', failed.length === 0, failed.map((f) => f.reason ?? f.subject).join('; ')));

    const declared = config.routes.filter((r) => r.events.includes('declared') && (!r.severities || r.severities.includes(severity)));
    out.push(check(`the config routes the declaration of a ${severity} somewhere`, declared.length > 0, 'no notify route for declared at this severity'));
    const sent = [...new Set(declared.flatMap((r) => r.channels.map((c) => config.channels[c]!.kind)))].some((k) => k === 'sms' || k === 'email') ? await motoSent(await world.aws()) : { sms: [], email: [] };
    for (const route of declared) {
      const people = holders(route.to);
      for (const name of route.channels) {
        const ch = config.channels[name]!;
        switch (ch.kind) {
          case 'slack': {
            const channel = services?.slack?.byName(`${ch.channel_prefix}${id.toLowerCase()}`.replace(/[^a-z0-9_-]/g, '-'));
            const invited = people.flatMap((p) => (config.roster[p]?.slack_id_env ? [planted[config.roster[p]!.slack_id_env!]!] : []));
            out.push(check(`Slack incident channel ${ch.channel_prefix}${id.toLowerCase()} exists`, !!channel, `channels: ${[...(services?.slack?.channels.values() ?? [])].map((c) => c.name).join(', ') || 'none'}`));
            out.push(check(`the Slack channel has ${people.join(', ')} invited`, !!channel && invited.length === people.length && invited.every((u) => channel.members.includes(u)), `members ${channel?.members.length ?? 0}, expected ${people.length}`));
            out.push(check('the incident summary is pinned, once, as the first message', !!channel && channel.pins.length === 1 && channel.pins[0] === channel.messages[0]?.ts && (channel.messages[0]?.text ?? JSON.stringify(channel.messages[0]?.blocks)).length > 0, `${channel?.pins.length ?? 0} pin(s)`));
            break;
          }
          case 'pagerduty': {
            const pages = services?.pagerduty?.pages.filter((p) => p === id).length ?? 0;
            out.push(check(`PagerDuty paged once for ${id}`, pages === 1, `${pages} page(s): ${JSON.stringify(services?.pagerduty?.pages ?? [])}`));
            break;
          }
          case 'sms': {
            // Only people with a phone are texted (the planner skips the others); someone must be.
            const phones = people.flatMap((p) => (config.roster[p]?.phone_env ? [[p, planted[config.roster[p]!.phone_env!]!] as const] : []));
            out.push(check(`the ${name} route reaches someone with a phone`, phones.length > 0, `${people.join(', ')} have no phone_env`));
            for (const [p, phone] of phones) {
              const n = sent.sms.filter((m) => m.phone_number === phone).length;
              out.push(check(`one SMS to ${p}'s phone (SNS, read back from moto)`, n === 1, `${n} SMS`));
            }
            break;
          }
          case 'email': {
            const addresses = people.flatMap((p) => (config.roster[p]?.email_env ? [[p, planted[config.roster[p]!.email_env!]!] as const] : []));
            out.push(check(`the ${name} route reaches someone with an e-mail address`, addresses.length > 0, `${people.join(', ')} have no email_env`));
            for (const [p, address] of addresses) {
              const n = sent.email.filter((m) => m.destinations.ToAddresses.includes(address) && m.subject.includes(id)).length;
              out.push(check(`one e-mail about ${id} to ${p} (SES, read back from moto)`, n === 1, `${n} e-mail(s)`));
            }
            break;
          }
          case 'google-chat': {
            const n = services?.chat?.messages.filter((m) => m.threadKey === id).length ?? 0;
            out.push(check(`Google Chat has the declaration in the thread of ${id}`, n >= 1, `${n} message(s)`));
            break;
          }
          case 'statuspage': {
            const incidents = [...(services?.statuspage?.emulator.incidents.values() ?? [])];
            out.push(check('one status-page incident is open for it', incidents.length === 1 && incidents[0]!.status !== 'resolved', JSON.stringify(incidents.map((i) => i.status))));
            break;
          }
          default:
            out.push(check(`channel ${name} (${ch.kind}) is read back`, false, 'this fixture does not read that channel kind back'));
        }
      }
    }
    // Nothing planted (tokens, keys, phone numbers, addresses) may reach the audit chain.
    const audit = await readFile(world.auditFile, 'utf8').catch(() => '');
    const leaked = Object.entries(planted).filter(([, v]) => v.length >= 8 && audit.includes(v)).map(([n]) => n);
    out.push(check('no secret or address the drill planted appears in the audit chain', audit.length > 0 && leaked.length === 0, leaked.length ? `found: ${leaked.join(', ')}` : 'no audit chain'));
    return out;
  },
};
