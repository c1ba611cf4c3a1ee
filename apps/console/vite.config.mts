import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web console: static files in dist/apps/console, served by the gateway at `/`. In
 * development (`nx run console:serve`) Vite proxies /api to a gateway on 127.0.0.1:3000.
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  // The contracts' constants (no runtime dependencies) are bundled; the rest of the contracts lib
  // is imported for its types only.
  resolve: {
    alias: {
      '@smartship/contracts/constants': fileURLToPath(
        new URL('../../libs/contracts/src/constants/index.ts', import.meta.url),
      ),
    },
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // One stylesheet and scripts from files only: the gateway's CSP allows 'self', never inline.
    assetsInlineLimit: 0,
  },
  server: {
    port: 4200,
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
