/** The staff pages, in the order the staff menu lists them, and who may open each. */
import type { MessageKey } from '../../lib/i18n';
import type { Role } from '../../lib/access';

export interface StaffPage {
  href: string;
  label: MessageKey;
  hint: MessageKey;
  /** Only administrators may open it (the server answers 403 to anyone else). */
  adminOnly: boolean;
  /** When set, only these roles may open it (the server answers 403 to anyone else). */
  roles?: readonly Role[];
}

/** Administrators and program staff: the people who read participants' own words. */
export const moderators: readonly Role[] = ['admin', 'staff'];

/** The proposals: everyone signed in reads them; only moderators (admins and staff) move them. */
export const proposalsHref = '/staff/proposals';

/** The results dashboard: administrators, program staff and policymakers read the reports. */
export const dashboardHref = '/dashboard';
export const reportReaders: readonly Role[] = ['admin', 'staff', 'policymaker'];

/** The meeting console: peer facilitators run live meetings there, and so may program staff and administrators. */
export const facilitatorHref = '/facilitator';
export const meetingRunners: readonly Role[] = ['admin', 'staff', 'facilitator'];

/** Research findings: administrators, program staff and policymakers read them (admins and coders write them). */
export const findingReaders: readonly Role[] = ['admin', 'staff', 'policymaker'];

/** The alerts inbox, whose menu entry shows how many alerts there are. */
export const alertsHref = '/staff/alerts';

export const staffPages: readonly StaffPage[] = [
  { href: '/staff', label: 'staff.nav.home', hint: 'staff.nav.home.hint', adminOnly: false },
  { href: facilitatorHref, label: 'staff.nav.facilitator', hint: 'staff.nav.facilitator.hint', adminOnly: false, roles: meetingRunners },
  { href: dashboardHref, label: 'staff.nav.dashboard', hint: 'staff.nav.dashboard.hint', adminOnly: false, roles: reportReaders },
  { href: '/staff/moderation', label: 'staff.nav.moderation', hint: 'staff.nav.moderation.hint', adminOnly: false, roles: moderators },
  { href: alertsHref, label: 'staff.nav.alerts', hint: 'staff.nav.alerts.hint', adminOnly: false, roles: moderators },
  { href: proposalsHref, label: 'staff.nav.proposals', hint: 'staff.nav.proposals.hint', adminOnly: false },
  { href: '/staff/needs', label: 'staff.nav.needs', hint: 'staff.nav.needs.hint', adminOnly: false, roles: moderators },
  { href: '/staff/figures', label: 'staff.nav.figures', hint: 'staff.nav.figures.hint', adminOnly: false },
  // Coding needs the coder permission too; the page says so to anyone without it.
  { href: '/staff/research', label: 'staff.nav.research', hint: 'staff.nav.research.hint', adminOnly: false, roles: moderators },
  { href: '/staff/research/findings', label: 'staff.nav.findings', hint: 'staff.nav.findings.hint', adminOnly: false, roles: findingReaders },
  { href: '/staff/research/manage', label: 'staff.nav.researchAdmin', hint: 'staff.nav.researchAdmin.hint', adminOnly: true },
  { href: '/staff/sites', label: 'staff.nav.sites', hint: 'staff.nav.sites.hint', adminOnly: true },
  // Staff print and rotate posters too, though only admins manage the sites.
  { href: '/staff/posters', label: 'staff.nav.posters', hint: 'staff.nav.posters.hint', adminOnly: false, roles: moderators },
  { href: '/staff/kiosks', label: 'staff.nav.kiosks', hint: 'staff.nav.kiosks.hint', adminOnly: true },
  { href: '/staff/categories', label: 'staff.nav.categories', hint: 'staff.nav.categories.hint', adminOnly: true },
  { href: '/staff/users', label: 'staff.nav.people', hint: 'staff.nav.people.hint', adminOnly: true },
  { href: '/staff/routing', label: 'staff.nav.routing', hint: 'staff.nav.routing.hint', adminOnly: true },
  { href: '/staff/webhooks', label: 'staff.nav.webhooks', hint: 'staff.nav.webhooks.hint', adminOnly: true },
  { href: '/staff/deliveries', label: 'staff.nav.deliveries', hint: 'staff.nav.deliveries.hint', adminOnly: false, roles: moderators },
  { href: '/staff/audit', label: 'staff.nav.audit', hint: 'staff.nav.audit.hint', adminOnly: true },
  { href: '/staff/settings', label: 'staff.nav.settings', hint: 'staff.nav.settings.hint', adminOnly: true },
  { href: '/staff/tokens', label: 'staff.nav.tokens', hint: 'staff.nav.tokens.hint', adminOnly: false },
  { href: '/staff/password', label: 'staff.nav.password', hint: 'staff.nav.password.hint', adminOnly: false },
];

/** Reports whether role may open page. */
export function mayOpen(page: Pick<StaffPage, 'adminOnly' | 'roles'>, role: Role): boolean {
  if (page.adminOnly) return role === 'admin';
  return !page.roles || page.roles.includes(role);
}

/** The pages a role may open. */
export function pagesFor(role: Role): StaffPage[] {
  return staffPages.filter((page) => mayOpen(page, role));
}

/**
 * Where a role lands after signing in when no page asked for it: policymakers
 * on the results, peer facilitators on the meeting console, everyone else on
 * the staff home.
 */
export function landingFor(role: Role): string {
  if (role === 'policymaker') return dashboardHref;
  return role === 'facilitator' ? facilitatorHref : '/staff';
}

/** Each role's name as staff read it. */
export const roleLabel: Record<Role, MessageKey> = {
  admin: 'staff.role.admin',
  staff: 'staff.role.staff',
  facilitator: 'staff.role.facilitator',
  policymaker: 'staff.role.policymaker',
};
