/**
 * Test helper: runs tshark (with or without the HTCPCP Lua plugin) and reads
 * its `-T fields` output into one row per frame.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/process';

export const TSHARK = '/usr/bin/tshark';
export const TEXT2PCAP = '/usr/bin/text2pcap';
export const MERGECAP = '/usr/bin/mergecap';
export const PLUGIN = path.join(ROOT, 'static/htcpcp.lua');
export const COURSE_CAPTURE = path.resolve(ROOT, '../shared/captures/homepage_coffee.pcapng');

/** Why the dissector tests cannot run here, or null when they can. */
export function skipReason(): string | null {
	for (const tool of [TSHARK, TEXT2PCAP, MERGECAP]) {
		if (!existsSync(tool)) return `${tool} is not installed (apt-get install tshark)`;
	}
	const version = execFileSync(TSHARK, ['-v'], { encoding: 'utf8' });
	if (!/with Lua/.test(version)) return `${TSHARK} was built without Lua, so it cannot load static/htcpcp.lua`;
	return null;
}

export interface Run {
	code: number;
	stdout: string;
	/** stderr without tshark's warning about running as root. */
	stderr: string;
}

export function run(command: string, args: string[]): Promise<Run> {
	return new Promise((resolve, reject) => {
		execFile(command, args, { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
			if (error && typeof error.code !== 'number') {
				reject(error);
				return;
			}
			const cleaned = stderr
				.split('\n')
				.filter((line) => line.trim() !== '' && !/^Running as user "root"/.test(line))
				.join('\n');
			resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr: cleaned });
		});
	});
}

/** Fields every dissection reads; a frame's value is the list of its occurrences. */
export const FIELDS = [
	'frame.number',
	'tcp.srcport',
	'tcp.dstport',
	'tcp.stream',
	'tcp.len',
	'_ws.col.Protocol',
	'_ws.col.Info',
	'_ws.expert.message',
	'htcpcp.request',
	'htcpcp.response',
	'htcpcp.method',
	'htcpcp.uri',
	'htcpcp.scheme',
	'htcpcp.scheme_language',
	'htcpcp.host',
	'htcpcp.pot',
	'htcpcp.version',
	'htcpcp.status',
	'htcpcp.reason',
	'htcpcp.header',
	'htcpcp.content_type',
	'htcpcp.content_length',
	'htcpcp.accept_additions',
	'htcpcp.use_pot',
	'htcpcp.body'
] as const;

export type Field = (typeof FIELDS)[number];
export type Row = Record<Field, string[]>;

// Occurrences of a field are joined with this control character (one byte:
// tshark keeps only the first byte of the aggregator).
const AGGREGATOR = '\x1f';

export interface Dissection {
	run: Run;
	/** Rows by frame number. */
	frames: Map<number, Row>;
}

/** Undoes the escaping `-T fields` applies to string values. */
function unescape(value: string): string {
	return value.replace(/\\([\\nrt])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', '\\': '\\' })[c] as string);
}

/** Runs tshark over `file` and returns one row per displayed frame. */
export async function dissect(
	file: string,
	options: { plugin: boolean; filter?: string; decodeAs?: string[] }
): Promise<Dissection> {
	const args = ['-r', file, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', `aggregator=${AGGREGATOR}`];
	if (options.plugin) args.push('-X', `lua_script:${PLUGIN}`);
	if (options.filter) args.push('-Y', options.filter);
	for (const rule of options.decodeAs ?? []) args.push('-d', rule);
	// Without the plugin, tshark refuses the htcpcp.* fields: they do not exist.
	const fields = FIELDS.filter((field) => options.plugin || !field.startsWith('htcpcp.'));
	for (const field of fields) args.push('-e', field);
	const result = await run(TSHARK, args);
	const frames = new Map<number, Row>();
	if (result.code !== 0) return { run: result, frames };
	for (const line of result.stdout.split('\n')) {
		if (line === '') continue;
		const cells = line.split('\t');
		const row = Object.fromEntries(FIELDS.map((field) => [field, [] as string[]])) as Row;
		fields.forEach((field, i) => {
			const cell = cells[i] ?? '';
			row[field] = cell === '' ? [] : cell.split(AGGREGATOR).map(unescape);
		});
		frames.set(Number(row['frame.number'][0]), row);
	}
	return { run: result, frames };
}

/** A Lua problem: a load error on stderr or a runtime error in any frame. */
export function luaProblems(d: Dissection): string[] {
	const problems: string[] = [];
	if (/lua/i.test(d.run.stderr)) problems.push(d.run.stderr);
	for (const [frame, row] of d.frames) {
		for (const message of row['_ws.expert.message']) {
			if (/Lua Error/i.test(message)) problems.push(`frame ${frame}: ${message}`);
		}
		for (const info of row['_ws.col.Info']) {
			if (/Lua Error/i.test(info)) problems.push(`frame ${frame}: ${info}`);
		}
	}
	return problems;
}
