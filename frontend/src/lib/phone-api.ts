/**
 * Typed calls for own-phone feedback (api/phone.go, api/posters.go): a
 * site's configuration and one submission at a time, by the poster's code
 * in the address, with no token and no account; and, for staff, a site's
 * poster and the rotation of its code. A retired poster answers 410
 * poster_retired, an unknown one 404 poster_unknown.
 */
import { api, ApiError } from './api';
import type { BatchResult, KioskConfig, Submission } from './kiosk-api';

/** GET /api/v1/phone/{code}/config: the flow's configuration, and the public board's slug (null when it is off). */
export interface PhoneConfig extends Omit<KioskConfig, 'kiosk'> {
  board: string | null;
}

/** A site's poster: its code and the address printed (and in the QR code) on it. */
export interface Poster {
  site_id: string;
  code: string;
  url: string;
  created_at: string;
}

const path = (code: string) => `/v1/phone/${encodeURIComponent(code)}`;

export const phoneApi = {
  config: (code: string) => api.get<PhoneConfig>(`${path(code)}/config`),
  /** Sends one submission with its idempotency key: 201 stored, 200 stored before. */
  submit: (code: string, key: string, submission: Submission) =>
    api.post<{ id: string }>(`${path(code)}/submissions`, submission, { headers: { 'Idempotency-Key': key } }),
};

export const posterApi = {
  get: async (siteId: string) => (await api.get<{ poster: Poster | null }>(`/v1/sites/${encodeURIComponent(siteId)}/poster`)).poster,
  rotate: async (siteId: string) => (await api.post<{ poster: Poster }>(`/v1/sites/${encodeURIComponent(siteId)}/poster`, {})).poster,
};

/** GET /api/v1/boards: the public boards, for the front page. */
export const boardsApi = {
  list: async () => (await api.get<{ boards: { name: string; slug: string }[] }>('/v1/boards')).boards,
};

/** A poster code as printed: two groups of five (K7M3Q-X9A2B). */
export function groupPosterCode(code: string): string {
  return code.length === 10 ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
}

/**
 * Sends an outbox batch one submission at a time (a phone has no batch
 * route: each request is one submission against the per-site and
 * per-address limits) and answers the way a batch does. An answer that
 * says the server cannot answer now (no network, 429, 5xx gateway) fails
 * the whole round, so the outbox waits and tries again.
 */
export async function sendOneByOne(
  code: string,
  items: { idempotency_key: string; submission: Submission }[],
  send = phoneApi.submit,
): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  for (const item of items) {
    try {
      const created = await send(code, item.idempotency_key, item.submission);
      results.push({ idempotency_key: item.idempotency_key, status: 201, id: created.id });
    } catch (err) {
      if (!(err instanceof ApiError) || [0, 408, 429, 502, 503, 504].includes(err.status)) {
        if (results.length === 0) throw err;
        break;
      }
      results.push({ idempotency_key: item.idempotency_key, status: err.status, error: { code: err.code, message: err.message } });
    }
  }
  return results;
}
