import { describe, expect, it } from 'vitest';
import { checkHost, checkOrigin, type OriginPolicy } from '../../../src/mcp/origin';

const deployed: OriginPolicy = { publicOrigin: new URL('https://mcp.example.com'), extraOrigins: new Set(['https://app.example.com']) };
const unconfigured: OriginPolicy = { publicOrigin: null, extraOrigins: new Set() };
const local: OriginPolicy = { publicOrigin: new URL('http://127.0.0.1:8787'), extraOrigins: new Set() };

describe('checkOrigin', () => {
  it.each([
    [deployed, null, true],
    [deployed, 'https://mcp.example.com', true],
    [deployed, 'https://app.example.com', true],
    [deployed, 'http://localhost:6274', true],
    [deployed, 'https://127.0.0.1', true],
    [deployed, 'http://[::1]:3000', true],
    [deployed, 'http://mcp.example.com', false],
    [deployed, 'https://mcp.example.com:8443', false],
    [deployed, 'https://app.example.com.evil.example', false],
    [deployed, 'https://evil.example', false],
    [deployed, 'null', false],
    [deployed, '', false],
    [deployed, 'file://', false],
    [deployed, 'chrome-extension://abcdef', false],
    [deployed, 'http://localhost.evil.example', false],
    [deployed, 'http://127.0.0.2', false],
    [deployed, 'https://mcp.example.com/', false],
    [unconfigured, 'http://localhost:5173', true],
    [unconfigured, 'https://anything.example', false],
  ] as const)('%#: %s', (policy, origin, allowed) => {
    expect(checkOrigin(origin, policy).ok).toBe(allowed);
  });
});

describe('checkHost', () => {
  it.each([
    [deployed, 'mcp.example.com', true],
    [deployed, 'MCP.example.com', true],
    [deployed, 'mcp.example.com:443', true],
    [deployed, 'mcp.example.com:80', false],
    [deployed, 'localhost:8787', true],
    [deployed, '127.0.0.1', true],
    [deployed, '[::1]:8787', true],
    [deployed, 'evil.example', false],
    [deployed, 'app.example.com', false],
    [deployed, 'mcp.example.com.evil.example', false],
    [deployed, 'mcp.example.com@evil.example', false],
    [deployed, 'evil.example/mcp.example.com', false],
    [deployed, '', false],
    [local, '127.0.0.1:8787', true],
    [local, 'evil.example:8787', false],
    [unconfigured, 'my-gateway.workers.dev', true],
    [unconfigured, 'not a host', false],
  ] as const)('%#: %s', (policy, host, allowed) => {
    expect(checkHost(host, policy).ok).toBe(allowed);
  });

  it('names the expected host in the refusal', () => {
    expect(checkHost('evil.example', deployed)).toEqual({ ok: false, message: "Forbidden: Host 'evil.example' is not this gateway's (mcp.example.com)" });
  });
});
