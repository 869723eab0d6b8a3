import { devLogLevel, readyLine } from '../../scripts/dev-terminal';

describe('what `npm run dev` shows at the terminal', () => {
  test('when the system is up with the trial administrator, then one plain line names the four apps and the login', () => {
    const line = readyLine(3000, { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin-dev-password' });
    expect(line).toBe('SIPAS is up at http://localhost:3000 — /app/ /supervisor/ /analyst/ /admin/; admin: admin / admin-dev-password (demo data: npm run demo:seed)');
    expect(line).not.toContain('\n');
    expect(() => JSON.parse(line) as unknown).toThrow();
  });

  test('when the administrator has a password of its own, then the line does not print it', () => {
    const line = readyLine(8080, { ADMIN_USERNAME: 'hq-admin', ADMIN_PASSWORD: 'a-secret-of-their-own' });
    expect(line).toContain('http://localhost:8080');
    expect(line).toContain('admin: hq-admin (');
    expect(line).not.toContain('a-secret-of-their-own');
    expect(readyLine(3000, {})).toContain('no administrator configured');
  });

  test('when LOG_LEVEL is not set, then per-request logs (info) stay out of the terminal; LOG_LEVEL overrides', () => {
    expect(devLogLevel({})).toBe('warn');
    expect(devLogLevel({ LOG_LEVEL: 'debug' })).toBe('debug');
  });
});
