/**
 * Routed summaries: rules that send urgent alerts and digests, the webhooks
 * they may send to, and the delivery log. Shapes follow api/routing.go,
 * api/webhooks.go and api/deliveries.go; docs/delivery.md explains them.
 */
import { api } from '../../lib/api';

export type RuleEvent = 'urgent' | 'digest';
export type Schedule = 'daily' | 'weekly';
export type DeliveryState = 'pending' | 'sent' | 'dead';
export type Channel = 'inbox' | 'email' | 'webhook';

export interface RoutingRule {
  id: string;
  name: string;
  event: RuleEvent;
  site_ids: string[];
  need_codes: string[];
  schedule: Schedule | null;
  /** 0 = Sunday … 6 = Saturday, for a weekly digest. */
  weekday: number | null;
  time_zone: string;
  language: 'en' | 'es';
  user_ids: string[];
  emails: string[];
  webhook_ids: string[];
  active: boolean;
}

export type RuleInput = Omit<RoutingRule, 'id' | 'time_zone'>;

export interface Webhook {
  id: string;
  name: string;
  url: string;
  created_at: string;
}

export interface Delivery {
  id: string;
  rule_id: string | null;
  kind: 'urgent' | 'digest' | 'test';
  channel: Channel;
  /** An e-mail address, a webhook's id, or (inbox) a user's id. */
  target: string;
  language: string;
  subject: string;
  state: DeliveryState;
  attempts: number;
  last_error: string;
  /** The day it was made (YYYY-MM-DD); an urgent alert's is the alert's day. No finer time is kept. */
  day: string;
}

/** A count as it may be shown: null when it is hidden to protect privacy. */
export type Cell = number | null;

export interface DigestCount {
  code: string;
  label: string;
  count: Cell;
  previous: Cell;
  change: number | null;
}

export interface Digest {
  event: 'digest';
  test: boolean;
  rule: string;
  period: { from: string; to: string };
  exact: boolean;
  submissions: { count: Cell; previous: Cell; change: number | null };
  top_needs: DigestCount[];
}

export interface InboxDigest extends Delivery {
  digest: Digest;
}

const id = (value: string) => encodeURIComponent(value);

export const routingApi = {
  rules: async () => (await api.get<{ rules: RoutingRule[] }>('/v1/routing/rules')).rules,
  createRule: (rule: RuleInput) => api.post<RoutingRule>('/v1/routing/rules', rule),
  updateRule: (ruleId: string, change: Partial<RuleInput>) => api.patch<RoutingRule>(`/v1/routing/rules/${id(ruleId)}`, change),
  deleteRule: (ruleId: string) => api.delete(`/v1/routing/rules/${id(ruleId)}`),
  testRule: (ruleId: string) => api.post<{ queued: boolean }>(`/v1/routing/rules/${id(ruleId)}/test`, {}),

  webhooks: async () => (await api.get<{ webhooks: Webhook[] }>('/v1/webhooks')).webhooks,
  createWebhook: (name: string, url: string) => api.post<Webhook & { secret: string }>('/v1/webhooks', { name, url }),
  deleteWebhook: (hookId: string) => api.delete(`/v1/webhooks/${id(hookId)}`),

  deliveries: async (state?: DeliveryState) =>
    (await api.get<{ deliveries: Delivery[] }>('/v1/deliveries', { query: { state } })).deliveries,
  inbox: async () => (await api.get<{ digests: InboxDigest[] }>('/v1/inbox/digests')).digests,
};

/** The e-mail addresses typed one per line (or separated by commas), trimmed, without blanks or repeats. */
export function parseEmails(typed: string): string[] {
  const out: string[] = [];
  for (const part of typed.split(/[\s,;]+/)) {
    const address = part.trim().toLowerCase();
    if (address && !out.includes(address)) out.push(address);
  }
  return out;
}

/** The form's answers as the API wants them: no schedule for urgent alerts, no weekday for daily digests. */
export function ruleInput(form: {
  name: string;
  event: RuleEvent;
  schedule: Schedule;
  weekday: number;
  language: 'en' | 'es';
  siteIds: string[];
  needCodes: string[];
  userIds: string[];
  emails: string;
  webhookIds: string[];
}): RuleInput {
  const digest = form.event === 'digest';
  return {
    name: form.name.trim(),
    event: form.event,
    schedule: digest ? form.schedule : null,
    weekday: digest && form.schedule === 'weekly' ? form.weekday : null,
    language: form.language,
    site_ids: form.siteIds,
    need_codes: form.needCodes,
    user_ids: form.userIds,
    emails: parseEmails(form.emails),
    webhook_ids: form.webhookIds,
    active: true,
  };
}
