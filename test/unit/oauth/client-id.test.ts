import { describe, expect, it } from 'vitest';
import { classifyClientId } from '../../../src/oauth/client-id';

const path = '/oauth/client.json';

describe('classifyClientId', () => {
  it.each([
    ['localhost', 'https://localhost/x', 'client_id_private_host'],
    ['localhost with a trailing dot', 'https://localhost./x', 'client_id_private_host'],
    ['LOCALHOST with a trailing dot', 'https://LOCALHOST./x', 'client_id_private_host'],
    ['a name below localhost, trailing dot', 'https://foo.localhost./x', 'client_id_private_host'],
    ['a name below localhost, two trailing dots', 'https://foo.LocalHost../x', 'client_id_private_host'],
    ['a .internal name with a trailing dot', 'https://metadata.internal./x', 'client_id_private_host'],
    ['a single label with a trailing dot', 'https://intranetbox./x', 'client_id_private_host'],
    ['127.0.0.1', 'https://127.0.0.1/x', 'client_id_private_address'],
    ['127.0.0.1 with a trailing dot', 'https://127.0.0.1./x', 'client_id_private_address'],
    ['127.0.0.1 with two trailing dots (a name to the URL parser)', 'https://127.0.0.1../x', 'client_id_private_address'],
    ['10.x with two trailing dots', 'https://10.0.0.1../x', 'client_id_private_address'],
    ['the metadata address with two trailing dots', 'https://169.254.169.254../x', 'client_id_private_address'],
    ['hex shorthand with two trailing dots', 'https://0x7f.1../x', 'client_id_private_address'],
    ['percent-encoded trailing dots', 'https://127.0.0.1%2e%2e/x', 'client_id_private_address'],
    ['127.1 in decimal', 'https://2130706433/x', 'client_id_private_address'],
    ['127.0.0.1 in hex', 'https://0x7f.0.0.1/x', 'client_id_private_address'],
    ['10.x', 'https://10.1.2.3/x', 'client_id_private_address'],
    ['the metadata address', 'https://169.254.169.254/x', 'client_id_private_address'],
    ['a documentation address', 'https://192.0.2.10/x', 'client_id_private_address'],
    ['::1', 'https://[::1]/x', 'client_id_private_address'],
    ['::', 'https://[::]/x', 'client_id_private_address'],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/x', 'client_id_private_address'],
    ['IPv4-mapped private, hex', 'https://[::ffff:a01:203]/x', 'client_id_private_address'],
    ['IPv4-mapped public', 'https://[::ffff:8.8.8.8]/x', 'client_id_private_address'],
    ['IPv4-compatible loopback', 'https://[::127.0.0.1]/x', 'client_id_private_address'],
    ['IPv4-translated (SIIT)', 'https://[::ffff:0:7f00:1]/x', 'client_id_private_address'],
    ['NAT64 with loopback', 'https://[64:ff9b::7f00:1]/x', 'client_id_private_address'],
    ['NAT64 with 10.x, dotted', 'https://[64:ff9b::10.0.0.1]/x', 'client_id_private_address'],
    ['local-use NAT64', 'https://[64:ff9b:1::a00:1]/x', 'client_id_private_address'],
    ['6to4 with loopback', 'https://[2002:7f00:1::]/x', 'client_id_private_address'],
    ['6to4 with 192.168.x', 'https://[2002:c0a8:101::1]/x', 'client_id_private_address'],
    ['Teredo', 'https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/x', 'client_id_private_address'],
    ['ISATAP with loopback', 'https://[2606:4700::5efe:7f00:1]/x', 'client_id_private_address'],
    ['ISATAP, universal bit', 'https://[2606:4700::200:5efe:a00:1]/x', 'client_id_private_address'],
    ['IPv6 documentation', 'https://[2001:db8::1]/x', 'client_id_private_address'],
    ['unique local', 'https://[fd00::1]/x', 'client_id_private_address'],
    ['link local', 'https://[fe80::1]/x', 'client_id_private_address'],
    ['multicast', 'https://[ff02::1]/x', 'client_id_private_address'],
    ['not https', 'http://app.example/x', 'client_id_not_https'],
    ['no path', 'https://app.example/', 'client_id_url_shape'],
    ['a port', 'https://app.example:8443/x', 'client_id_url_shape'],
    ['userinfo', 'https://user@app.example/x', 'client_id_url_shape'],
  ])('refuses %s before any fetch', (_label, clientId, reason) => {
    expect(classifyClientId(clientId)).toEqual({ kind: 'refused', reason });
  });

  it.each([
    ['a public name', `https://app.client.example${path}`],
    ['a public name with a trailing dot', `https://app.client.example.${path}`],
    ['a public IPv4 address', `https://8.8.8.8${path}`],
    ['a public IPv6 address', `https://[2606:4700:4700::1111]${path}`],
  ])('takes %s as a metadata document URL', (_label, clientId) => {
    expect(classifyClientId(clientId).kind).toBe('metadata_document');
  });

  it('takes an id from dynamic registration as registered', () => {
    expect(classifyClientId('AbCdEf0123456789')).toEqual({ kind: 'registered' });
  });
});
