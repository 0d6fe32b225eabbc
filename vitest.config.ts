import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { TEST_SECRETS } from './test/support/secrets.ts';

const migrations = await readD1Migrations(path.join(import.meta.dirname, 'migrations'));

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 180_000 },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: { ...TEST_SECRETS, TEST_MIGRATIONS: migrations },
              // The deployed consumers batch for up to 5 s (wrangler.toml); tests deliver at once instead of sitting it out.
              queueConsumers: {
                'odoo-mcp-gateway-audit': { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 5, deadLetterQueue: 'odoo-mcp-gateway-audit-dlq' },
                'odoo-mcp-gateway-audit-dlq': { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 10 },
              },
            },
          }),
        ],
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          setupFiles: ['./test/support/apply-migrations.ts'],
        },
      },
    ],
  },
});
