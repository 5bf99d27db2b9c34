import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makePrivateDir, makePrivateFile } from '../../keys/index.js';

const run = promisify(execFile);

/** Where a demo or test network's certificates are: one CA, one server certificate, one client certificate per state. */
export interface DemoPki {
  dir: string;
  caCert: string;
  /** The certificate nats-server and every node's gRPC server present (localhost, 127.0.0.1). */
  serverCert: string;
  serverKey: string;
  /** Client certificate of a state (NATS client TLS, a case system calling its node over gRPC). */
  clientCert(country: string): string;
  clientKey(country: string): string;
}

function layout(dir: string): DemoPki {
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: (c) => join(dir, `client-${c}.crt`),
    clientKey: (c) => join(dir, `client-${c}.key`),
  };
}

async function openssl(args: string[], cwd: string): Promise<void> {
  await run('openssl', args, { cwd });
}

/** A P-256 key and a certificate for it signed by the CA in `dir`. */
async function issue(dir: string, name: string, subject: string, ext: string): Promise<void> {
  const extFile = join(dir, `${name}.ext`);
  await writeFile(extFile, ext);
  await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
  await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '825', '-sha256', '-extfile', extFile, '-out', `${name}.crt`], dir);
  makePrivateFile(join(dir, `${name}.key`));
}

/**
 * Creates, once, a demo network CA and the certificates a local federation needs (keys
 * 0600 in a 0700 folder), with Debian's `openssl`: node:crypto signs and verifies but cannot
 * issue X.509 certificates, and openssl is on every machine that has nats-server. Kept for
 * the next start; never for production (the CA key sits next to the certificates).
 */
export async function ensureDemoPki(dir: string, countries: readonly string[]): Promise<DemoPki> {
  const pki = layout(dir);
  makePrivateDir(dir);
  if (!existsSync(pki.caCert)) {
    await openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
        '-days',
        '3650',
        '-subj',
        '/O=Enlace demo/CN=Enlace demo network CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      dir,
    );
    makePrivateFile(join(dir, 'ca.key'));
  }
  if (!existsSync(pki.serverCert)) {
    await issue(
      dir,
      'server',
      '/O=Enlace demo/CN=localhost',
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n',
    );
  }
  for (const c of countries) {
    if (!existsSync(pki.clientCert(c))) await issue(dir, `client-${c}`, `/O=Enlace demo/CN=${c}`, 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  }
  return pki;
}
