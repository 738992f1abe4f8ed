/** Turning an API failure into words for the person in front of the screen. */
import { ApiError } from './api';
import { tr } from './i18n/lang.svelte';

/**
 * A sentence for a failed call, in the reader's language where Chorus knows
 * the failure; otherwise the server's own message (written in plain English).
 */
export function errorMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return tr('common.error.unknown');
  switch (err.code) {
    case 'network_error':
      return tr('common.error.network');
    case 'rate_limited':
      return err.retryAfter !== undefined
        ? tr('common.error.rateLimited', { seconds: err.retryAfter })
        : tr('common.error.rateLimitedSoon');
    case 'csrf':
      return tr('common.error.stale');
    case 'forbidden':
      return tr('common.error.forbidden');
    case 'internal':
    case 'unavailable':
    case 'bad_response':
      return tr('common.error.server');
    default:
      return err.message || tr('common.error.unknown');
  }
}

/**
 * The server's reason for one field ("must be at least 12 characters") as a
 * sentence to show under that field, or undefined when the field is fine.
 */
export function fieldError(err: unknown, field: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const reason = err.fields[field];
  if (!reason) return undefined;
  const sentence = reason.charAt(0).toUpperCase() + reason.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/**
 * The message for the whole form: undefined when every reason is already
 * shown under one of the form's own fields, so nothing is announced twice.
 */
export function formError(err: unknown, fields: readonly string[]): string | undefined {
  if (err === undefined || err === null) return undefined;
  if (err instanceof ApiError) {
    const reasons = Object.keys(err.fields);
    if (reasons.length > 0 && reasons.every((field) => fields.includes(field))) return undefined;
    if (reasons.length > 0) {
      const unshown = reasons.filter((field) => !fields.includes(field)).map((field) => fieldError(err, field));
      return unshown.join(' ');
    }
  }
  return errorMessage(err);
}
