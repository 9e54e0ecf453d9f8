/**
 * `npm run htcpcp -- METHOD URI [-H 'Header: v']... [-d BODY] [--to HOST:PORT] [--raw]`
 *
 * The curl of HTCPCP: sends one request to the pot over a new TCP connection
 * and prints the request it sent, a blank line, and the response it got.
 * Exit status: 0 for a 2xx response, 1 for any other status, 2 for a usage
 * error, 3 when the pot could not be reached or did not answer properly.
 */

import { parseArgs } from 'node:util';
import { COFFEE_COMMAND_TYPE, POT_PORT, hasScheme, text, type Header } from '../../src/lib/protocol/index';
import { ExchangeError, exchange, type PotAddress } from './exchange';

const USAGE = `Usage: npm run htcpcp -- METHOD URI [-H 'Header: value']... [-d BODY] [--to HOST:PORT] [--raw]

  METHOD            BREW, POST, GET, PROPFIND, WHEN (anything else is sent as is)
  URI               the coffee URI, e.g. coffee://ducky or coffee://ducky/pot-1/darjeeling
  -H, --header      add a header (repeatable); 'Content-Type:' with no value drops the default
  -d, --data BODY   send BODY (start or stop for BREW) with a Content-Length
  --to HOST:PORT    where the pot listens (default 127.0.0.1:${POT_PORT})
  --raw             print the exact bytes sent and received
  --timeout MS      give up after MS milliseconds without a response (default 5000)
  --help            show this help

Adds Content-Type: ${COFFEE_COMMAND_TYPE} unless a Content-Type header is given.
Exit status: 0 for 2xx, 1 for other statuses, 2 for usage errors, 3 for connection errors.`;

function usageError(message: string): never {
	process.stderr.write(`htcpcp: ${message} (see --help)\n`);
	process.exit(2);
}

function parseAddress(value: string): PotAddress {
	const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
	const port = m ? Number(m[3]) : NaN;
	if (!m || port < 1 || port > 65535) usageError(`--to "${value}" is not HOST:PORT, e.g. --to 127.0.0.1:${POT_PORT}`);
	return { host: m[1] ?? m[2], port };
}

function parseHeader(value: string): Header {
	const colon = value.indexOf(':');
	const name = colon > 0 ? value.slice(0, colon).trim() : '';
	if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) usageError(`-H "${value}" is not "Name: value"`);
	// eslint-disable-next-line no-control-regex
	if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) usageError(`-H "${name}" has a control character in its value`);
	return { name, value: value.slice(colon + 1).trim() };
}

/** Shows protocol bytes as text lines (CRLF as line breaks). */
function readable(bytes: Uint8Array): string {
	const shown = text(bytes).replace(/\r\n/g, '\n');
	return shown.endsWith('\n') ? shown : shown + '\n';
}

async function main(): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({
			options: {
				header: { type: 'string', short: 'H', multiple: true },
				data: { type: 'string', short: 'd' },
				to: { type: 'string' },
				raw: { type: 'boolean' },
				timeout: { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			},
			allowPositionals: true,
			strict: true
		});
	} catch (e) {
		usageError((e as Error).message.split('\n')[0]);
	}
	const { values, positionals } = parsed;
	if (values.help) {
		process.stdout.write(USAGE + '\n');
		return 0;
	}
	if (positionals.length !== 2) usageError(`expected METHOD and URI, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}`);
	const [method, target] = positionals;
	if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method)) usageError(`"${method}" is not a method name`);
	// eslint-disable-next-line no-control-regex
	if (!hasScheme(target) || /[\x00-\x20\x7f]/.test(target)) usageError(`"${target}" is not a URI; write it like coffee://ducky`);
	const to = parseAddress(values.to ?? `127.0.0.1:${POT_PORT}`);
	const timeoutMs = values.timeout === undefined ? 5000 : Number(values.timeout);
	if (!Number.isInteger(timeoutMs) || timeoutMs < 1) usageError(`--timeout must be a whole number of milliseconds`);

	const given = (values.header ?? []).map(parseHeader);
	const hasType = given.some((h) => h.name.toLowerCase() === 'content-type');
	const headers = [
		...(hasType ? [] : [{ name: 'Content-Type', value: COFFEE_COMMAND_TYPE }]),
		...given.filter((h) => !(h.name.toLowerCase() === 'content-type' && h.value === ''))
	];

	try {
		const result = await exchange(to, { method, target, headers, body: values.data }, { timeoutMs });
		if (values.raw) {
			process.stdout.write(result.requestBytes);
			process.stdout.write('\n');
			process.stdout.write(result.responseBytes);
		} else {
			process.stdout.write(readable(result.requestBytes).replace(/\n+$/, '\n') + '\n' + readable(result.responseBytes));
		}
		const status = result.response.status ?? 0;
		return status >= 200 && status < 300 ? 0 : 1;
	} catch (e) {
		if (e instanceof ExchangeError) {
			const hint = e.kind === 'unreachable' ? `; is the pot running? (npm run pot, or --to HOST:PORT)` : '';
			process.stderr.write(`htcpcp: ${e.message}${hint}\n`);
			return 3;
		}
		throw e;
	}
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(e: unknown) => {
		process.stderr.write(`htcpcp: unexpected failure: ${(e as Error).message}\n`);
		process.exitCode = 3;
	}
);
