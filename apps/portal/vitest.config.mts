import { defineConfig } from 'vitest/config';

// Component tests of the portal's non-trivial UI logic, in happy-dom (no browser needed).
export default defineConfig({
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
  },
});
