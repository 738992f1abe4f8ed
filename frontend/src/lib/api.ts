/**
 * The one client for Chorus's HTTP API. It speaks JSON both ways, sends the
 * session cookie (same origin only), adds the session's CSRF token to every
 * state-changing request once it knows it, and turns every failure into an
 * ApiError built from the server's uniform error body:
 *
 *   {"error":{"code":"invalid_input","message":"…","fields":{"field":"reason"}}}
 */

/** Error codes the server sends (api/errors.go), plus the two this client makes up itself. */
export type ApiErrorCode =
  | 'invalid_input'
  | 'invalid_json'
  | 'too_large'
  | 'unsupported_media_type'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'unavailable'
  | 'internal'
  /** The request never got an answer (offline, DNS, connection reset). */
  | 'network_error'
  /** The answer was not Chorus's JSON error shape (e.g. a proxy's HTML page). */
  | 'bad_response'
  /** A code added to the server after this client was built. */
  | (string & {});

/** A failed API call: the HTTP status (0 when there was no answer) and the server's code, message and per-field reasons. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly fields: Readonly<Record<string, string>>;
  /** Seconds to wait before trying again, from a 429's Retry-After header; undefined when the server gave none. */
  readonly retryAfter: number | undefined;

  constructor(
    status: number,
    code: ApiErrorCode,
    message: string,
    fields: Record<string, string> = {},
    retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }
}

/** The header the server checks on cookie-authenticated POST, PUT, PATCH and DELETE requests. */
export const csrfHeader = 'X-CSRF-Token';

let csrfToken: string | undefined;

/**
 * Remembers the signed-in session's CSRF token (from sign-in or GET /api/v1/me),
 * or forgets it when given undefined. It lives in memory only: a reload asks /me again.
 */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token || undefined;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /** Extra query parameters; undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

const apiPrefix = '/api';

/**
 * Sends one request to the API and returns the decoded JSON body, or undefined
 * for 204 No Content. path is relative to /api, e.g. "/v1/questions".
 */
export async function request<T>(method: HttpMethod, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (method !== 'GET' && csrfToken !== undefined) headers[csrfHeader] = csrfToken;
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: options.signal };
  if (body instanceof Blob) {
    // A file sent as it is (a REFI-QDA codebook to import).
    headers['Content-Type'] = body.type || 'application/octet-stream';
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response: Response;
  try {
    response = await fetch(apiURL(path, options.query), init);
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  }

  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, 'bad_response', 'The server sent an answer that is not JSON.');
  }
}

/** Shorthands for request, one per method. */
export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body, options),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, body, options),
  delete: <T = void>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};

function apiURL(path: string, query: RequestOptions['query']): string {
  const url = apiPrefix + (path.startsWith('/') ? path : `/${path}`);
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

async function errorFrom(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (!error || typeof error.code !== 'string') {
    return new ApiError(response.status, 'bad_response', `The server answered ${response.status} ${response.statusText}`.trim());
  }
  const message = typeof error.message === 'string' ? error.message : error.code;
  return new ApiError(response.status, error.code, message, stringFields(error.fields), retryAfter(response));
}

/** Whole seconds from a Retry-After header; the HTTP-date form is not used by Chorus and is ignored. */
function retryAfter(response: Response): number | undefined {
  const value = response.headers.get('Retry-After');
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

function stringFields(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const fields: Record<string, string> = {};
  for (const [key, reason] of Object.entries(value)) {
    if (typeof reason === 'string') fields[key] = reason;
  }
  return fields;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
