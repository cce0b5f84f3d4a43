import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The portal is served by the platform at `/`; the API lives on the same origin.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy: { '/auth': 'http://localhost:3000', '/fhir': 'http://localhost:3000' } },
});
