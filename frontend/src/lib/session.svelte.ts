/**
 * The signed-in staff member, shared by the staff pages. The session itself
 * is an HttpOnly cookie the page cannot read; this store only remembers what
 * GET /api/v1/me said, and asks again after a reload.
 */
import { ApiError } from './api';
import { staffApi, type Me } from './access';
import { navigate } from './router.svelte';
import { safeNext } from '../routes/paths';

let me = $state.raw<Me | null>(null);
let pending: Promise<Me | null> | undefined;

/** Reactive: read `session.me` in a component; null until loaded, and when signed out. */
export const session = {
  get me(): Me | null {
    return me;
  },
};

/**
 * Returns the signed-in person, asking the server the first time (and again
 * when force is set); null when nobody is signed in. Other failures throw.
 */
export function loadSession(force = false): Promise<Me | null> {
  if (me && !force) return Promise.resolve(me);
  pending ??= staffApi
    .me()
    .then(
      (answer) => (me = answer),
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 401) return (me = null);
        throw err;
      },
    )
    .finally(() => (pending = undefined));
  return pending;
}

export async function signIn(email: string, password: string): Promise<Me> {
  me = await staffApi.signIn(email, password);
  return me;
}

export async function signOut(): Promise<void> {
  try {
    await staffApi.signOut();
  } catch (err) {
    // Already signed out (the session expired or was ended elsewhere): the goal is met.
    if (!(err instanceof ApiError && err.status === 401)) throw err;
  }
  me = null;
}

/** Forgets the signed-in person without asking the server, after it said the session is gone. */
export function forgetSession(): void {
  me = null;
}

/** The sign-in page's address that comes back to `next` (an app path) afterwards. */
export function signInPath(next: string): string {
  const back = safeNext(next);
  return back === '/staff' ? '/signin' : `/signin?next=${encodeURIComponent(back)}`;
}

/**
 * Sends the browser to sign-in when err says the session ended (401), and
 * reports whether it did; pages call it first in their error handling.
 */
export function redirectIfSignedOut(err: unknown): boolean {
  if (!(err instanceof ApiError) || err.status !== 401) return false;
  me = null;
  navigate(signInPath(location.pathname + location.search), { replace: true });
  return true;
}
