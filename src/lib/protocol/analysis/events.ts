/**
 * Live traffic as the relay's tap sees it: one event per thing that happened
 * on a TCP connection. The wire analysis turns these into messages (the same
 * way it turns capture frames into messages), and the pcapng writer turns them
 * into a synthetic but faithful capture.
 */

export interface Endpoint {
	address: string;
	port: number;
}

/** Which side of the connection acted: the one that connected, or the one that accepted. */
export type Side = 'client' | 'server';

interface EventBase {
	/** Connection id, unique within one tap session. */
	conn: number;
	/** Wall-clock time in microseconds since the Unix epoch. */
	timeUs: number;
}

export type TrafficEvent =
	| (EventBase & {
			type: 'open';
			client: Endpoint;
			server: Endpoint;
			/** What the tap calls this hop, e.g. "browser → web app" or "web app → pot". */
			label?: string;
	  })
	/** Bytes that `from` sent, in order. */
	| (EventBase & { type: 'data'; from: Side; bytes: Uint8Array })
	/** `from` half-closed its direction (a FIN on the wire). */
	| (EventBase & { type: 'end'; from: Side })
	/** `from` reset the connection (an RST on the wire). */
	| (EventBase & { type: 'reset'; from: Side })
	/** Both directions are finished; nothing more will come on this connection. */
	| (EventBase & { type: 'close' });
