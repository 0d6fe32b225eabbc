import { describe, expect, it } from 'vitest';
import { formatIpAddress, parseIpAddress } from '../../../src/policy/ip-address';
import { isIpAllowed, isValidCidr, parseCidr, parseCidrDetailed } from '../../../src/policy/network';

describe('parseIpAddress', () => {
  it.each<[string, 4 | 6, bigint]>([
    ['0.0.0.0', 4, 0n],
    ['203.0.113.7', 4, 0xcb007107n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['1::', 6, 1n << 112n],
    ['2001:db8::', 6, 0x20010db8n << 96n],
    ['2001:DB8::1', 6, (0x20010db8n << 96n) | 1n],
    ['2001:db8:0:0:0:0:0:1', 6, (0x20010db8n << 96n) | 1n],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', 6, (0x20010db8n << 96n) | 1n],
    ['1:2:3:4:5:6:7::', 6, 0x00010002000300040005000600070000n],
    ['::2:3:4:5:6:7:8', 6, 0x00000002000300040005000600070008n],
    ['::ffff:203.0.113.7', 6, 0xffffcb007107n],
    ['::FFFF:CB00:7107', 6, 0xffffcb007107n],
    ['64:ff9b::192.0.2.33', 6, (0x0064ff9bn << 96n) | 0xc0000221n],
    ['1:2:3:4:5:6:1.2.3.4', 6, 0x00010002000300040005000601020304n],
  ])('%s', (text, version, value) => {
    expect(parseIpAddress(text)).toEqual({ version, value });
  });

  it.each([
    '',
    'localhost',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.-4',
    ' 1.2.3.4',
    '1.2.3.4 ',
    ':::',
    '1:::2',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8::',
    '12345::',
    'g::1',
    '::ffff:1.2.3',
    '1.2.3.4::',
    '1.2.3.4:1::',
    'fe80::1%eth0',
    '[2001:db8::1]',
    ':1::',
    '1::2:',
  ])('refuses %j', (text) => {
    expect(parseIpAddress(text)).toBeNull();
  });

  it.each([
    ['2001:db8::1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['1:0:2:0:3:0:4:0', '1:0:2:0:3:0:4:0'],
    ['10.0.0.1', '10.0.0.1'],
  ])('formats %s as %s', (text, formatted) => {
    const address = parseIpAddress(text);
    expect(address && formatIpAddress(address)).toBe(formatted);
  });
});

describe('parseCidr', () => {
  it.each<[string, 4 | 6, bigint, number]>([
    ['203.0.113.0/24', 4, 0xcb007100n, 24],
    ['0.0.0.0/0', 4, 0n, 0],
    ['203.0.113.7', 4, 0xcb007107n, 32],
    ['203.0.113.7/32', 4, 0xcb007107n, 32],
    ['2001:db8::/32', 6, 0x20010db8n << 96n, 32],
    ['::/0', 6, 0n, 0],
    ['2001:db8::1', 6, (0x20010db8n << 96n) | 1n, 128],
    ['::ffff:203.0.113.0/120', 4, 0xcb007100n, 24],
    ['::ffff:0:0/96', 4, 0n, 0],
  ])('%s', (text, version, network, prefix) => {
    expect(parseCidr(text)).toEqual({ version, network, prefix });
    expect(isValidCidr(text)).toBe(true);
  });

  it.each(['', '/24', '203.0.113.0/', '203.0.113.0/33', '203.0.113.0/024', '203.0.113.0/-1', '203.0.113.0/2.5', '2001:db8::/129', '203.0.113.0/24/1', 'example.com/24', '10.0.0.0/ 8'])(
    'refuses %j as not a valid CIDR',
    (text) => {
      expect(parseCidr(text)).toBeNull();
      expect(isValidCidr(text)).toBe(false);
      expect(parseCidrDetailed(text)).toEqual({ ok: false, message: 'not a valid CIDR' });
    },
  );

  it.each([
    ['203.0.113.7/24', 'not a valid CIDR: host bits are set (did you mean 203.0.113.0/24?)'],
    ['10.1.2.3/8', 'not a valid CIDR: host bits are set (did you mean 10.0.0.0/8?)'],
    ['2001:db8::1/32', 'not a valid CIDR: host bits are set (did you mean 2001:db8::/32?)'],
  ])('refuses host bits in %s with a suggestion', (text, message) => {
    expect(parseCidrDetailed(text)).toEqual({ ok: false, message });
    expect(isValidCidr(text)).toBe(false);
  });
});

describe('isIpAllowed', () => {
  const office = ['203.0.113.0/24', '2001:db8::/32'];
  it.each<[string, readonly string[] | undefined, string | null, boolean]>([
    ['no list allows anyone', undefined, '198.51.100.1', true],
    ['no list allows a missing ip', undefined, null, true],
    ['an empty list allows nobody', [], '203.0.113.7', false],
    ['missing ip with a list', office, null, false],
    ['invalid ip with a list', office, 'not-an-ip', false],
    ['ip with surrounding space', office, ' 203.0.113.7', false],
    ['v4 inside', office, '203.0.113.7', true],
    ['v4 first address', office, '203.0.113.0', true],
    ['v4 last address', office, '203.0.113.255', true],
    ['v4 just above', office, '203.0.114.0', false],
    ['v4 just below', office, '203.0.112.255', false],
    ['v6 inside, compressed', office, '2001:db8::1', true],
    ['v6 inside, upper case', office, '2001:DB8:FFFF::ABCD', true],
    ['v6 inside, full form', office, '2001:0db8:0001:0000:0000:0000:0000:0001', true],
    ['v6 just outside', office, '2001:db9::1', false],
    ['mapped v6 matches a v4 range', office, '::ffff:203.0.113.7', true],
    ['mapped v6 in hex matches a v4 range', office, '::ffff:cb00:7107', true],
    ['mapped v6 outside the v4 range', office, '::ffff:198.51.100.7', false],
    ['v4 matches a mapped v6 range', ['::ffff:203.0.113.0/120'], '203.0.113.9', true],
    ['v4 outside a mapped v6 range', ['::ffff:203.0.113.0/120'], '203.0.114.9', false],
    ['v4 does not match ::/0', ['::/0'], '203.0.113.7', false],
    ['v6 does not match 0.0.0.0/0', ['0.0.0.0/0'], '2001:db8::1', false],
    ['0.0.0.0/0 matches every v4', ['0.0.0.0/0'], '8.8.8.8', true],
    ['::/0 matches every v6', ['::/0'], '2606:4700::1111', true],
    ['/32 matches only itself', ['203.0.113.7/32'], '203.0.113.7', true],
    ['/32 refuses its neighbour', ['203.0.113.7/32'], '203.0.113.8', false],
    ['bare v4 is a /32', ['203.0.113.7'], '203.0.113.8', false],
    ['/128 matches only itself', ['2001:db8::7/128'], '2001:db8:0:0:0:0:0:7', true],
    ['bare v6 is a /128', ['2001:db8::7'], '2001:db8::8', false],
    ['an invalid entry never matches', ['203.0.113.7/24', 'nonsense'], '203.0.113.7', false],
    ['v4-compatible v6 is not v4', ['203.0.113.0/24'], '::203.0.113.7', false],
  ])('%s', (_label, ipAllow, ip, expected) => {
    expect(isIpAllowed(ipAllow, ip)).toBe(expected);
  });
});
