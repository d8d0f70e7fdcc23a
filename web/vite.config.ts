// The console's build and dev server. `npm run build:web` writes web/dist, which the API
// serves at `/`; `npm run dev:web` serves the console with hot reload and passes API
// requests to the API at FIELDFLOW_API (default http://localhost:3000).
import { fileURLToPath } from 'node:url';
import { defineConfig, type ProxyOptions } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.FIELDFLOW_API ?? 'http://localhost:3000';

// The API's paths. A browser navigating to /projects/prj_1 wants the console's page, so
// requests that prefer HTML stay with Vite; fetch() and EventSource go to the API.
const apiPaths = ['/auth', '/settings', '/task-types', '/customers', '/projects', '/tasks', '/documents', '/stream', '/events', '/healthz', '/readyz', '/sites', '/qr'];
const toApi: ProxyOptions = {
  target: api,
  changeOrigin: true,
  bypass: (req) => (/text\/html/.test(req.headers.accept ?? '') ? req.url : undefined),
};

export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      // react-router marks its modules "use client", which means nothing in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      ...Object.fromEntries(apiPaths.map((path) => [path, toApi])),
      // The API's own documentation pages are HTML and belong to the API.
      '/docs': { target: api, changeOrigin: true },
      '/openapi.json': { target: api, changeOrigin: true },
    },
  },
});
