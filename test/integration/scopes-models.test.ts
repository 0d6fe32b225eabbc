import { describe, expect, it } from 'vitest';
import { callTool, expectAllowed, expectRefused, useScopedGateway } from './scopes-helpers';

/** Which models a scope reaches: deny_models, the sensitive models, wildcards and exact names. */

const { connectWithScope } = useScopedGateway();

async function searchOutcome(scope: unknown, model: string): Promise<string> {
  const { client } = await connectWithScope(scope);
  const result = await callTool(client, 'search_records', { model, limit: 1 });
  if (!result.isError) return 'allowed';
  const error = (result.structuredContent as { error: { type: string; code: string } }).error;
  return error.type === 'denied' ? error.code : `odoo:${error.code}`;
}

describe('deny_models', () => {
  const scope = { preset: 'full', deny_models: ['account.*', 'hr.*'] };

  it.each([
    ['account.move', "denied by 'account.*'"],
    ['account.move.line', "denied by 'account.*'"],
    ['hr.employee', "denied by 'hr.*'"],
  ])('a wildcard denies %s, even with full access', async (model, words) => {
    const { client, odoo } = await connectWithScope(scope);
    expectRefused(await callTool(client, 'count_records', { model }), 'model_denied', `model '${model}'`, words);
    expect(odoo.requests()).toHaveLength(0);
  });

  it('leaves the other models alone', async () => {
    expect(await searchOutcome(scope, 'res.partner')).toBe('allowed');
  });

  it('wins over a wildcard of models that also matches', async () => {
    const wide = { preset: 'read_only', models: { 'sale.*': {} }, deny_models: ['sale.order.line'] };
    expect(await searchOutcome(wide, 'sale.order.line')).toBe('model_denied');
    expect(await searchOutcome(wide, 'sale.order')).toBe('allowed');
  });

  it('loses to a model named exactly, which keeps only its own operations', async () => {
    const scope = { preset: 'full', models: { '*': {}, 'account.move': { operations: ['query', 'read'] } }, deny_models: ['account.*'] };
    const { client } = await connectWithScope(scope);
    expectAllowed(await callTool(client, 'search_records', { model: 'account.move', fields: ['name'], limit: 2 }));
    expectRefused(await callTool(client, 'create_records', { model: 'account.move', values: { ref: 'x' } }), 'operation_not_allowed', 'create account.move records');
    expectRefused(await callTool(client, 'search_records', { model: 'account.move.line' }), 'model_denied', "denied by 'account.*'");
  });
});

describe('sensitive models', () => {
  it.each([
    ['full access', { preset: 'full' }, 'res.users.apikeys'],
    ['full access', { preset: 'full' }, 'ir.config_parameter'],
    ['full access', { preset: 'full' }, 'payment.token'],
    ['full access', { preset: 'full' }, 'mail.ice.server'],
    ["an 'ir.*' entry", { preset: 'full', models: { 'ir.*': {} } }, 'ir.actions.server.history'],
    ['read only', { preset: 'read_only' }, 'ir.rule'],
    ["a '*' entry", { preset: 'full', models: { '*': {} } }, 'ir.model.access'],
    ["an 'ir.*' entry", { preset: 'read_only', models: { 'ir.*': {} } }, 'ir.config_parameter'],
    ["a 'res.users*' entry", { preset: 'read_only', models: { 'res.users*': {} } }, 'res.users.apikeys'],
  ])('are refused under %s (%s)', async (_label, scope, model) => {
    const { client, odoo } = await connectWithScope(scope);
    expectRefused(await callTool(client, 'search_records', { model }), 'sensitive_model', `model '${model}'`, 'name it exactly in the scope to allow it');
    expect(odoo.requests()).toHaveLength(0);
  });

  it("do not spoil the wildcard for the others: 'ir.*' still reaches ir.sequence", async () => {
    expect(await searchOutcome({ preset: 'read_only', models: { 'ir.*': {} } }, 'ir.sequence')).toBe('allowed');
  });

  it('are reached when named exactly, and then Odoo decides', async () => {
    const scope = { preset: 'read_only', models: { 'ir.config_parameter': { operations: ['query', 'read'] } } };
    const { client, odoo } = await connectWithScope(scope);
    expectAllowed(await callTool(client, 'search_records', { model: 'ir.config_parameter' }));
    expect(odoo.methods()).toEqual(['ir.config_parameter.search_read']);
  });
});

describe('a models map', () => {
  it('refuses a model no pattern matches', async () => {
    const { client, odoo } = await connectWithScope({ preset: 'read_only', models: { 'sale.*': {} } });
    expectRefused(await callTool(client, 'search_records', { model: 'res.partner' }), 'model_not_allowed', "model 'res.partner'", 'not among the models of its scope');
    expect(odoo.requests()).toHaveLength(0);
  });

  it('lists only the models it reaches', async () => {
    const { client } = await connectWithScope({ preset: 'read_only', models: { 'sale.*': {}, 'crm.lead': {} } });
    const listed = expectAllowed<{ models: Array<{ model: string }> }>(await callTool(client, 'list_models', { limit: 1000 }));
    const names = listed.models.map((entry) => entry.model);
    expect(names).toContain('sale.order');
    expect(names).toContain('crm.lead');
    expect(names.every((name) => name === 'crm.lead' || name.startsWith('sale.'))).toBe(true);
  });

  it('takes the most specific entry: exact, then the longest wildcard, then *', async () => {
    const scope = {
      preset: 'read_only',
      models: { '*': { operations: ['query'] }, 'sale.*': {}, 'sale.order': { operations: ['query'] } },
    };
    expect(await searchOutcome(scope, 'sale.order.line')).toBe('allowed');
    expect(await searchOutcome(scope, 'sale.order')).toBe('operation_not_allowed');
    expect(await searchOutcome(scope, 'res.partner')).toBe('operation_not_allowed');
    const { client } = await connectWithScope(scope);
    expectAllowed(await callTool(client, 'count_records', { model: 'res.partner' }));
  });
});
