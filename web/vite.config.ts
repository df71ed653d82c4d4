import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// esbuild compiles the JSX (automatic runtime); no React plugin is needed for a build.
export default defineConfig({
  root: here,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: { outDir: path.join(here, 'dist'), emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
