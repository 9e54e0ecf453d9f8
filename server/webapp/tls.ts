/**
 * Certificates for `--https`: either one generated at start by the
 * `selfsigned` package (valid for localhost, 127.0.0.1 and ::1), or the
 * lab's own pair made with openssl (`--cert`, `--key`). Either way the
 * SHA-256 fingerprint is printed so students can compare it with what the
 * browser shows.
 */

import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { generate } from 'selfsigned';

export interface TlsMaterial {
	cert: string;
	key: string;
	/** `AA:BB:...`, SHA-256 of the DER certificate. */
	fingerprint256: string;
	subject: string;
}

export class CertificateError extends Error {}

export async function generateCertificate(): Promise<TlsMaterial> {
	const notBeforeDate = new Date(Date.now() - 60_000);
	const notAfterDate = new Date(notBeforeDate.getTime() + 30 * 24 * 3600 * 1000);
	const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
		keyType: 'rsa',
		keySize: 2048,
		algorithm: 'sha256',
		notBeforeDate,
		notAfterDate,
		extensions: [
			{ name: 'basicConstraints', cA: false },
			{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
			{ name: 'extKeyUsage', serverAuth: true },
			{
				name: 'subjectAltName',
				altNames: [
					{ type: 2, value: 'localhost' },
					{ type: 7, ip: '127.0.0.1' },
					{ type: 7, ip: '::1' }
				]
			}
		]
	});
	return describe(pems.cert, pems.private, 'generated');
}

function readPem(file: string, flag: string, what: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw new CertificateError(`the ${what} file ${file} (${flag}) does not exist; make one with openssl req -x509 (see docs/webapp.md)`);
		if (code === 'EACCES') throw new CertificateError(`the ${what} file ${file} (${flag}) cannot be read: permission denied`);
		if (code === 'EISDIR') throw new CertificateError(`${file} (${flag}) is a folder, not a ${what} file`);
		throw new CertificateError(`the ${what} file ${file} (${flag}) cannot be read (${code ?? 'unknown error'})`);
	}
}

function describe(cert: string, key: string, source: string): TlsMaterial {
	const x509 = new X509Certificate(cert);
	return { cert, key, fingerprint256: x509.fingerprint256, subject: `${x509.subject.replace(/\n/g, ', ')} (${source})` };
}

export function certificateFromFiles(certFile: string, keyFile: string): TlsMaterial {
	const cert = readPem(certFile, '--cert', 'certificate');
	const key = readPem(keyFile, '--key', 'private key');
	let x509: X509Certificate;
	try {
		x509 = new X509Certificate(cert);
	} catch {
		throw new CertificateError(`${certFile} (--cert) is not a PEM certificate (it should start with -----BEGIN CERTIFICATE-----)`);
	}
	let privateKey;
	try {
		privateKey = createPrivateKey(key);
	} catch {
		throw new CertificateError(`${keyFile} (--key) is not an unencrypted PEM private key (make it with openssl req -x509 -nodes or -noenc)`);
	}
	if (!x509.checkPrivateKey(privateKey)) throw new CertificateError(`the key ${keyFile} (--key) does not belong to the certificate ${certFile} (--cert)`);
	try {
		tls.createSecureContext({ cert, key });
	} catch (e) {
		throw new CertificateError(`TLS cannot use ${certFile} with ${keyFile}: ${(e as Error).message}`);
	}
	return describe(cert, key, certFile);
}
