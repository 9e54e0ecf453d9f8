/**
 * TLS as a capture shows it (RFC 8446): record content types (§5.1),
 * handshake message types (§4), the server name in a ClientHello (RFC 6066 §3),
 * and why the application data cannot be read (§5.2, with keys from §7.1).
 */

import type { Annotation } from './types';

const RECORDS: Readonly<Record<number, Annotation>> = {
	20: {
		meaning: 'change_cipher_spec: a compatibility placeholder',
		explanation: 'In TLS 1.2 it announced "from now on I encrypt". TLS 1.3 no longer needs it but still sends one meaningless byte so old middleboxes that expect it do not drop the connection.',
		rfc: 'RFC 8446 §5.1'
	},
	21: {
		meaning: 'alert: a warning or error, or the end of the connection',
		explanation: 'Alerts report problems (bad certificate, decryption failure) or announce a clean close (close_notify). After the handshake they are encrypted like everything else, so a capture cannot tell which alert it was. A browser that rejects a self-signed certificate may send a certificate alert here.',
		rfc: 'RFC 8446 §6'
	},
	22: {
		meaning: 'handshake: negotiating versions, keys and certificates',
		explanation: 'The handshake agrees on the TLS version and cipher, exchanges key shares and proves the server\'s identity with its certificate. In TLS 1.3 only the ClientHello and ServerHello travel in the clear; the rest of the handshake is already encrypted.',
		rfc: 'RFC 8446 §4'
	},
	23: {
		meaning: 'application_data: encrypted content (here, the HTTP messages)',
		explanation: 'The HTTP requests and responses travel inside these records. Only the record header (type, version, length) is readable; the length even gives away roughly how big each message is. In TLS 1.3 every encrypted record is labelled application_data, and the real type is hidden inside.',
		rfc: 'RFC 8446 §5.2'
	},
	24: {
		meaning: 'heartbeat: a keep-alive probe (TLS 1.2 extension)',
		explanation: 'Checks that the peer is still there; famous for the Heartbleed bug. Not used with TLS 1.3.',
		rfc: 'RFC 6520 §3'
	}
};

const HANDSHAKES: Readonly<Record<number, Annotation>> = {
	0: { meaning: 'hello_request (TLS 1.2 only)', explanation: 'The server asks the client to start a new handshake. TLS 1.3 removed it.', rfc: 'RFC 5246 §7.4.1.1' },
	1: {
		meaning: 'ClientHello: the browser opens the TLS handshake',
		explanation: 'Sent in the clear: the versions and ciphers the client supports, a random value, its key share for the (EC)DHE exchange, and extensions such as server_name (which site it wants) and ALPN (which protocol, e.g. http/1.1). Everything after the ServerHello is encrypted.',
		rfc: 'RFC 8446 §4.1.2'
	},
	2: {
		meaning: 'ServerHello: the server picks the version, cipher and its key share',
		explanation: 'With both key shares each side can compute the same secret; from here on the handshake is encrypted. The server\'s key share and random are visible, but the secret derived from them is not.',
		rfc: 'RFC 8446 §4.1.3'
	},
	4: { meaning: 'NewSessionTicket: a ticket to resume this session later', explanation: 'Sent by the server after the handshake, encrypted; it lets the client reconnect faster next time.', rfc: 'RFC 8446 §4.6.1' },
	5: { meaning: 'EndOfEarlyData: the client finished sending 0-RTT data', explanation: 'Only in resumed connections that sent data before the handshake completed.', rfc: 'RFC 8446 §4.5' },
	8: { meaning: 'EncryptedExtensions: the server\'s remaining, encrypted choices', explanation: 'Extensions that need not be in the ServerHello, such as the chosen ALPN protocol, sent already encrypted.', rfc: 'RFC 8446 §4.3.1' },
	11: {
		meaning: 'Certificate: the server\'s certificate chain',
		explanation: 'Proves which names the server may speak for. The lab\'s web app with -https sends a self-signed certificate, which no authority vouches for, so the browser warns that it cannot prove the server is 127.0.0.1. In TLS 1.3 this message is encrypted.',
		rfc: 'RFC 8446 §4.4.2'
	},
	12: { meaning: 'ServerKeyExchange (TLS 1.2 only)', explanation: 'The server\'s (EC)DHE key share, signed with its certificate key. TLS 1.3 moved the key share into the ServerHello.', rfc: 'RFC 5246 §7.4.3' },
	13: { meaning: 'CertificateRequest: the server asks for a client certificate', explanation: 'Used for mutual TLS; browsers rarely see it.', rfc: 'RFC 8446 §4.3.2' },
	14: { meaning: 'ServerHelloDone (TLS 1.2 only)', explanation: 'Marks the end of the server\'s first flight in TLS 1.2.', rfc: 'RFC 5246 §7.4.5' },
	15: { meaning: 'CertificateVerify: proof the server holds the certificate\'s private key', explanation: 'A signature over the handshake so far. Anyone can copy a certificate; only its owner can make this signature.', rfc: 'RFC 8446 §4.4.3' },
	16: { meaning: 'ClientKeyExchange (TLS 1.2 only)', explanation: 'The client\'s key share in TLS 1.2.', rfc: 'RFC 5246 §7.4.7' },
	20: { meaning: 'Finished: a checksum of the whole handshake, keyed with the new secrets', explanation: 'Each side proves it saw the same handshake and derived the same keys; tampering with any earlier message makes it fail.', rfc: 'RFC 8446 §4.4.4' },
	24: { meaning: 'KeyUpdate: switch to fresh traffic keys', explanation: 'Long connections rotate keys without a new handshake.', rfc: 'RFC 8446 §4.6.3' }
};

/** What a TLS record's content type means, or undefined for an unknown type. */
export function annotateTlsRecord(contentType: number): Annotation | undefined {
	return Object.hasOwn(RECORDS, contentType) ? RECORDS[contentType] : undefined;
}

/** What a TLS handshake message type means, or undefined for an unknown type. */
export function annotateTlsHandshake(type: number): Annotation | undefined {
	return Object.hasOwn(HANDSHAKES, type) ? HANDSHAKES[type] : undefined;
}

/** The server name a ClientHello asks for. */
export function annotateSni(name: string): Annotation {
	const ip = /^[\d.]+$/.test(name) || name.includes(':');
	return {
		meaning: `the browser asks for the site "${name}"`,
		explanation: `Server Name Indication travels unencrypted in the ClientHello so that one server address can pick the right certificate for each site. It means an observer can see which site is visited even though not what is said.${ip ? ' A literal IP address is not allowed here, so a browser visiting https://127.0.0.1 sends no server name at all.' : ''}`,
		rfc: 'RFC 6066 §3'
	};
}

/** Why the tap sees only ciphertext between the browser and the web app under HTTPS. */
export const TLS_UNREADABLE: Annotation = Object.freeze({
	meaning: 'encrypted: the HTTP inside cannot be read from a capture',
	explanation:
		'The browser and the web app each contribute an ephemeral (EC)DHE key share in the handshake and each compute the same secret from the other\'s public share and their own private one. The private parts never cross the wire, so a capture has only public values, from which the secret cannot be computed, and the records are sealed with keys derived from that secret. Without those keys the tap sees only ciphertext and record lengths. Only the browser-to-web-app hop is encrypted: the web app still talks to the pot in plain HTCPCP on port 5030, so the coffee commands remain readable on that hop.',
	rfc: 'RFC 8446 §5.2'
});
