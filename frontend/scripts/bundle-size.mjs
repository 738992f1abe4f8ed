// How much JavaScript and CSS each participant-facing page loads, as a cheap
// tablet fetches it: starts the built binary on a scratch database, opens each
// page in Chromium, and adds up the /assets/ files it asked for (raw and
// gzip -9). Run after `make build`, from frontend/: node scripts/bundle-size.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'chorus-size-'));
const addr = '127.0.0.1:18123';
const server = spawn(join(root, 'bin', 'chorus'), ['serve'], {
  env: { ...process.env, CHORUS_ADDR: addr, DATABASE_URL: join(dir, 'size.db'), CHORUS_BASE_URL: `http://${addr}` },
  stdio: 'ignore',
});
try {
  for (let i = 0; i < 50; i++) {
    if (await fetch(`http://${addr}/healthz`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  console.log('| page | files | raw KiB | gzip KiB |\n| --- | ---: | ---: | ---: |');
  for (const path of ['/kiosk', '/live/ABC234', '/screen/ABC234', '/board/none', '/signin']) {
    const page = await browser.newPage();
    const files = new Set();
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.pathname.startsWith('/assets/')) files.add(url.pathname);
    });
    await page.goto(`http://${addr}${path}`);
    await page.waitForLoadState('networkidle');
    let raw = 0;
    let gzip = 0;
    for (const file of files) {
      const bytes = readFileSync(join(root, 'frontend', 'dist', file));
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    console.log(`| \`${path}\` | ${files.size} | ${(raw / 1024).toFixed(1)} | ${(gzip / 1024).toFixed(1)} |`);
    await page.close();
  }
  await browser.close();
} finally {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
