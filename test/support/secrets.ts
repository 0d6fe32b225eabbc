/** Fixed, obviously fake secrets for the integration tests (never used outside them). */
export const TEST_SECRETS = {
  ADMIN_TOKEN: 'test-admin-token-0123456789abcdef0123456789',
  KEY_PEPPER: 'test-pepper-0123456789abcdef0123456789abcdef',
  CREDENTIALS_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
  ODOO_URL: 'https://odoo.test',
  ODOO_DB: 'odoo',
  ODOO_LOGIN: 'admin',
  ODOO_API_KEY: 'admin-api-key',
  ODOO_API: 'json2',
  PUBLIC_URL: 'https://gateway.test',
  /** A browser-based MCP client's origin, besides PUBLIC_URL's and loopback ones. */
  MCP_ALLOWED_ORIGINS: 'https://app.example.com',
  ODOO_TIMEOUT_MS: '1000',
};
