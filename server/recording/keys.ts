/**
 * The tutor's signing key pair for recordings: Ed25519 from node:crypto,
 * created on first run under the data directory and reused afterwards.
 *
 *   <data>/keys/recording-key.pem       private key, PKCS#8 PEM, mode 0600
 *   <data>/keys/recording-key.pub.pem   public key, SPKI PEM, mode 0644
 *
 * A class pins its tutors' public keys (`--keys`) so that a recording signed
 * by any other key is rejected; see docs/recording.md for what that proves.
 */

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_KEY_FILE = 'recording-key.pem';
export const PUBLIC_KEY_FILE = 'recording-key.pub.pem';

export interface RecordingKeys {
	privateKey: KeyObject;
	publicKey: KeyObject;
	/** SPKI PEM text of the public key, as stored in each recording's meta record. */
	publicKeyPem: string;
	/** SHA-256 of the public key's DER (SPKI) bytes, hex. */
	fingerprint: string;
	/** Where the keys live. */
	dir: string;
}

export function fingerprintOf(publicKey: KeyObject): string {
	const der = publicKey.export({ type: 'spki', format: 'der' });
	return createHash('sha256').update(der).digest('hex');
}

/** The first 16 hex digits, grouped, for showing to people. */
export function shortFingerprint(fingerprint: string): string {
	return (fingerprint.slice(0, 16).match(/.{4}/g) ?? []).join(':');
}

function keysFromPrivatePem(pem: string, dir: string): RecordingKeys {
	const privateKey = createPrivateKey(pem);
	if (privateKey.asymmetricKeyType !== 'ed25519') {
		throw new Error(`the recording key in ${dir} is ${privateKey.asymmetricKeyType}, not ed25519`);
	}
	const publicKey = createPublicKey(privateKey);
	const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
	return { privateKey, publicKey, publicKeyPem, fingerprint: fingerprintOf(publicKey), dir };
}

/** A fresh key pair that lives only in memory (tests, throwaway sessions). */
export function generateRecordingKeys(): RecordingKeys {
	const { privateKey } = generateKeyPairSync('ed25519');
	return keysFromPrivatePem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), '(memory)');
}

/**
 * Load the key pair under `<dataDir>/keys`, creating it on first run. The
 * private key is written to a temporary file with mode 0600 and linked into
 * place, so two tutors starting at once end up sharing one key, never a
 * half-written file.
 */
export function loadOrCreateKeys(dataDir: string): RecordingKeys {
	const dir = path.join(dataDir, 'keys');
	const privatePath = path.join(dir, PRIVATE_KEY_FILE);
	const publicPath = path.join(dir, PUBLIC_KEY_FILE);
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });

	if (!fs.existsSync(privatePath)) {
		const { privateKey } = generateKeyPairSync('ed25519');
		const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
		const temp = `${privatePath}.${process.pid}.tmp`;
		fs.writeFileSync(temp, pem, { mode: 0o600, flag: 'wx' });
		try {
			fs.linkSync(temp, privatePath);
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		} finally {
			fs.rmSync(temp, { force: true });
		}
	}
	// Tighten permissions a copy or an unpacked archive may have loosened.
	if ((fs.statSync(privatePath).mode & 0o077) !== 0) fs.chmodSync(privatePath, 0o600);

	const keys = keysFromPrivatePem(fs.readFileSync(privatePath, 'utf8'), dir);
	let storedPublic: string | undefined;
	try {
		storedPublic = fs.readFileSync(publicPath, 'utf8');
	} catch {
		storedPublic = undefined;
	}
	if (storedPublic !== keys.publicKeyPem) fs.writeFileSync(publicPath, keys.publicKeyPem, { mode: 0o644 });
	return keys;
}

/**
 * Fingerprints of trusted keys from PEM text, fingerprints (64 hex digits,
 * colons allowed) or KeyObjects.
 */
export function trustedFingerprints(keys: ReadonlyArray<string | KeyObject>): Set<string> {
	const out = new Set<string>();
	for (const key of keys) {
		if (typeof key !== 'string') {
			out.add(fingerprintOf(key));
			continue;
		}
		const trimmed = key.trim();
		const hex = trimmed.replace(/^sha256:/i, '').replace(/:/g, '').toLowerCase();
		if (/^[0-9a-f]{64}$/.test(hex)) out.add(hex);
		else out.add(fingerprintOf(createPublicKey(trimmed)));
	}
	return out;
}

/**
 * Read pinned keys from files or directories: every `*.pem` file (one public
 * key each) and every other file as lines of fingerprints (`#` comments allowed).
 * Throws an Error with a one-line message naming the bad file.
 */
export function readTrustedKeys(paths: readonly string[]): Set<string> {
	const out = new Set<string>();
	const readOne = (file: string) => {
		const content = fs.readFileSync(file, 'utf8');
		try {
			if (/-----BEGIN [A-Z ]*KEY-----/.test(content)) {
				for (const fp of trustedFingerprints([content])) out.add(fp);
				return;
			}
			const lines = content
				.split('\n')
				.map((l) => l.replace(/#.*/, '').trim())
				.filter((l) => l !== '');
			for (const fp of trustedFingerprints(lines)) out.add(fp);
		} catch {
			throw new Error(`${file} holds neither a PEM public key nor SHA-256 key fingerprints (64 hex digits per line)`);
		}
	};
	for (const p of paths) {
		const stat = fs.statSync(p);
		if (stat.isDirectory()) {
			for (const name of fs.readdirSync(p).sort()) {
				const file = path.join(p, name);
				if (fs.statSync(file).isFile() && !name.endsWith('.pem.tmp') && name !== PRIVATE_KEY_FILE) readOne(file);
			}
		} else readOne(p);
	}
	return out;
}
