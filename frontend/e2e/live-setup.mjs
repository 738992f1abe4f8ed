// What the live-meeting browser tests share: a site, a peer facilitator who
// may run meetings there, and a way to lower the organization's minimum of
// voters so a small test room can see its results.
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import { runChorus, seedAdmin, testAdmin } from './harness.mjs';

export const site = 'Drop-in center';
export const peer = { email: 'peer@example.org', password: 'a peer facilitator password' };

/** Seeds the admin, the site and the peer facilitator through the real CLI. */
export async function seedMeetingRoom(/** @type {Record<string, string>} */ env) {
  await seedAdmin(env);
  const db = { DATABASE_URL: env.DATABASE_URL ?? '' };
  const org = ['--org', testAdmin.org];
  const added = await runChorus(['admin', 'site', 'add', ...org, '--name', site, '--kind', 'fixed', '--setting', 'urban', '--tz', 'America/Chicago'], db);
  assert.equal(added.code, 0, added.stderr);
  const user = await runChorus(['admin', 'user', 'add', ...org, '--email', peer.email, '--role', 'facilitator'], {
    ...db,
    CHORUS_ADMIN_PASSWORD: peer.password,
  });
  assert.equal(user.code, 0, user.stderr);
}

/** As the admin, through the API: sets how many must vote before results can be shown. */
export async function setMinVoters(/** @type {string} */ baseURL, /** @type {number} */ minVoters) {
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  try {
    const signedIn = await api.post('/api/v1/auth/signin', { data: { email: testAdmin.email, password: testAdmin.password } });
    assert.equal(signedIn.status(), 200, await signedIn.text());
    const { csrf_token: csrf } = await signedIn.json();
    const patched = await api.patch('/api/v1/organization', { data: { min_voters: minVoters }, headers: { 'X-CSRF-Token': csrf } });
    assert.equal(patched.status(), 200, await patched.text());
  } finally {
    await api.dispose();
  }
}
