/** Reading `HOST:PORT` (IPv6 in brackets: `[::1]:5030`) for `--to`. */
import type { PotAddress } from '../client/exchange';

/** The address, or a one-line message saying what is wrong with the text. */
export function parseHostPort(raw: string): PotAddress | string {
	const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d+)$/.exec(raw.trim());
	if (!match) return `must be HOST:PORT such as 127.0.0.1:5030 (IPv6 as [::1]:5030), not "${raw}"`;
	const port = Number(match[3]);
	if (port < 1 || port > 65535) return `port must be from 1 to 65535, not ${match[3]}`;
	return { host: match[1] ?? match[2], port };
}
