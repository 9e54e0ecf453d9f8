/** Small helpers for ports the relay picks for itself. */
import net from 'node:net';

/** A loopback port that was free a moment ago (the OS picks it). */
export function freeLoopbackPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** How a URL writes a host: IPv6 literals in brackets, wildcards as loopback. */
export function urlHost(host: string): string {
	if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
	return host.includes(':') ? `[${host}]` : host;
}
