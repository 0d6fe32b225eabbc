import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/policy/decision';
import { checkReadFields, checkWriteFields } from '../../../src/policy/fields';
import { authorizeMethod, authorizeOperation, reachableOperations, resolveModelAccess } from '../../../src/policy/models';
import type { Operation } from '../../../src/policy/operations';
import { rateLimitStep, type RateLimitState } from '../../../src/policy/rate-limit';
import { checkRequestContext } from '../../../src/policy/request';
import { parseScope, type Scope } from '../../../src/policy/scope';
import { summarizeScope } from '../../../src/policy/scope-summary';
import {
  aiAssistantScope,
  importScriptScope,
  importScriptValidity,
  n8nPartnerCommentsScope,
  nightlyStatsSyncScope,
  websiteFormScope,
} from './examples';

type Outcome = Decision['effect'] | DenialCode;
type DenialCode = Extract<Decision, { effect: 'deny' }>['reason']['code'];

function outcome(decision: Decision): Outcome {
  return decision.effect === 'deny' ? decision.reason.code : decision.effect;
}

function operationTable(scope: Scope, rows: Array<[string, Operation, Outcome]>): void {
  it.each(rows)('%s: %s -> %s', (model, operation, expected) => {
    expect(outcome(authorizeOperation(scope, model, operation))).toBe(expected);
  });
}

const anywhere = { ip: '192.0.2.10', notBefore: null, expiresAt: null };

describe('1. AI assistant: reads everything it may, writes only sale.order and crm.lead', () => {
  operationTable(aiAssistantScope, [
    ['res.partner', 'read', 'allow'],
    ['res.partner', 'query', 'allow'],
    ['product.product', 'schema', 'allow'],
    ['account.move', 'report', 'allow'],
    ['sale.order', 'write', 'allow'],
    ['sale.order', 'create', 'allow'],
    ['crm.lead', 'write', 'allow'],
    ['crm.lead', 'create', 'allow'],
    ['res.partner', 'write', 'operation_not_allowed'],
    ['res.partner', 'create', 'operation_not_allowed'],
    ['sale.order.line', 'write', 'operation_not_allowed'],
    ['sale.order', 'delete', 'operation_not_allowed'],
    ['crm.lead', 'execute', 'operation_not_allowed'],
    ['res.users.apikeys', 'read', 'sensitive_model'],
    ['ir.config_parameter', 'read', 'sensitive_model'],
  ]);

  it('lists the tools for reading and writing but none for delete or methods', () => {
    expect([...reachableOperations(aiAssistantScope)]).toEqual(['query', 'read', 'create', 'write', 'schema', 'report']);
  });
});

describe('2. Website form: only creates crm.lead with the form fields', () => {
  operationTable(websiteFormScope, [
    ['crm.lead', 'create', 'allow'],
    ['crm.lead', 'read', 'operation_not_allowed'],
    ['crm.lead', 'query', 'operation_not_allowed'],
    ['crm.lead', 'write', 'operation_not_allowed'],
    ['res.partner', 'create', 'model_not_allowed'],
  ]);

  const access = resolveModelAccess(websiteFormScope, 'crm.lead');
  const formLead = { name: 'Website: quote', contact_name: 'Ana', email_from: 'ana@example.com', phone: '+32 2 000 00 00', description: 'Hi' };

  it.each<[string, Record<string, unknown>, Decision]>([
    ['the form fields', formLead, { effect: 'allow' }],
    ['a subset of them', { name: 'Short', email_from: 'a@b.c' }, { effect: 'allow' }],
    ['assigning a salesperson', { ...formLead, user_id: 2 }, { effect: 'deny', reason: { code: 'field_not_writable', model: 'crm.lead', field: 'user_id' } }],
    ['setting the probability', { name: 'x', probability: 100 }, { effect: 'deny', reason: { code: 'field_not_writable', model: 'crm.lead', field: 'probability' } }],
  ])('create with %s', (_label, values, expected) => {
    expect(access.allowed && checkWriteFields(access, 'crm.lead', [values])).toEqual(expected);
  });

  it('is rate limited: the 21st submission in a minute waits', () => {
    const limit = websiteFormScope.rate_limit;
    if (limit === undefined) throw new Error('the website form example must have a rate limit');
    let state: RateLimitState | null = null;
    const answers = Array.from({ length: 21 }, (_, index) => {
      const step = rateLimitStep(state, Date.parse('2026-03-09T10:00:00Z') + index * 100, limit);
      state = step.state;
      return step.allowed;
    });
    expect(answers.filter(Boolean)).toHaveLength(20);
    expect(answers[20]).toBe(false);
  });
});

describe('3. Nightly stats sync: one model, one IP range, 02:00-03:00 UTC', () => {
  operationTable(nightlyStatsSyncScope, [
    ['x_sales_stats', 'write', 'allow'],
    ['x_sales_stats', 'create', 'allow'],
    ['x_sales_stats', 'delete', 'operation_not_allowed'],
    ['sale.order', 'write', 'model_not_allowed'],
    ['sale.order', 'read', 'model_not_allowed'],
  ]);

  it.each<[string, string | null, string, Outcome]>([
    ['from the range at 02:30 UTC', '198.51.100.20', '2026-03-09T02:30:00Z', 'allow'],
    ['from the range at 02:00 UTC', '198.51.100.20', '2026-03-09T02:00:00Z', 'allow'],
    ['from the range at 03:00 UTC', '198.51.100.20', '2026-03-09T03:00:00Z', 'outside_time_window'],
    ['from the range at 01:59 UTC', '198.51.100.20', '2026-03-09T01:59:00Z', 'outside_time_window'],
    ['from the range on a Sunday night', '198.51.100.255', '2026-03-08T02:15:00Z', 'allow'],
    ['summer time does not move a UTC window', '198.51.100.20', '2026-07-01T02:30:00Z', 'allow'],
    ['from elsewhere at 02:30 UTC', '203.0.113.5', '2026-03-09T02:30:00Z', 'ip_not_allowed'],
    ['mapped form of an address in the range', '::ffff:198.51.100.20', '2026-03-09T02:30:00Z', 'allow'],
    ['without a client IP', null, '2026-03-09T02:30:00Z', 'ip_not_allowed'],
  ])('%s', (_label, ip, now, expected) => {
    expect(outcome(checkRequestContext(nightlyStatsSyncScope, { ip, now: new Date(now), notBefore: null, expiresAt: null }))).toBe(expected);
  });
});

describe('4. n8n: reads res.partner and only calls message_post on it', () => {
  operationTable(n8nPartnerCommentsScope, [
    ['res.partner', 'read', 'allow'],
    ['res.partner', 'query', 'allow'],
    ['res.partner', 'write', 'operation_not_allowed'],
    ['res.partner', 'delete', 'operation_not_allowed'],
    ['crm.lead', 'read', 'model_not_allowed'],
  ]);

  it.each<[string, string, Outcome]>([
    ['res.partner', 'message_post', 'allow'],
    ['res.partner', 'message_subscribe', 'method_not_allowed'],
    ['res.partner', 'unlink', 'method_reserved'],
    ['res.partner', 'write', 'method_reserved'],
    ['res.partner', '_message_log', 'private_method'],
    ['crm.lead', 'message_post', 'model_not_allowed'],
  ])('call %s.%s -> %s', (model, method, expected) => {
    expect(outcome(authorizeMethod(n8nPartnerCommentsScope, model, method))).toBe(expected);
  });

  it('reads every partner field (no read_fields)', () => {
    const access = resolveModelAccess(n8nPartnerCommentsScope, 'res.partner');
    expect(access.allowed && checkReadFields(access, 'res.partner', ['name', 'email'])).toEqual({ ok: true, fields: ['name', 'email'] });
  });
});

describe('5. Import script: full access for one day', () => {
  operationTable(importScriptScope, [
    ['res.partner', 'create', 'allow'],
    ['product.product', 'write', 'allow'],
    ['sale.order', 'delete', 'allow'],
    ['account.move', 'execute', 'allow'],
    ['res.users.apikeys', 'read', 'sensitive_model'],
    ['ir.model.access', 'write', 'sensitive_model'],
  ]);

  it.each<[string, string, Outcome]>([
    ['an hour before the day starts', '2026-03-02T07:00:00Z', 'not_yet_valid'],
    ['as the day starts', importScriptValidity.notBefore, 'allow'],
    ['during the day', '2026-03-02T23:00:00Z', 'allow'],
    ['the last millisecond', '2026-03-03T07:59:59.999Z', 'allow'],
    ['as the day ends', importScriptValidity.expiresAt, 'expired'],
    ['a week later', '2026-03-10T08:00:00Z', 'expired'],
  ])('%s', (_label, now, expected) => {
    expect(outcome(checkRequestContext(importScriptScope, { ...anywhere, ...importScriptValidity, now: new Date(now) }))).toBe(expected);
  });
});

describe('the examples are valid stored scopes', () => {
  it.each([
    [aiAssistantScope, 'Custom: query, read, create, write, schema, report on 3 models'],
    [websiteFormScope, 'Custom: create on 1 model'],
    [nightlyStatsSyncScope, 'Custom: query, read, create, write on 1 model'],
    [n8nPartnerCommentsScope, 'Custom: query, read, execute on 1 model'],
    [importScriptScope, 'Full access'],
  ])('%# parses and summarizes as %s', (scope, summary) => {
    expect(parseScope(JSON.parse(JSON.stringify(scope)))).toEqual({ ok: true, scope });
    expect(summarizeScope(scope)).toBe(summary);
  });
});
