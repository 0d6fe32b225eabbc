import type { Scope } from '../../../src/policy/scope';

/** The five integrations of docs/scopes.md ("The five integrations, as five scopes"), as scopes an admin would write. */

/** 1. Reads everything it may, writes only sale.order and crm.lead. */
export const aiAssistantScope: Scope = {
  preset: 'custom',
  operations: ['query', 'read', 'create', 'write', 'schema', 'report'],
  models: {
    '*': { operations: ['query', 'read', 'schema', 'report'] },
    'sale.order': {},
    'crm.lead': {},
  },
};

/** 2. A public website form: only creates leads, with the fields of the form. */
export const websiteFormScope: Scope = {
  preset: 'custom',
  operations: ['create'],
  models: {
    'crm.lead': { write_fields: ['name', 'contact_name', 'email_from', 'phone', 'description'] },
  },
  rate_limit: { requests: 20, per_seconds: 60 },
};

/** 3. A nightly stats sync: writes one model, from one IP range, 02:00-03:00 UTC. */
export const nightlyStatsSyncScope: Scope = {
  preset: 'custom',
  operations: ['query', 'read', 'create', 'write'],
  models: { x_sales_stats: {} },
  ip_allow: ['198.51.100.0/24'],
  time_windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '02:00', end: '03:00', tz: 'UTC' }],
};

/** 4. An n8n automation that comments on new partners. */
export const n8nPartnerCommentsScope: Scope = {
  preset: 'custom',
  operations: ['query', 'read', 'execute'],
  models: { 'res.partner': { methods: ['message_post'] } },
};

/** 5. A one-off import script: full access; the connection is valid for one day. */
export const importScriptScope: Scope = { preset: 'full' };

export const importScriptValidity = {
  notBefore: '2026-03-02T08:00:00.000Z',
  expiresAt: '2026-03-03T08:00:00.000Z',
} as const;

export const exampleScopes = {
  ai_assistant: aiAssistantScope,
  website_form: websiteFormScope,
  nightly_stats_sync: nightlyStatsSyncScope,
  n8n_partner_comments: n8nPartnerCommentsScope,
  import_script: importScriptScope,
} as const satisfies Record<string, Scope>;

/** The example scope of the product's scope format, exactly as an admin would write it (plain JSON, not typed as Scope). */
export const ISSUE_SCOPE = {
  preset: 'custom',
  operations: ['query', 'read', 'create', 'write', 'delete', 'execute', 'schema', 'report'],
  models: {
    '*': { operations: ['query', 'read', 'schema', 'report'] },
    'crm.lead': { operations: ['create'], write_fields: ['name', 'contact_name', 'email_from', 'phone', 'description'] },
    'sale.order': {
      operations: ['query', 'read', 'write'],
      read_fields: ['name', 'partner_id', 'state', 'amount_total'],
      domain: [['state', 'in', ['draft', 'sent']]],
      methods: ['action_confirm'],
    },
  },
  deny_models: ['hr.*', 'account.move'],
  ip_allow: ['203.0.113.0/24', '2001:db8::/32'],
  time_windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00', tz: 'Europe/Brussels' }],
  rate_limit: { requests: 120, per_seconds: 60 },
};
