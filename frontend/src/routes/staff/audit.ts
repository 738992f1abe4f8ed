/** The audit log's filters, kept in the page address so a filtered view can be shared. */
import type { AuditQuery } from '../../lib/access';
import type { MessageKey } from '../../lib/i18n';

/** Every action the server records, with its name as staff read it. */
export const auditActions: readonly { action: string; label: MessageKey }[] = [
  { action: 'auth.signin', label: 'staff.audit.action.auth.signin' },
  { action: 'auth.signout', label: 'staff.audit.action.auth.signout' },
  { action: 'auth.password_changed', label: 'staff.audit.action.auth.password_changed' },
  { action: 'user.added', label: 'staff.audit.action.user.added' },
  { action: 'user.role_changed', label: 'staff.audit.action.user.role_changed' },
  { action: 'user.removed', label: 'staff.audit.action.user.removed' },
  { action: 'site.created', label: 'staff.audit.action.site.created' },
  { action: 'site.updated', label: 'staff.audit.action.site.updated' },
  { action: 'site.poster_code', label: 'staff.posters.audit' },
  { action: 'kiosk.created', label: 'staff.audit.action.kiosk.created' },
  { action: 'kiosk.enrollment_code', label: 'staff.audit.action.kiosk.enrollment_code' },
  { action: 'kiosk.enrolled', label: 'staff.audit.action.kiosk.enrolled' },
  { action: 'kiosk.revoked', label: 'staff.audit.action.kiosk.revoked' },
  { action: 'edge.created', label: 'staff.audit.action.edge.created' },
  { action: 'edge.enrollment_code', label: 'staff.audit.action.edge.enrollment_code' },
  { action: 'edge.enrolled', label: 'staff.audit.action.edge.enrolled' },
  { action: 'edge.revoked', label: 'staff.audit.action.edge.revoked' },
  { action: 'token.created', label: 'staff.audit.action.token.created' },
  { action: 'token.revoked', label: 'staff.audit.action.token.revoked' },
  { action: 'organization.settings', label: 'staff.audit.action.organization.settings' },
];

export const limits = [50, 100, 200, 500] as const;
export const defaultLimit = 100;

/** What the filter form shows; `to` is the last day included, as people expect. */
export interface AuditFilters {
  action: string;
  from: string;
  to: string;
  limit: number;
}

const day = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the filters from a query string, dropping anything malformed. */
export function filtersFrom(search: string): AuditFilters {
  const params = new URLSearchParams(search);
  const action = params.get('action') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const limit = Number(params.get('limit'));
  return {
    action: auditActions.some((a) => a.action === action) ? action : '',
    from: day.test(from) ? from : '',
    to: day.test(to) ? to : '',
    limit: (limits as readonly number[]).includes(limit) ? limit : defaultLimit,
  };
}

/** The query string for filters, leaving out what is empty or the default, so plain views keep plain addresses. */
export function searchFor(filters: AuditFilters): string {
  const params = new URLSearchParams();
  if (filters.action) params.set('action', filters.action);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.limit !== defaultLimit) params.set('limit', String(filters.limit));
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

/** The API's query: its `to` excludes the day given, so ask for the day after the last one included. */
export function apiQuery(filters: AuditFilters): AuditQuery {
  return {
    action: filters.action || undefined,
    from: filters.from || undefined,
    to: filters.to ? nextDay(filters.to) : undefined,
    limit: filters.limit,
  };
}

/** The calendar day after a YYYY-MM-DD day. */
export function nextDay(value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}
