import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
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

export default defineConfig({
  plugins: [svelte(), keepGitkeep()],
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
