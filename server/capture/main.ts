/**
 * The capture CLI:
 *
 *   npm run capture -- FILE [--frame N] [--json] [--filter EXPR]
 *
 * Lists every frame of a pcap or pcapng file (or one frame in full with
 * --frame), with HTTP, HTCPCP and TLS reassembled from the TCP streams.
 * Every user error is one line on stderr and a non-zero exit.
 */

import { readFileSync, statSync } from 'node:fs';
import { readCapture } from '../../src/lib/protocol/capture/read';
import { analyzeCapture } from '../../src/lib/protocol/analysis/frames';
import { frameDetail } from '../../src/lib/protocol/analysis/detail';
import { FilterError, parseFilter } from '../../src/lib/protocol/analysis/filter';
import { analysisJson, detailLines, frameList } from './format';
import { knowledgeAnnotator } from '../../src/lib/protocol/analysis/annotator';

const USAGE = 'usage: npm run capture -- FILE [--frame N] [--json] [--filter EXPR]';

class UsageError extends Error {
	constructor(
		message: string,
		readonly exitCode = 2
	) {
		super(message);
	}
}

interface Args {
	file: string;
	frame?: number;
	json: boolean;
	filter?: string;
}

function parseArgs(argv: string[]): Args {
	let file: string | undefined;
	let frame: number | undefined;
	let json = false;
	let filter: string | undefined;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--json') json = true;
		else if (a === '--frame' || a.startsWith('--frame=')) {
			const v = a.includes('=') ? a.slice(8) : argv[++i];
			if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1) {
				throw new UsageError(`--frame needs a frame number (1 or more), got ${v === undefined ? 'nothing' : `"${v}"`}`);
			}
			frame = Number(v);
		} else if (a === '--filter' || a.startsWith('--filter=')) {
			const v = a.includes('=') ? a.slice(9) : argv[++i];
			if (v === undefined || v.trim() === '') throw new UsageError('--filter needs an expression, e.g. --filter "htcpcp or tcp.port == 5031"');
			filter = v;
		} else if (a === '-h' || a === '--help') {
			throw new UsageError(USAGE, 0);
		} else if (a.startsWith('-') && a !== '-') {
			throw new UsageError(`unknown option ${a}; ${USAGE}`);
		} else if (file === undefined) file = a;
		else throw new UsageError(`only one capture file at a time (got "${file}" and "${a}")`);
	}
	if (file === undefined) throw new UsageError(`no capture file given; ${USAGE}`);
	return { file, frame, json, filter };
}

function readInput(file: string): Uint8Array {
	try {
		if (statSync(file).isDirectory()) throw new UsageError(`${file} is a directory, not a capture file`, 1);
		return new Uint8Array(readFileSync(file));
	} catch (e) {
		if (e instanceof UsageError) throw e;
		const code = (e as NodeJS.ErrnoException).code;
		const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
		throw new UsageError(`cannot read ${file}: ${why}`, 1);
	}
}

function run(argv: string[]): number {
	const args = parseArgs(argv);
	let match: ReturnType<typeof parseFilter> | undefined;
	if (args.filter !== undefined) {
		try {
			match = parseFilter(args.filter);
		} catch (e) {
			if (e instanceof FilterError) throw new UsageError(`bad --filter at character ${e.position + 1}: ${e.message}`);
			throw e;
		}
	}
	const capture = readCapture(readInput(args.file));
	const analysis = analyzeCapture(capture);
	const damage = capture.error ? `${args.file}: ${capture.error.message} (at byte ${capture.error.offset})` : undefined;
	if (args.frame !== undefined) {
		const detail = frameDetail(analysis, args.frame, knowledgeAnnotator);
		if (!detail) {
			throw new UsageError(`frame ${args.frame} does not exist: ${args.file} has ${analysis.frames.length} frame${analysis.frames.length === 1 ? '' : 's'}${damage ? ' before the damage' : ''}`, 1);
		}
		if (args.json) process.stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
		else process.stdout.write(`${detailLines(detail).join('\n')}\n`);
	} else {
		const frames = match ? analysis.frames.filter((fr) => (match as ReturnType<typeof parseFilter>)(fr, analysis)) : analysis.frames;
		if (args.json) {
			process.stdout.write(`${JSON.stringify(analysisJson(args.file, capture.format, analysis, frames, capture.error), null, 2)}\n`);
		} else if (frames.length > 0) {
			process.stdout.write(`${frameList(frames, analysis.frames.length).join('\n')}\n`);
		}
	}
	if (damage) {
		process.stderr.write(`error: ${damage}\n`);
		return 1;
	}
	return 0;
}

try {
	process.exitCode = run(process.argv.slice(2));
} catch (e) {
	if (e instanceof UsageError) {
		(e.exitCode === 0 ? process.stdout : process.stderr).write(`${e.exitCode === 0 ? '' : 'error: '}${e.message}\n`);
		process.exitCode = e.exitCode;
	} else {
		process.stderr.write(`error: internal failure: ${(e as Error).message}\n`);
		process.exitCode = 70;
	}
}
