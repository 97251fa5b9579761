/**
 * Browser-mode development loop with hot reload: `npm run dev:web` serves the renderer and
 * proxies /api to a running `node out/main/server.js --port 5199` (see docs/development.md).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  root: 'src-renderer',
  plugins: [svelte({ configFile: resolve('svelte.config.js') })],
  worker: { format: 'es' },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: 'http://127.0.0.1:5199', changeOrigin: true } },
  },
});
