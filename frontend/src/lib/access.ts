/**
 * Typed calls for the access model: staff sessions, sites, kiosks, staff
 * accounts, API tokens, the audit log and organization settings, and the
 * kiosk tablet's own enrollment. Shapes follow the Go handlers in api/.
 */
import { api, setCsrfToken } from './api';

export type Role = 'admin' | 'staff' | 'facilitator' | 'policymaker';
export const roles: readonly Role[] = ['admin', 'staff', 'facilitator', 'policymaker'];

export interface Organization {
  id: string;
  name: string;
  slug: string;
  /** The smallest count ever shown outside staff. */
  min_cell: number;
  /** The fewest voters before a live round's results can be shown. */
  min_voters: number;
}

/** GET /me and sign-in answer with the signed-in person, their role and organization. */
export interface Me {
  user: { id: string; email: string; display_name: string; language: string };
  role: Role;
  organization: Organization;
  csrf_token?: string;
  must_change_password: boolean;
}

export type SiteKind = 'fixed' | 'mobile';
export type SiteSetting = 'urban' | 'rural';

export interface Site {
  id: string;
  name: string;
  kind: SiteKind;
  setting: SiteSetting;
  time_zone: string;
}

export type SiteInput = Omit<Site, 'id'>;

export interface Kiosk {
  id: string;
  site_id: string;
  name: string;
  enrolled_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

/** A one-time code that turns a tablet into a kiosk; RFC 3339 expiry. */
export interface Enrollment {
  code: string;
  expires_at: string;
}

export interface StaffAccount {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  created_at: string;
}

export interface ApiToken {
  id: string;
  name: string;
  created_at: string;
  last_used_on: string | null;
  revoked_at: string | null;
}

export interface AuditEvent {
  id: string;
  actor_email: string;
  action: string;
  target_type: string;
  target_id: string;
  detail: Record<string, string> | null;
  created_at: string;
}

export interface AuditQuery {
  action?: string;
  /** YYYY-MM-DD, inclusive. */
  from?: string;
  /** YYYY-MM-DD, exclusive (the server's convention). */
  to?: string;
  limit?: number;
}

/** Records the CSRF token from a /me-shaped answer so later writes carry it. */
function remember(me: Me): Me {
  setCsrfToken(me.csrf_token);
  return me;
}

export const staffApi = {
  signIn: async (email: string, password: string) =>
    remember(await api.post<Me>('/v1/auth/signin', { email, password })),
  me: async () => remember(await api.get<Me>('/v1/me')),
  signOut: async () => {
    await api.post<void>('/v1/auth/signout', {});
    setCsrfToken(undefined);
  },
  changePassword: async (current_password: string, new_password: string) => {
    await api.post<void>('/v1/me/password', { current_password, new_password });
    // Every session ended, this one included.
    setCsrfToken(undefined);
  },

  sites: async () => (await api.get<{ sites: Site[] }>('/v1/sites')).sites,
  createSite: (site: SiteInput) => api.post<Site>('/v1/sites', site),
  updateSite: (id: string, site: SiteInput) => api.patch<Site>(`/v1/sites/${encodeURIComponent(id)}`, site),

  kiosks: async () => (await api.get<{ kiosks: Kiosk[] }>('/v1/kiosks')).kiosks,
  createKiosk: (site_id: string, name: string) =>
    api.post<{ kiosk: Kiosk; enrollment: Enrollment }>('/v1/kiosks', { site_id, name }),
  newEnrollment: (id: string) => api.post<Enrollment>(`/v1/kiosks/${encodeURIComponent(id)}/enrollment`, {}),
  revokeKiosk: (id: string) => api.post<Kiosk>(`/v1/kiosks/${encodeURIComponent(id)}/revoke`, {}),

  staffAccounts: async () => (await api.get<{ users: StaffAccount[] }>('/v1/users')).users,
  addStaffAccount: (email: string, role: Role) =>
    api.post<{ user: StaffAccount; one_time_password?: string }>('/v1/users', { email, role }),
  setRole: (id: string, role: Role) => api.patch<StaffAccount>(`/v1/users/${encodeURIComponent(id)}`, { role }),
  removeStaffAccount: (id: string) => api.delete(`/v1/users/${encodeURIComponent(id)}`),

  tokens: async () => (await api.get<{ tokens: ApiToken[] }>('/v1/tokens')).tokens,
  createToken: (name: string) => api.post<ApiToken & { token: string }>('/v1/tokens', { name }),
  revokeToken: (id: string) => api.delete(`/v1/tokens/${encodeURIComponent(id)}`),

  audit: async (query: AuditQuery) =>
    (await api.get<{ events: AuditEvent[] }>('/v1/audit', { query: { ...query } })).events,

  organization: () => api.get<Organization>('/v1/organization'),
  updateOrganization: (settings: Partial<Pick<Organization, 'name' | 'min_cell' | 'min_voters'>>) =>
    api.patch<Organization>('/v1/organization', settings),
};

/** What a kiosk tablet knows about itself. */
export interface KioskIdentity {
  kiosk: { id: string; name: string };
  site: Site;
}

const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

export const kioskApi = {
  enroll: (code: string) => api.post<KioskIdentity & { token: string }>('/v1/kiosk/enroll', { code }),
  whoami: (token: string) => api.get<KioskIdentity>('/v1/kiosk/me', bearer(token)),
};

/** Enrollment codes: upper case, without the spaces and dashes people type or that we add for reading. */
export function normalizeCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]+/g, '');
}

/** Shows an 8-character code as XXXX-XXXX, easier to read aloud and copy by eye. */
export function groupCode(code: string): string {
  const plain = normalizeCode(code);
  return plain.length === 8 ? `${plain.slice(0, 4)}-${plain.slice(4)}` : plain;
}

/** The link a tablet opens to enroll; the code rides in the fragment, which browsers never send to a server. */
export function enrollmentLink(origin: string, code: string): string {
  return `${origin}/kiosk#enroll=${encodeURIComponent(normalizeCode(code))}`;
}

/** Reads an enrollment code from a location hash such as "#enroll=ABCD-2345"; undefined when there is none. */
export function codeFromHash(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const code = params.get('enroll');
  return code ? normalizeCode(code) : undefined;
}
