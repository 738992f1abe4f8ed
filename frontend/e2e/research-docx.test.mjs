// A Word transcript from the front door: the admin chooses a .docx (built
// here as Word lays one out, with a phone number in it) with the labelled
// file input, sees which file is chosen, uploads it, and the stored text
// has the paragraphs as lines without the phone number. A hostile .docx (a
// name that leaves the archive) is refused with a clear message and stores
// nothing. Axe and 48×48 targets, in English on a phone and in Spanish on
// a tablet; screenshots go to /tmp/shots for a person to look at.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { assertAccessible, becomeCoder, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { runChorus, seedAdmin, testAdmin, useServerAndBrowser } from './harness.mjs';

const shots = '/tmp/shots';
mkdirSync(shots, { recursive: true });

const suite = useServerAndBrowser({
  seed: async (env) => {
    await seedAdmin(env);
    const site = await runChorus(
      ['admin', 'site', 'add', '--org', testAdmin.org, '--name', 'Storefront', '--kind', 'fixed', '--setting', 'urban', '--tz', 'America/Chicago'],
      { DATABASE_URL: env.DATABASE_URL ?? '' },
    );
    assert.equal(site.code, 0, site.stderr);
  },
});

/**
 * A zip of stored (uncompressed) entries: enough for a .docx.
 * @param {[string, string][]} files name and content
 */
function zip(files) {
  /** @type {Buffer[]} */
  const local = [];
  /** @type {Buffer[]} */
  const central = [];
  let offset = 0;
  for (const [name, content] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(content, 'utf8');
    const crc = crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0x0800, 6); // names in UTF-8
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(data.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(nameBytes.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);
    local.push(head, nameBytes, data);
    central.push(dir, nameBytes);
    offset += head.length + nameBytes.length + data.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, ...central, end]);
}

/**
 * A .docx with one paragraph per line, and any extra entries.
 * @param {string[]} lines
 * @param {[string, string][]} [extra]
 */
function docx(lines, extra = []) {
  const escape = (/** @type {string} */ s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = lines.map((l) => `<w:p><w:r><w:t xml:space="preserve">${escape(l)}</w:t></w:r></w:p>`).join('');
  return zip([
    ['[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'],
    ['_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'],
    ['word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`],
    ...extra,
  ]);
}

const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * The transcripts stored, as the workspace's API gives them.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<string[]>}
 */
async function storedTranscripts(page) {
  return page.evaluate(async () => {
    const list = await (await fetch('/api/v1/research/excerpts?kind=transcript&limit=50')).json();
    const texts = [];
    for (const e of list.excerpts) texts.push((await (await fetch(`/api/v1/research/excerpts/${e.id}`)).json()).text);
    return texts;
  });
}

describe('a Word transcript', () => {
  for (const [lang, viewport] of /** @type {const} */ ([['en', viewports[1]], ['es', viewports[0]]])) {
    it(`is read, scrubbed and stored, and a hostile one refused (${lang}, ${viewport.name})`, async () => {
      const d = dictionary(lang);
      const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL, viewport);
      try {
        await page.goto('/');
        if (lang === 'es') await page.getByRole('button', { name: 'Español' }).click();
        await page.getByRole('link', { name: new RegExp(`^${d['home.signin']}`) }).click();
        await page.getByLabel(d['signin.email']).fill(testAdmin.email);
        await page.getByLabel(d['signin.password'], { exact: true }).fill(testAdmin.password);
        await page.getByRole('button', { name: d['signin.submit'] }).click();
        await page.getByRole('navigation', { name: d['staff.nav.label'] }).waitFor();
        await page.goto('/staff/research/manage');
        await page.getByRole('heading', { level: 1, name: d['staff.researchAdmin.title'] }).waitFor();
        // The admin codes too, so the workspace's API lists the texts.
        await becomeCoder(page, d, testAdmin.email);
        const before = await storedTranscripts(page);

        // A hostile file: refused with the server's reason, nothing stored.
        const input = page.getByLabel(d['staff.researchAdmin.transcriptFile']);
        await input.setInputFiles({ name: 'hostile.docx', mimeType: docxType, buffer: docx(['R1: hello'], [['../../etc/cron.d/x', 'x']]) });
        await page.getByText(fill(d['staff.researchAdmin.docxChosen'], { name: 'hostile.docx' })).waitFor();
        await page.getByRole('button', { name: d['staff.researchAdmin.upload'] }).click();
        await page.getByRole('alert').filter({ hasText: 'points outside it' }).waitFor();
        assert.deepEqual(await storedTranscripts(page), before, 'a refused file stored something');

        // Remove it, then choose the real one.
        await page.getByRole('button', { name: d['staff.researchAdmin.docxRemove'] }).click();
        await page.getByText(fill(d['staff.researchAdmin.docxChosen'], { name: 'hostile.docx' })).waitFor({ state: 'detached' });
        const name = `Grupo ${lang}.docx`;
        await input.setInputFiles({
          name,
          mimeType: docxType,
          buffer: docx(['Facilitator: Who looks out for you?', 'R1: My friends & I carry naloxone.', 'R2: Text me at (503) 555-0142 for supplies.']),
        });
        await page.getByText(fill(d['staff.researchAdmin.docxChosen'], { name })).waitFor();
        assert.ok(await page.getByRole('textbox', { name: d['staff.researchAdmin.transcriptText'], exact: true }).isDisabled(), 'the box stays open beside a chosen file');
        await page.getByRole('textbox', { name: d['staff.researchAdmin.transcriptTitle'], exact: true }).fill(`Listening session ${lang}`);
        await assertAccessible(page, `${lang} research admin with a .docx chosen`, { atLeast: 6 });
        await page.locator('#ra-file').scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${shots}/research-docx-${lang}-${viewport.name}.png` });
        await page.getByRole('button', { name: d['staff.researchAdmin.upload'] }).click();
        await page.locator('p.notice', { hasText: fill(d['staff.researchAdmin.uploaded'], { count: 1 }) }).waitFor();
        await page.getByText(fill(d['staff.researchAdmin.docxChosen'], { name })).waitFor({ state: 'detached' });

        const after = await storedTranscripts(page);
        assert.equal(after.length, before.length + 1);
        const stored = after.find((t) => t.includes('carry naloxone')) ?? '';
        assert.ok(stored.startsWith('Facilitator: Who looks out for you?\nR1: My friends & I carry naloxone.\nR2: Text me at'), stored);
        assert.ok(!stored.includes('555'), `the phone number was stored: ${stored}`);
        assert.deepEqual(unexpected(problems), []);
      } finally {
        await context.close();
      }
    });
  }
});
