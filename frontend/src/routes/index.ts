/**
 * The route table: one entry per audience. Home and not-found ship in the main
 * bundle; every other page is its own chunk, so the kiosk and live pages load
 * only what they use on a cheap tablet.
 */
import type { Component } from 'svelte';
import type { MessageKey } from '../lib/i18n';
import Home from './home/Home.svelte';
import NotFound from './not-found/NotFound.svelte';
import { normalizePath } from './paths';

export interface Route {
  path: string;
  /** The page's name, used in the document title. */
  titleKey: MessageKey;
  load: () => Promise<{ default: Component }>;
  /** Also matches one more path segment (e.g. /live/K7QX3M: the join code), which the page reads itself. */
  param?: boolean;
  /** With param: what must follow the segment (e.g. "/sheet" for /board/{slug}/sheet). */
  tail?: string;
}

const eager = (page: Component) => () => Promise.resolve({ default: page });

export const routes: readonly Route[] = [
  { path: '/', titleKey: 'home.docTitle', load: eager(Home) },
  { path: '/kiosk', titleKey: 'kiosk.title', load: () => import('./kiosk/Kiosk.svelte') },
  // Own-phone feedback from a site's poster: /p/{poster code}.
  { path: '/p', titleKey: 'phone.title', load: () => import('./phone/Phone.svelte'), param: true },
  { path: '/live', titleKey: 'live.title', load: () => import('./live/Live.svelte'), param: true },
  { path: '/screen', titleKey: 'screen.title', load: () => import('./screen/Screen.svelte'), param: true },
  { path: '/facilitator', titleKey: 'facilitator.title', load: () => import('./facilitator/Facilitator.svelte') },
  { path: '/staff', titleKey: 'staff.title', load: () => import('./staff/Staff.svelte') },
  { path: '/staff/sites', titleKey: 'staff.sites.title', load: () => import('./staff/Sites.svelte') },
  // Own-phone posters: the list, and one site's printable poster (/staff/posters/{site id}).
  { path: '/staff/posters', titleKey: 'staff.posters.title', load: () => import('./staff/Posters.svelte'), param: true },
  { path: '/staff/kiosks', titleKey: 'staff.kiosks.title', load: () => import('./staff/Kiosks.svelte') },
  { path: '/staff/users', titleKey: 'staff.people.title', load: () => import('./staff/People.svelte') },
  { path: '/staff/audit', titleKey: 'staff.audit.title', load: () => import('./staff/Audit.svelte') },
  { path: '/staff/settings', titleKey: 'staff.settings.title', load: () => import('./staff/Settings.svelte') },
  { path: '/staff/tokens', titleKey: 'staff.tokens.title', load: () => import('./staff/Tokens.svelte') },
  { path: '/staff/password', titleKey: 'staff.password.title', load: () => import('./staff/Password.svelte') },
  // These three titles live in the staff words; each page sets the document title again once they load (title.svelte.ts).
  { path: '/staff/moderation', titleKey: 'staff.moderation.title', load: () => import('./staff/Moderation.svelte') },
  { path: '/staff/alerts', titleKey: 'staff.alerts.title', load: () => import('./staff/Alerts.svelte') },
  { path: '/staff/categories', titleKey: 'staff.categories.title', load: () => import('./staff/Categories.svelte') },
  // Proposals: the list, a new one, and one proposal by id (/staff/proposals/{id}); then needs and figures.
  { path: '/staff/proposals', titleKey: 'staff.proposals.title', load: () => import('./staff/Proposals.svelte'), param: true },
  { path: '/staff/proposals/new', titleKey: 'staff.proposals.new.title', load: () => import('./staff/ProposalNew.svelte') },
  { path: '/staff/needs', titleKey: 'staff.needs.title', load: () => import('./staff/Needs.svelte') },
  { path: '/staff/figures', titleKey: 'staff.figures.title', load: () => import('./staff/Figures.svelte') },
  // Routed summaries: rules and webhooks (admins), the log of what was sent (admins and staff).
  { path: '/staff/routing', titleKey: 'staff.routing.title', load: () => import('./staff/Routing.svelte') },
  { path: '/staff/webhooks', titleKey: 'staff.webhooks.title', load: () => import('./staff/Webhooks.svelte') },
  { path: '/staff/deliveries', titleKey: 'staff.deliveries.title', load: () => import('./staff/Deliveries.svelte') },
  // The research loop: the coding workspace (coders), and its admin side.
  { path: '/staff/research', titleKey: 'staff.research.title', load: () => import('./staff/Research.svelte') },
  // Findings: the list, and one finding by id (/staff/research/findings/{id}) with how the community answered it.
  { path: '/staff/research/findings', titleKey: 'staff.findings.title', load: () => import('./staff/Findings.svelte'), param: true },
  { path: '/staff/research/manage', titleKey: 'staff.researchAdmin.title', load: () => import('./staff/ResearchAdmin.svelte') },
  // The codebook as coders read it while coding (read only), opened from the workspace.
  { path: '/staff/research/codebook', titleKey: 'staff.codebook.title', load: () => import('./staff/Codebook.svelte') },
  { path: '/dashboard', titleKey: 'dashboard.title', load: () => import('./dashboard/Dashboard.svelte') },
  { path: '/signin', titleKey: 'signin.title', load: () => import('./signin/SignIn.svelte') },
  // The public board of an organization (/board/{slug}) and its printable monthly sheet; no sign-in.
  { path: '/board', titleKey: 'kiosk.board.title', load: () => import('./board/Board.svelte'), param: true },
  { path: '/board', titleKey: 'kiosk.sheet.title', load: () => import('./board/Sheet.svelte'), param: true, tail: '/sheet' },
];

export const notFound: Route = { path: '', titleKey: 'notFound.title', load: eager(NotFound) };

/** Returns the route for pathname, or notFound. */
export function matchRoute(pathname: string): Route {
  const path = normalizePath(pathname);
  return routes.find((route) => route.path === path) ?? routes.find((route) => segment(route, path) !== undefined) ?? notFound;
}

/** The raw extra segment of path under a param route (with its tail, if any), or undefined when path is not one. */
function segment(route: Route, path: string): string | undefined {
  if (!route.param || !path.startsWith(`${route.path}/`)) return undefined;
  let rest = path.slice(route.path.length + 1);
  if (route.tail) {
    if (!rest.endsWith(route.tail)) return undefined;
    rest = rest.slice(0, -route.tail.length);
  }
  return /^[^/]+$/.test(rest) ? rest : undefined;
}

/** The extra segment of a param route's path (the join code in /live/K7QX3M), or "" when there is none. */
export function routeParam(pathname: string, route: Route): string {
  const found = segment(route, normalizePath(pathname));
  if (found === undefined) return '';
  try {
    return decodeURIComponent(found);
  } catch {
    return '';
  }
}
