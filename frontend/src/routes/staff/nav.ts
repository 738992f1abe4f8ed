/** The staff pages, in the order the staff menu lists them, and who may open each. */
import type { MessageKey } from '../../lib/i18n';
import type { Role } from '../../lib/access';

export interface StaffPage {
  href: string;
  label: MessageKey;
  hint: MessageKey;
  /** Only administrators may open it (the server answers 403 to anyone else). */
  adminOnly: boolean;
}

export const staffPages: readonly StaffPage[] = [
  { href: '/staff', label: 'staff.nav.home', hint: 'staff.nav.home.hint', adminOnly: false },
  { href: '/staff/sites', label: 'staff.nav.sites', hint: 'staff.nav.sites.hint', adminOnly: true },
  { href: '/staff/kiosks', label: 'staff.nav.kiosks', hint: 'staff.nav.kiosks.hint', adminOnly: true },
  { href: '/staff/users', label: 'staff.nav.people', hint: 'staff.nav.people.hint', adminOnly: true },
  { href: '/staff/audit', label: 'staff.nav.audit', hint: 'staff.nav.audit.hint', adminOnly: true },
  { href: '/staff/settings', label: 'staff.nav.settings', hint: 'staff.nav.settings.hint', adminOnly: true },
  { href: '/staff/tokens', label: 'staff.nav.tokens', hint: 'staff.nav.tokens.hint', adminOnly: false },
  { href: '/staff/password', label: 'staff.nav.password', hint: 'staff.nav.password.hint', adminOnly: false },
];

/** The pages a role may open. */
export function pagesFor(role: Role): StaffPage[] {
  return staffPages.filter((page) => role === 'admin' || !page.adminOnly);
}

/** Each role's name as staff read it. */
export const roleLabel: Record<Role, MessageKey> = {
  admin: 'staff.role.admin',
  staff: 'staff.role.staff',
  facilitator: 'staff.role.facilitator',
  policymaker: 'staff.role.policymaker',
};
