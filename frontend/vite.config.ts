import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { defineConfig, type Plugin } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const backend = process.env.CHORUS_DEV_BACKEND ?? 'http://127.0.0.1:8080';
const outDir = 'dist';

/**
 * The Go binary embeds frontend/dist with `//go:embed all:dist`, so a committed
 * dist/.gitkeep must exist even after Vite empties the folder on every build.
 */
function keepGitkeep(): Plugin {
  let dir = outDir;
  return {
    name: 'chorus-keep-gitkeep',
    apply: 'build',
    configResolved(config) {
      dir = resolve(config.root, config.build.outDir);
    },
    writeBundle() {
      writeFileSync(resolve(dir, '.gitkeep'), '');
    },
  };
}

/** Every file under dir, as paths relative to it with forward slashes. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/**
 * Fills in the service worker that public/ copied to dist/sw.js: the list of
 * files to precache (index.html and everything else the build wrote, but not
 * the worker itself or .gitkeep) and a build id from their contents, so a new
 * build changes sw.js, which is how browsers learn there is a new version.
 */
export function chorusServiceWorker(): Plugin {
  let dir = outDir;
  return {
    name: 'chorus-service-worker',
    apply: 'build',
    configResolved(config) {
      dir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const worker = resolve(dir, 'sw.js');
      const files = filesUnder(dir)
        .filter((file) => file !== 'sw.js' && file !== '.gitkeep')
        .sort();
      const hash = createHash('sha256');
      for (const file of files) hash.update(file).update('\0').update(readFileSync(resolve(dir, file)));
      const source = readFileSync(worker, 'utf8');
      const build = "const BUILD = 'dev';";
      const precache = 'const PRECACHE = [];';
      if (!source.includes(build) || !source.includes(precache)) {
        throw new Error(`${worker}: expected the lines "${build}" and "${precache}" to fill in`);
      }
      const urls = files.map((file) => `/${file}`);
      writeFileSync(
        worker,
        source
          .replace(build, `const BUILD = '${hash.digest('hex').slice(0, 16)}';`)
          .replace(precache, `const PRECACHE = ${JSON.stringify(urls)};`),
      );
    },
  };
}

export default defineConfig({
  plugins: [svelte(), keepGitkeep(), chorusServiceWorker()],
  build: {
    outDir,
    emptyOutDir: true,
    // The server's Content-Security-Policy allows scripts from 'self' only: never inline an asset as a data: URL.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': { target: backend, ws: true },
      '/healthz': backend,
      '/readyz': backend,
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
