/**
 * The two kinds of device an admin adds to a site on the Kiosks page: a
 * feedback tablet (kiosk) and a van laptop (edge device, docs/van-mode.md).
 * Both are set up with a one-time code, given a new code, and turned off in
 * the same way; what differs is their API, their words and how the code is
 * carried to the device (a set-up link for a tablet, a command for a laptop).
 */
import { enrollmentLink, staffApi, type Enrollment, type Site } from '../../lib/access';
import { edgeApi, enrollCommand } from '../../lib/edge-api';
import type { MessageKey } from '../../lib/i18n';

/** What the list needs of a kiosk or a van laptop. */
export interface Device {
  id: string;
  site_id: string;
  name: string;
  enrolled_at: string | null;
  revoked_at: string | null;
}

export interface DeviceKind<D extends Device> {
  /** Prefix of the add form's field ids (`kiosk-site`, `edge-name`). */
  fieldId: string;
  /** Ids of the turn-off dialog: two lists on one page need their own. */
  confirmId: string;
  /** Id prefix of the set-up code's box (`enroll-title`, `edge-code-title`). */
  codeId: string;
  list(): Promise<D[]>;
  create(siteId: string, name: string): Promise<{ device: D; enrollment: Enrollment }>;
  newCode(id: string): Promise<Enrollment>;
  revoke(id: string): Promise<unknown>;
  /** What the QR code holds: what the device needs to be set up. */
  qrText(origin: string, code: string): string;
  /** Keeps the set-up text beside the QR code where there is room (a command is long). */
  textBesideQr: boolean;
  words: {
    none: MessageKey;
    caption: MessageKey;
    name: MessageKey;
    nameHint: MessageKey;
    addTitle: MessageKey;
    add: MessageKey;
    offBody: MessageKey;
    offConfirm: MessageKey;
    codeTitle: MessageKey;
    codeOnce: MessageKey;
    qrAlt: MessageKey;
    qrCaption: MessageKey;
  };
}

export const kioskKind: DeviceKind<Device> = {
  fieldId: 'kiosk',
  confirmId: 'confirm',
  codeId: 'enroll',
  list: () => staffApi.kiosks(),
  create: async (siteId, name) => {
    const { kiosk, enrollment } = await staffApi.createKiosk(siteId, name);
    return { device: kiosk, enrollment };
  },
  newCode: (id) => staffApi.newEnrollment(id),
  revoke: (id) => staffApi.revokeKiosk(id),
  // The link carries the code in its #fragment, which no browser sends to a server.
  qrText: enrollmentLink,
  textBesideQr: false,
  words: {
    none: 'staff.kiosks.none',
    caption: 'staff.kiosks.caption',
    name: 'staff.kiosks.name',
    nameHint: 'staff.kiosks.name.hint',
    addTitle: 'staff.kiosks.addTitle',
    add: 'staff.kiosks.add',
    offBody: 'staff.kiosks.off.body',
    offConfirm: 'staff.kiosks.off.confirm',
    codeTitle: 'staff.kiosks.code.title',
    codeOnce: 'staff.kiosks.code.once',
    qrAlt: 'staff.kiosks.code.qrAlt',
    qrCaption: 'staff.kiosks.code.qrCaption',
  },
};

export const vanLaptopKind: DeviceKind<Device & { last_sync_on: string | null }> = {
  fieldId: 'edge',
  confirmId: 'edge-confirm',
  codeId: 'edge-code',
  list: () => edgeApi.devices(),
  create: (siteId, name) => edgeApi.create(siteId, name),
  newCode: (id) => edgeApi.newCode(id),
  revoke: (id) => edgeApi.revoke(id),
  // A QR code of the command, to carry it to the van on a phone.
  qrText: enrollCommand,
  textBesideQr: true,
  words: {
    none: 'staff.edge.none',
    caption: 'staff.edge.caption',
    name: 'staff.edge.name',
    nameHint: 'staff.edge.name.hint',
    addTitle: 'staff.edge.addTitle',
    add: 'staff.edge.add',
    offBody: 'staff.edge.off.body',
    offConfirm: 'staff.edge.off.confirm',
    codeTitle: 'staff.edge.code.title',
    codeOnce: 'staff.edge.code.once',
    qrAlt: 'staff.edge.code.qrAlt',
    qrCaption: 'staff.edge.code.qrCaption',
  },
};

/** Where a device stands: turned off, set up, or waiting for its code to be used. */
export function deviceStatus(device: Device): MessageKey {
  if (device.revoked_at) return 'staff.kiosks.status.off';
  return device.enrolled_at ? 'staff.kiosks.status.ready' : 'staff.kiosks.status.waiting';
}

/** Sites with the mobile ones (vans) first, otherwise in their order: a van is what a van laptop is for. */
export function vansFirst(sites: Site[]): Site[] {
  return [...sites].sort((a, b) => Number(b.kind === 'mobile') - Number(a.kind === 'mobile'));
}

/** Minutes and seconds left, rounded up: "14:59", "0:05". */
export function clock(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
