import { contentSecurityPolicy, securityHeaders } from './security-headers';

describe('contentSecurityPolicy', () => {
  it("allows only the page's own scripts, styles and server", () => {
    const policy = contentSecurityPolicy('chat.example.com:8080');
    expect(policy.split('; ')).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self' ws://chat.example.com:8080 wss://chat.example.com:8080",
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ]),
    );
    expect(policy).not.toMatch(/unsafe-(inline|eval)/);
  });

  it.each(['127.0.0.1:3000', 'localhost', '[::1]:8080', 'a-b.c'])('echoes the host %s', (host) => {
    expect(contentSecurityPolicy(host)).toContain(`ws://${host} wss://${host}`);
  });

  it.each([
    undefined,
    '',
    'evil.com; script-src *',
    "evil.com 'unsafe-inline'",
    'host\r\nSet-Cookie: a=b',
    'a.com:99999999',
    '-bad.com',
  ])('does not echo an unusable Host header (%p)', (host) => {
    const policy = contentSecurityPolicy(host);
    expect(policy).toContain("connect-src 'self';");
    expect(policy).not.toContain('evil');
    expect(policy).not.toContain('\n');
  });

  it('comes with the other protective headers', () => {
    expect(securityHeaders('localhost')).toEqual(
      expect.objectContaining({
        'X-Content-Type-Options': 'nosniff',
        'X-Frame-Options': 'DENY',
        'Referrer-Policy': 'no-referrer',
      }),
    );
  });
});
