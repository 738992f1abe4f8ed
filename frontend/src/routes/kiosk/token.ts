/**
 * The kiosk's device token, kept in this tablet's localStorage so it stays
 * set up across reloads and restarts. Storage can be disabled (a locked-down
 * browser): then the tablet works until the page is reloaded.
 */
export const tokenKey = 'chorus.kiosk.token';

let memory: string | null = null;

export function readToken(): string | null {
  try {
    return window.localStorage.getItem(tokenKey) ?? memory;
  } catch {
    return memory;
  }
}

export function storeToken(token: string): void {
  memory = token;
  try {
    window.localStorage.setItem(tokenKey, token);
  } catch {
    // Kept in memory only; see above.
  }
}

export function forgetToken(): void {
  memory = null;
  try {
    window.localStorage.removeItem(tokenKey);
  } catch {
    // Nothing stored to remove.
  }
}
