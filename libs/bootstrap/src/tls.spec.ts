import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, parseEnvironment } from '@einlass/config';
import { loadTls } from './tls';

const SCRIPT = join(__dirname, '..', '..', '..', 'scripts', 'tls.sh');

/** HTTPS settings are checked before a service listens, with a message naming the variable. */
describe('loadTls', () => {
  const root = mkdtempSync(join(tmpdir(), 'einlass-tls-spec-'));
  const one = join(root, 'one');
  const other = join(root, 'other');
  beforeAll(() => {
    execFileSync('bash', [SCRIPT, one], { stdio: 'pipe' });
    execFileSync('bash', [SCRIPT, other], { stdio: 'pipe' });
    writeFileSync(join(root, 'garbage.pem'), 'not a certificate\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const problem = (run: () => unknown): string => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return (error as ConfigurationError).message;
    }
    throw new Error('no configuration error');
  };

  it('reads a certificate and the key that belongs to it', () => {
    const tls = loadTls({
      TLS_CERT_FILE: join(one, 'server.crt'),
      TLS_KEY_FILE: join(one, 'server.key'),
    });
    expect(tls?.cert.toString()).toContain('BEGIN CERTIFICATE');
    expect(tls?.key.toString()).toContain('PRIVATE KEY');
  });

  it('serves plain HTTP when neither is set', () => {
    expect(loadTls({})).toBeUndefined();
  });

  it.each([
    [
      'a missing file',
      () => ({ TLS_CERT_FILE: join(root, 'nope.crt'), TLS_KEY_FILE: join(one, 'server.key') }),
      /TLS_CERT_FILE cannot be read: .*nope\.crt \(ENOENT\)/,
    ],
    [
      'a file that is no certificate',
      () => ({ TLS_CERT_FILE: join(root, 'garbage.pem'), TLS_KEY_FILE: join(one, 'server.key') }),
      /TLS_CERT_FILE is not a PEM certificate/,
    ],
    [
      'a key file that is no key',
      () => ({ TLS_CERT_FILE: join(one, 'server.crt'), TLS_KEY_FILE: join(root, 'garbage.pem') }),
      /TLS_KEY_FILE is not a PEM private key/,
    ],
    [
      'the key of another certificate',
      () => ({ TLS_CERT_FILE: join(one, 'server.crt'), TLS_KEY_FILE: join(other, 'server.key') }),
      /TLS_KEY_FILE does not belong to the certificate/,
    ],
  ])('refuses %s', (_, settings, message) => {
    expect(problem(() => loadTls(settings()))).toMatch(message);
  });

  it('refuses a certificate that has expired', () => {
    const later = new Date(Date.now() + 400 * 86_400_000);
    expect(
      problem(() =>
        loadTls(
          { TLS_CERT_FILE: join(one, 'server.crt'), TLS_KEY_FILE: join(one, 'server.key') },
          later,
        ),
      ),
    ).toMatch(/TLS_CERT_FILE expired on \d{4}-\d\d-\d\d/);
  });

  it('refuses one of the two without the other', () => {
    const base = { DATABASE_URL: 'postgres://x@127.0.0.1/x', REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(problem(() => parseEnvironment({ ...base, TLS_CERT_FILE: '/x.crt' }))).toMatch(
      /TLS_CERT_FILE and TLS_KEY_FILE go together/,
    );
  });
});
