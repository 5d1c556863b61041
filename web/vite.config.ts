/** Builds the console into web/dist, served by `truce serve` under /console/ (src/api/static.ts). */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { basemapPlugin } from './basemap.ts';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react(), basemapPlugin()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Map library and worker are large by nature; they load only with the situation page.
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  // `vite --config web/vite.config.ts` in development: everything outside /console/ is the API of a
  // `truce serve` on port 7300 (TRUCE_API to point elsewhere).
  server: {
    proxy: { '^/(?!console(/|$))': { target: process.env.TRUCE_API ?? 'http://127.0.0.1:7300' } },
  },
});
