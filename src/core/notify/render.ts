import { InputError } from '../errors.js';
import type { NotifyEvent } from '../config/sections/notify.js';

/**
 * Message templates: `{name}` placeholders filled from the event. A placeholder that is not a
 * variable, or one this event does not have (`{text}` in a declaration), is refused before anything
 * is sent: a page that reads "{text}" at 3 a.m. helps nobody.
 */

export const TEMPLATE_VARIABLES = ['id', 'title', 'severity', 'summary', 'status', 'text', 'role', 'rung', 'url'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export const DEFAULT_TEMPLATES: Readonly<Record<NotifyEvent, string>> = {
  declared: '🔴 {severity} incident declared: {title}\n{summary}\n{url}',
  severity_changed: '{id}: severity is now {severity} ({title})',
  update_posted: '{id} update ({status}): {text}',
  ack_overdue: '{id}: nobody has acknowledged this {severity} incident yet ({title})',
  escalation: '{id}: escalated to {role} (rung {rung}): {title}',
  deadline_warning: '{id}: {text}',
  resolved: '✅ {id} resolved: {text}',
  closed: '{id} closed: {title}',
};

export function renderTemplate(template: string, vars: Partial<Record<TemplateVariable, string>>, where: string): string {
  return template.replace(/\{([^{}\s]*)\}/g, (_, name: string) => {
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
      throw new InputError(`${where}: {${name}} is not a template variable (known: ${TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(' ')})`, { field: 'notify.templates', code: 'TEMPLATE_VARIABLE_UNKNOWN' });
    }
    const value = vars[name as TemplateVariable];
    if (value === undefined) {
      throw new InputError(`${where}: {${name}} has no value for this event; use it only in templates of events that carry it`, { field: 'notify.templates', code: 'TEMPLATE_VARIABLE_MISSING' });
    }
    return value;
  });
}

/** Splits text into parts of at most `max` characters, at line breaks where possible. */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut <= 0) cut = max;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}
