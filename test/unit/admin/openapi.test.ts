import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it, vi } from 'vitest';
import { ADMIN_API_ROUTES, buildOpenApiDocument } from '../../../src/admin/api-routes';

// The routes' handlers come along with their declarations; revoking OAuth grants needs the Workers runtime, which Node has not.
vi.mock('../../../src/oauth/revoke', () => ({}));

const document = buildOpenApiDocument('https://gateway.example.com');

describe('the admin API OpenAPI document', () => {
  it('validates against the OpenAPI 3.1 schema', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('fails validation when an operation is broken, so the check above can fail', async () => {
    const broken = structuredClone(document) as { paths: Record<string, Record<string, { responses: unknown }>> };
    broken.paths['/connections']!.get!.responses = 'none';
    expect((await new Validator().validate(broken as never)).valid).toBe(false);
  });

  it('has unique operation ids and one operation per documented route', () => {
    const ids = ADMIN_API_ROUTES.map((route) => route.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const operations = Object.values(document.paths).flatMap((operations) => Object.keys(operations as object));
    expect(operations).toHaveLength(ADMIN_API_ROUTES.length);
  });

  it('describes each path parameter of each templated path', () => {
    for (const route of ADMIN_API_ROUTES) {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const operation = (document.paths as Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>)[route.path]![route.method]!;
      expect((operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name)).toEqual(names);
    }
  });

  it('never documents an Odoo API key or its ciphertext in an answer', () => {
    const answers = JSON.stringify(
      Object.values(document.paths).flatMap((operations) => Object.values(operations as Record<string, { responses: unknown }>).map((operation) => operation.responses)),
    );
    expect(answers).not.toMatch(/api_key|ciphertext/);
    expect(JSON.stringify(document.components.schemas.OdooAccount)).not.toMatch(/api_key|ciphertext/);
  });

  it('shows the precise scope schema where the body schemas leave it open', () => {
    const body = (document.paths['/connections'] as { post: { requestBody: { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } } } }).post
      .requestBody.content['application/json'].schema;
    expect(body.properties.scope).toMatchObject({ $ref: '#/components/schemas/Scope' });
    expect(document.components.schemas.Scope).toMatchObject({ required: ['preset'] });
  });
});
