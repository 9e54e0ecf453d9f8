/** Reads a capture file of either format, or says why the bytes are not one. */

import { isPcap, readPcap } from './pcap';
import { isPcapng, readPcapng } from './pcapng';
import { CaptureError, type CaptureFile } from './types';

function hex(bytes: Uint8Array): string {
	return Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

export function readCapture(bytes: Uint8Array): CaptureFile {
	if (isPcapng(bytes)) return readPcapng(bytes);
	if (isPcap(bytes)) return readPcap(bytes);
	const error =
		bytes.length < 4
			? new CaptureError('CAPTURE_ERR_NOT_A_CAPTURE', `not a capture file: only ${bytes.length} bytes long`, 0)
			: new CaptureError(
					'CAPTURE_ERR_NOT_A_CAPTURE',
					`not a capture file: it starts with ${hex(bytes)}, but pcapng starts with 0a 0d 0d 0a and pcap with a1 b2 c3 d4 (or d4 c3 b2 a1)`,
					0
				);
	return { format: 'pcapng', littleEndian: true, interfaces: [], sections: [], packets: [], error };
}
