/**
 * One build for every runtime: main (Electron shell, browser-mode server, CLI and engine worker,
 * all Node), preload (CommonJS for the sandbox) and the Svelte renderer.
 * The main entries also run under plain Node 20, hence the node20 target.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  main: {
    build: {
      target: 'node20',
      outDir: 'out/main',
      // Pure-JS dependencies are bundled: every `retile` command is a fresh process, and resolving
      // and reading zod's and commander's hundreds of module files at each start cost more than
      // the command's own work in the short ones. Native and Wasm-shipping packages stay external.
      externalizeDeps: { exclude: ['zod', 'commander', 'cli-table3', 'cli-progress'] },
      rollupOptions: {
        input: {
          index: resolve('src-main/app/main.ts'),
          server: resolve('src-main/server/main.ts'),
          cli: resolve('src-main/cli/main.ts'),
          worker: resolve('src-main/service/worker.ts'),
          'job-host': resolve('src-main/service/job-host.ts'),
          'sweep-worker': resolve('src-main/cli/sweep/worker.ts'),
          'sim-worker': resolve('src-main/service/sim-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src-main/app/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    build: {
      outDir: resolve('out/renderer'),
      // Never inline the .wasm as a data: URL: the CSP allows fetches from 'self' only.
      assetsInlineLimit: 0,
      minify: true,
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
    worker: { format: 'es' },
  },
});
