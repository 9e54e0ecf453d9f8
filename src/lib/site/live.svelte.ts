/**
 * The live traffic the relay's taps see, analysed in the page with the same
 * engine that reads capture files, so frame numbers match the capture the
 * relay offers for download. Updates are batched to one per animation frame.
 */

import { TrafficAnalyzer } from '$lib/protocol/analysis/live';
import type { CaptureAnalysis } from '$lib/protocol/analysis/model';
import type { TrafficEventMessage } from '$lib/relay-protocol';
import { DEFAULT_PORTS, type LabPorts, type TrafficSource } from './source';
import { decodeTrafficEvent } from './wire';

const schedule: (fn: () => void) => void =
	typeof requestAnimationFrame === 'function' ? (fn) => requestAnimationFrame(() => fn()) : (fn) => setTimeout(fn, 16);

export class LiveTraffic implements TrafficSource {
	readonly kind = 'live';
	readonly name = 'live traffic';
	version = $state(0);
	ports = $state<LabPorts>(DEFAULT_PORTS);
	note = $state<string | null>(null);
	/** Set when the analysis threw: the view stops growing and says so. */
	failed = $state<string | null>(null);

	private analyzer = new TrafficAnalyzer();
	private labels: (string | undefined)[] = [];
	private missing = 0;
	private pending = false;

	get analysis(): CaptureAnalysis {
		return this.analyzer.snapshot();
	}

	label(stream: number): string | undefined {
		return this.labels[stream];
	}

	/** A new relay session: start over. */
	reset(ports: LabPorts): void {
		this.analyzer = new TrafficAnalyzer();
		this.labels = [];
		this.missing = 0;
		this.failed = null;
		this.note = null;
		this.ports = ports;
		this.version++;
	}

	push(message: TrafficEventMessage): void {
		if (this.failed) return;
		const { event, missing } = decodeTrafficEvent(message);
		// Stream n is the n-th connection opened, as the engine numbers them.
		if (event.type === 'open') this.labels.push(event.label);
		if (missing > 0) {
			this.missing += missing;
			this.note = `${this.missing} bytes of long messages were not sent to the page (shown as zeros); the downloaded capture has them all.`;
		}
		try {
			this.analyzer.push(event);
		} catch (error) {
			this.failed = `The live analysis stopped: ${(error as Error).message}. Download the capture to see the rest.`;
		}
		this.bump();
	}

	private bump(): void {
		if (this.pending) return;
		this.pending = true;
		schedule(() => {
			this.pending = false;
			this.version++;
		});
	}
}
