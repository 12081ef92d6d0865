import { clientOf } from './client-address';

describe('clientOf: whom a per-client limit counts', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:cb00:7107', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s counts as %s', (ip, client) => {
    expect(clientOf(ip)).toBe(client);
  });

  it('counts every address of one /64 as one client, and other networks apart', () => {
    expect(clientOf('2001:db8:a:b::1')).toBe(clientOf('2001:db8:a:b:ffff:ffff:ffff:ffff'));
    expect(clientOf('2001:db8:a:b::1')).not.toBe(clientOf('2001:db8:a:c::1'));
  });
});
