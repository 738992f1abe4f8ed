// The codebook as a coder reads it while coding: a staff member the admin
// made a coder clicks "Read the codebook" in the coding workspace, reads
// the themes, subthemes and codes with their definitions in their own
// language, types in "Find a code" and sees only the code found under its
// theme (and a clear line when nothing matches), then goes back to coding
// from the keyboard. A staff member who is not a coder reads why the page
// is closed. Axe and 48×48 targets on a tablet and a phone, in English and
// in Spanish; screenshots go to /tmp/shots for a person to look at.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { request } from 'playwright-core';
import { assertAccessible, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { runChorus, seedAdmin, testAdmin, useServerAndBrowser } from './harness.mjs';

const shots = '/tmp/shots';
mkdirSync(shots, { recursive: true });

const coder = { email: 'ana@example.org', password: 'ana long test password' };
const notCoder = { email: 'ben@example.org', password: 'ben long test password' };

const suite = useServerAndBrowser({
  seed: async (env) => {
    await seedAdmin(env);
    const db = { DATABASE_URL: env.DATABASE_URL ?? '' };
    for (const who of [coder, notCoder]) {
      const done = await runChorus(['admin', 'user', 'add', '--org', testAdmin.org, '--email', who.email, '--role', 'staff'], {
        ...db,
        CHORUS_ADMIN_PASSWORD: who.password,
      });
      assert.equal(done.code, 0, done.stderr);
    }
  },
});

/** The words each language searches for, and the code it finds under its theme. */
const search = {
  en: {
    term: 'ANTICIPATED', theme: 'Stigma', code: 'Anticipated stigma', definition: 'Expecting to be treated worse.', other: 'Capital',
    inclusion: 'They avoid a place because they expect to be judged.', exclusion: 'It already happened: use Enacted stigma.',
    example: 'I did not go to the clinic; they would look at me differently.',
  },
  es: {
    term: 'anticipado', theme: 'Estigma', code: 'Estigma anticipado', definition: 'Esperar que le traten peor.', other: 'Capital',
    inclusion: 'Evita un lugar porque espera que le juzguen.', exclusion: 'Ya ocurrió: use Estigma vivido.',
    example: 'No fui a la clínica; me iban a mirar distinto.',
  },
};

/** The admin makes Ana a coder, through the API (again is fine). */
async function makeCoder() {
  const api = await request.newContext({ baseURL: suite.server.baseURL, extraHTTPHeaders: { Origin: suite.server.baseURL } });
  try {
    const signedIn = await api.post('/api/v1/auth/signin', { data: { email: testAdmin.email, password: testAdmin.password } });
    assert.equal(signedIn.status(), 200, await signedIn.text());
    const { csrf_token: csrf } = await signedIn.json();
    const { users } = await (await api.get('/api/v1/users')).json();
    const ana = users.find((/** @type {{ email: string }} */ u) => u.email === coder.email);
    const made = await api.put(`/api/v1/research/coders/${ana.id}`, { data: { coder: true }, headers: { 'X-CSRF-Token': csrf } });
    assert.equal(made.status(), 200, await made.text());
    // The admin writes when to use "Anticipated stigma", when not to, and an example (as the editor does).
    const { codebooks } = await (await api.get('/api/v1/research/codebooks')).json();
    const code = codebooks[0].codes.find((/** @type {{ name: { en: string } }} */ c) => c.name.en === search.en.code);
    const fields = /** @type {const} */ (['inclusion', 'exclusion', 'example']);
    const notes = Object.fromEntries(fields.map((f) => [f, { en: search.en[f], es: search.es[f] }]));
    const edited = await api.patch(`/api/v1/research/codes/${code.id}`, {
      data: { parent_id: code.parent_id, name: code.name, definition: code.definition, colour: code.colour, ...notes },
      headers: { 'X-CSRF-Token': csrf },
    });
    assert.equal(edited.status(), 200, await edited.text());
  } finally {
    await api.dispose();
  }
}

/**
 * Signs in from the front door in lang.
 * @param {import('playwright-core').Page} page
 * @param {Record<string, string>} d
 * @param {string} lang
 * @param {{ email: string, password: string }} who
 */
async function signIn(page, d, lang, who) {
  await page.goto('/');
  if (lang === 'es') await page.getByRole('button', { name: 'Español' }).click();
  await page.getByRole('link', { name: new RegExp(`^${d['home.signin']}`) }).click();
  await page.getByLabel(d['signin.email']).fill(who.email);
  await page.getByLabel(d['signin.password'], { exact: true }).fill(who.password);
  await page.getByRole('button', { name: d['signin.submit'] }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

describe('the codebook page', () => {
  for (const [lang, first, second] of /** @type {const} */ ([['en', viewports[0], viewports[1]], ['es', viewports[1], viewports[0]]])) {
    it(`opens from the workspace, filters as one types, and goes back (${lang})`, async () => {
      const d = dictionary(lang);
      const words = search[lang];
      await makeCoder();
      const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL, first);
      try {
        await signIn(page, d, lang, coder);
        await page.goto('/staff/research');
        await page.getByRole('heading', { level: 1, name: d['staff.research.title'] }).waitFor();
        await page.getByRole('link', { name: d['staff.codebook.open'] }).click();
        await page.waitForURL(/\/staff\/research\/codebook$/);
        await page.getByRole('heading', { level: 1, name: d['staff.codebook.title'] }).waitFor();

        // Every code, themes first, in the reader's language.
        const theme = page.getByRole('heading', { level: 3, name: words.theme, exact: true });
        await theme.waitFor();
        const count = page.locator('.codebook__count');
        const all = Number((await count.textContent())?.match(/\d+/g)?.at(-1));
        assert.ok(all >= 15, `the default codebook lists ${all} codes`);
        await count.getByText(fill(d['staff.codebook.shown'], { shown: all, count: all })).waitFor();
        const code = page.getByRole('heading', { level: 4, name: words.code, exact: true });
        await code.waitFor();
        const entry = page.locator('li.code').filter({ has: code });
        await entry.getByText(words.definition).waitFor();
        await entry.getByText(d['staff.codebook.definition'], { exact: true }).waitFor();
        for (const field of /** @type {const} */ (['inclusion', 'exclusion', 'example'])) {
          await entry.getByText(d[`staff.codebook.${field}`], { exact: true }).waitFor();
          await entry.getByText(words[field], { exact: true }).waitFor();
        }
        await entry.getByText(d['staff.codebook.colour'], { exact: true }).waitFor();
        for (const viewport of [first, second]) {
          await page.setViewportSize({ width: viewport.width, height: viewport.height });
          await assertAccessible(page, `${lang} codebook, ${viewport.name}`, { atLeast: 4 });
          await page.screenshot({ path: `${shots}/codebook-${lang}-${viewport.name}.png`, fullPage: true });
        }

        // Type-ahead from the keyboard: the code found, under its theme, and nothing else.
        await page.getByLabel(d['staff.codebook.filter'], { exact: true }).focus();
        await page.keyboard.type(words.term);
        await count.getByText(fill(d['staff.codebook.shown'], { shown: 2, count: all })).waitFor();
        await theme.waitFor();
        await code.waitFor();
        assert.equal(await page.getByRole('heading', { level: 3, name: words.other, exact: true }).count(), 0);
        assert.equal(await page.locator('li.code').count(), 2);
        for (const viewport of [second, first]) {
          await page.setViewportSize({ width: viewport.width, height: viewport.height });
          await assertAccessible(page, `${lang} codebook filtered, ${viewport.name}`, { atLeast: 4 });
          await page.screenshot({ path: `${shots}/codebook-filtered-${lang}-${viewport.name}.png`, fullPage: true });
        }

        // Nothing found: said plainly; clearing shows every code again.
        await page.keyboard.type('zzz');
        await page.getByRole('status').filter({ hasText: fill(d['staff.codebook.none'], { term: `${words.term}zzz` }) }).waitFor();
        assert.equal(await page.locator('li.code').count(), 0);
        await page.getByLabel(d['staff.codebook.filter'], { exact: true }).fill('');
        await count.getByText(fill(d['staff.codebook.shown'], { shown: all, count: all })).waitFor();

        // Back to coding from the keyboard.
        await page.getByRole('link', { name: d['staff.codebook.back'] }).focus();
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/staff\/research$/);
        await page.getByRole('heading', { level: 1, name: d['staff.research.title'] }).waitFor();
        assert.deepEqual(unexpected(problems), []);
      } finally {
        await context.close();
      }
    });
  }

  it('is closed to a staff member who is not a coder', async () => {
    const d = dictionary('en');
    const { context, page } = await openContext(suite.browser, suite.server.baseURL, viewports[1]);
    try {
      await signIn(page, d, 'en', notCoder);
      await page.goto('/staff/research/codebook');
      await page.getByText(d['staff.research.notCoder']).waitFor();
      assert.equal(await page.locator('li.code').count(), 0);
      assert.equal(await page.getByLabel(d['staff.codebook.filter'], { exact: true }).count(), 0);
    } finally {
      await context.close();
    }
  });
});
