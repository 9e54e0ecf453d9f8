// Replays every markdown fixture in ./fixtures through the parser: as one
// chunk, split in two at every index, and one byte at a time. All three must
// give the log written in the fixture, and the same messages to the byte.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFixtureFile, replay, type FixtureCase } from './fixtures/format';

const dir = new URL('./fixtures/', import.meta.url);
const files = readdirSync(dir)
	.filter((f) => f.endsWith('.md') && f !== 'README.md')
	.sort();

function load(file: string): FixtureCase[] {
	return parseFixtureFile(file, readFileSync(new URL(file, dir), 'utf8'));
}

describe('parser fixtures', () => {
	it('finds the fixture files', () => {
		expect(files).toEqual(expect.arrayContaining(['capture.md', 'errors.md', 'framing.md', 'leniency.md']));
	});

	for (const file of files) {
		describe(file, () => {
			for (const fixture of load(file)) {
				it(fixture.title, () => {
					const where = `${file}:${fixture.line}`;
					const bytes = fixture.bytes;
					const whole = replay(fixture, [bytes]);
					expect(whole.log, `${where} as one chunk`).toEqual(fixture.expected);

					for (let cut = 0; cut <= bytes.length; cut++) {
						const split = replay(fixture, [bytes.subarray(0, cut), bytes.subarray(cut)]);
						if (split.log.join('\n') !== whole.log.join('\n')) {
							expect(split.log, `${where} split at byte ${cut}`).toEqual(whole.log);
						}
					}

					const single: Uint8Array[] = [];
					for (let i = 0; i < bytes.length; i++) single.push(bytes.subarray(i, i + 1));
					const byByte = replay(fixture, single);
					expect(byByte.log, `${where} one byte at a time`).toEqual(whole.log);
					// The logs show long bodies only in part; compare every body in full.
					expect(byByte.messages.map((m) => Array.from(m.body))).toEqual(whole.messages.map((m) => Array.from(m.body)));
				});
			}
		});
	}
});
