/** Words and choices shared by the site and kiosk pages. */
import type { SiteKind, SiteSetting } from '../../lib/access';
import type { MessageKey } from '../../lib/i18n';

/** The US time zones most programs need; any other IANA name can be typed in. */
export const commonTimeZones: readonly { id: string; label: MessageKey }[] = [
  { id: 'America/New_York', label: 'staff.sites.zone.eastern' },
  { id: 'America/Chicago', label: 'staff.sites.zone.central' },
  { id: 'America/Denver', label: 'staff.sites.zone.mountain' },
  { id: 'America/Phoenix', label: 'staff.sites.zone.arizona' },
  { id: 'America/Los_Angeles', label: 'staff.sites.zone.pacific' },
  { id: 'America/Anchorage', label: 'staff.sites.zone.alaska' },
  { id: 'Pacific/Honolulu', label: 'staff.sites.zone.hawaii' },
  { id: 'America/Puerto_Rico', label: 'staff.sites.zone.atlantic' },
];

export const kindLabel: Record<SiteKind, MessageKey> = {
  fixed: 'staff.sites.kind.fixed',
  mobile: 'staff.sites.kind.mobile',
};

export const settingLabel: Record<SiteSetting, MessageKey> = {
  urban: 'staff.sites.setting.urban',
  rural: 'staff.sites.setting.rural',
};
