import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigurationError, type Environment } from '@einlass/config';

/** What a service needs to serve HTTPS: its certificate (with chain) and key, as PEM. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/**
 * Reads TLS_CERT_FILE and TLS_KEY_FILE when set, and checks them before the service listens: the
 * files are readable, the certificate is one (and not expired), and the key belongs to it. A
 * problem stops the start with a message naming the variable, like any bad configuration.
 */
export function loadTls(
  env: Pick<Environment, 'TLS_CERT_FILE' | 'TLS_KEY_FILE'>,
  now = new Date(),
): TlsFiles | undefined {
  if (!env.TLS_CERT_FILE || !env.TLS_KEY_FILE) return undefined;
  const read = (variable: 'TLS_CERT_FILE' | 'TLS_KEY_FILE', path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new ConfigurationError([`${variable} cannot be read: ${path} (${reason})`]);
    }
  };
  const cert = read('TLS_CERT_FILE', env.TLS_CERT_FILE);
  const key = read('TLS_KEY_FILE', env.TLS_KEY_FILE);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new ConfigurationError([`TLS_CERT_FILE is not a PEM certificate: ${env.TLS_CERT_FILE}`]);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new ConfigurationError([
      `TLS_KEY_FILE is not a PEM private key (or it is encrypted): ${env.TLS_KEY_FILE}`,
    ]);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new ConfigurationError([
      `TLS_KEY_FILE does not belong to the certificate in TLS_CERT_FILE (${env.TLS_KEY_FILE})`,
    ]);
  }
  if (new Date(certificate.validTo) < now) {
    throw new ConfigurationError([
      `TLS_CERT_FILE expired on ${new Date(certificate.validTo).toISOString().slice(0, 10)}: ${env.TLS_CERT_FILE}`,
    ]);
  }
  return { cert, key };
}
