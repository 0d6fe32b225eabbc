import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/env';
import { TEST_SECRETS } from '../../support/secrets';

describe('MCP_ALLOWED_ORIGINS', () => {
  it('keeps exact origins, in canonical form, and refuses entries that are not origins with a precise error', () => {
    const parse = (value: string) => configSchema.safeParse({ ...TEST_SECRETS, MCP_ALLOWED_ORIGINS: value });
    expect(parse(' https://app.example.com , http://localhost:3000,').data?.MCP_ALLOWED_ORIGINS).toEqual(['https://app.example.com', 'http://localhost:3000']);
    expect(parse('HTTPS://App.Example.com:443/').data?.MCP_ALLOWED_ORIGINS).toEqual(['https://app.example.com']);
    expect(configSchema.parse({ ...TEST_SECRETS, MCP_ALLOWED_ORIGINS: undefined }).MCP_ALLOWED_ORIGINS).toEqual([]);
    expect(parse('').data?.MCP_ALLOWED_ORIGINS).toEqual([]);
    const problems: Array<[string, RegExp]> = [
      ['https://app.example.com/mcp', /'https:\/\/app\.example\.com\/mcp' is not an origin: it must not have a path/],
      ['app.example.com', /'app\.example\.com' is not an origin: it does not parse as a URL; write scheme:\/\/host\[:port\]/],
      ['*', /wildcards are not supported/],
      ['https://*.example.com', /wildcards are not supported/],
      ['ftp://files.example.com', /the scheme must be https or http, not ftp/],
      ['https://user:pw@app.example.com', /user name or password/],
      ['https://app.example.com?x=1', /path, query or fragment/],
    ];
    for (const [value, message] of problems) {
      const result = parse(`https://ok.example.com,${value}`);
      expect(result.success, value).toBe(false);
      expect(result.error!.issues).toHaveLength(1);
      expect(result.error!.issues[0]!.path).toEqual(['MCP_ALLOWED_ORIGINS']);
      expect(result.error!.issues[0]!.message).toMatch(message);
    }
  });
});
