/**
 * Van mode (docs/van-mode.md): the admin's calls for edge devices on the
 * main server, and the van console's sync status on an edge.
 */
import { api } from './api';
import type { Enrollment } from './access';

/** A laptop that runs Chorus in a mobile site's van. */
export interface EdgeDevice {
  id: string;
  site_id: string;
  name: string;
  enrolled_at: string | null;
  revoked_at: string | null;
  /** The day its last batch arrived (YYYY-MM-DD). */
  last_sync_on: string | null;
  created_at: string;
}

/** What the van's console shows; `edge` is false on the main server. */
export interface EdgeConsole {
  edge: boolean;
  upstream?: string;
  online: boolean;
  revoked: boolean;
  last_error?: string;
  synced_at: string | null;
  waiting: { submission: number; session: number; support: number };
  sent: number;
  /** Items the main server refused: kept on the van, not sent again. */
  set_aside: number;
  open_sessions: number;
}

export const edgeApi = {
  devices: async () => (await api.get<{ devices: EdgeDevice[] }>('/v1/edge-devices')).devices,
  create: (site_id: string, name: string) =>
    api.post<{ device: EdgeDevice; enrollment: Enrollment }>('/v1/edge-devices', { site_id, name }),
  newCode: (id: string) => api.post<Enrollment>(`/v1/edge-devices/${encodeURIComponent(id)}/enrollment`, {}),
  revoke: (id: string) => api.post<EdgeDevice>(`/v1/edge-devices/${encodeURIComponent(id)}/revoke`, {}),
  console: () => api.get<EdgeConsole>('/v1/edge/console'),
};

/** The command an admin runs on the van's laptop to enroll it. */
export function enrollCommand(origin: string, code: string): string {
  return `chorus edge enroll --upstream ${origin} --code ${code}`;
}
