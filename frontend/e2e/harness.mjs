// Shared harness for the browser tests: runs the real chorus binary on a fresh
// SQLite database and a free port, and launches Debian's Chromium through
// playwright-core (no downloaded browser).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

/** The server binary under test; `make build` puts it in bin/ at the repository root. */
export const chorusBin = process.env.CHORUS_BIN || fileURLToPath(new URL('../../bin/chorus', import.meta.url));

const readyTimeoutMs = Number(process.env.CHORUS_E2E_READY_TIMEOUT_MS || 30_000);
const stopTimeoutMs = 10_000;
const logLimit = 64 * 1024;

/**
 * Launches headless Chromium from CHROMIUM_PATH or /usr/bin/chromium.
 * @param {{ backForwardCache?: boolean }} [options] backForwardCache: keep Chromium's back/forward
 *   cache on (Playwright turns it off by default), for tests of what a page keeps in it
 */
export function launchBrowser({ backForwardCache = false } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    ignoreDefaultArgs: backForwardCache ? ['--disable-back-forward-cache'] : undefined,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Asks the OS for a free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * @typedef {object} ChorusServer
 * @property {string} baseURL   e.g. http://127.0.0.1:41234
 * @property {string} dataDir   the temporary folder holding chorus.db
 * @property {Record<string, string>} env  the environment the server was started with
 * @property {() => string} logs  what the server printed so far (the last 64 KiB)
 * @property {() => Promise<void>} stop  SIGTERM, wait for exit, remove the data folder
 */

/**
 * @typedef {object} ServerOptions
 * @property {Record<string, string>} [env] extra environment for the server
 * @property {(env: Record<string, string>) => Promise<void>} [seed] runs before the server starts, with the
 *   server's environment (so the same DATABASE_URL), e.g. to bootstrap an admin with runChorus
 */

/**
 * Starts `chorus serve` on a fresh database (seeded first when options.seed
 * is given) and resolves once GET /readyz answers 200.
 * @param {ServerOptions} [options]
 * @returns {Promise<ChorusServer>}
 */
export async function startServer(options = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'chorus-e2e-'));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: join(dataDir, 'chorus.db'),
    CHORUS_ADDR: `127.0.0.1:${port}`,
    CHORUS_BASE_URL: baseURL,
    CHORUS_LOG_FORMAT: 'text',
    ...options.env,
  };

  if (options.seed) {
    try {
      await options.seed(env);
    } catch (err) {
      await rm(dataDir, { recursive: true, force: true });
      throw err;
    }
  }

  const child = spawn(chorusBin, ['serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (/** @type {Buffer} */ chunk) => {
    output = (output + chunk.toString()).slice(-logLimit);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // If this test process ends without running its after() hooks, take the server down with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', killOnExit);
      resolve({ code, signal });
    }),
  );
  const spawnFailed = new Promise((resolve) => child.once('error', resolve));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await Promise.race([
      waitForReady(baseURL),
      exited.then(({ code, signal }) => {
        throw new Error(`chorus serve exited (code ${code}, signal ${signal}) before it was ready`);
      }),
      spawnFailed.then((err) => {
        throw new Error(`cannot start ${chorusBin} (build it with \`make build\` or set CHORUS_BIN): ${err}`);
      }),
    ]);
  } catch (err) {
    await stop();
    throw new Error(`${/** @type {Error} */ (err).message}\n--- server output ---\n${output}`, { cause: err });
  }

  return { baseURL, dataDir, env, logs: () => output, stop };
}

/**
 * Polls GET /readyz until it answers 200, or fails after the deadline.
 * @param {string} baseURL
 */
async function waitForReady(baseURL) {
  const deadline = Date.now() + readyTimeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${baseURL}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${baseURL}/readyz not ready after ${readyTimeoutMs} ms (${last})`);
}

/**
 * Runs a chorus subcommand (e.g. `demo --no-serve`) to completion.
 * @param {string[]} args
 * @param {Record<string, string>} [env] extra environment, e.g. a server's `env` to share its database
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
export function runChorus(args, env = {}, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(chorusBin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * @typedef {object} Suite
 * @property {ChorusServer} server
 * @property {import('playwright-core').Browser} browser
 */

/**
 * Registers before/after hooks for the calling test file: one server and one
 * browser shared by its tests. Read the fields inside tests, not at import time.
 * @param {ServerOptions} [options]
 * @returns {Suite}
 */
export function useServerAndBrowser(options = {}) {
  const suite = /** @type {Suite} */ ({});
  before(async () => {
    suite.server = await startServer(options);
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}

/**
 * Collects what would show a broken page: uncaught errors, console errors
 * (including Content-Security-Policy violations) and failed requests.
 * @param {import('playwright-core').Page} page
 * @returns {string[]}
 */
export function watchForProblems(page) {
  /** @type {string[]} */
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  return problems;
}

/** The first admin that seedAdmin creates. */
export const testAdmin = { email: 'admin@example.org', password: 'a long test password', org: 'Test Program' };

/**
 * A seed for startServer: `chorus admin bootstrap` creates the organization
 * and its first admin (testAdmin), with a password that needs no change.
 * @param {Record<string, string>} env
 */
export async function seedAdmin(env) {
  const result = await runChorus(['admin', 'bootstrap', '--org', testAdmin.org, '--email', testAdmin.email], {
    DATABASE_URL: env.DATABASE_URL ?? '',
    CHORUS_ADMIN_PASSWORD: testAdmin.password,
  });
  if (result.code !== 0) {
    throw new Error(`chorus admin bootstrap failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}
