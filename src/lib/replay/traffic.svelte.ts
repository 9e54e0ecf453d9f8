/**
 * The recording's traffic as the inspector and the diagram see it, up to
 * the replay's position: events are fed to the shared TrafficAnalyzer as the
 * position passes them (frame numbers are those of the exported pcapng);
 * seeking backwards starts the analysis over. It has the shape of an opened
 * capture, so the page's shared traffic view shows it like one.
 */

import { TrafficAnalyzer } from '$lib/protocol/analysis/live';
import type { TrafficEvent } from '$lib/protocol/analysis/events';
import type { CaptureAnalysis } from '$lib/protocol/analysis/model';
import { DEFAULT_PORTS, type LabPorts } from '$lib/site/source';
import { fromWireEvent, type ReplayData } from './model';

export class ReplayTraffic {
	readonly kind = 'capture' as const;
	readonly name: string;
	readonly ports: LabPorts = DEFAULT_PORTS;
	version = $state(0);
	note = $state<string | null>(null);

	private readonly events: TrafficEvent[];
	private readonly startUs: number;
	private analyzer = new TrafficAnalyzer({ maxFrames: Infinity });
	private labels: (string | undefined)[] = [];
	/** How many events have been fed. */
	private fed = 0;

	constructor(data: ReplayData) {
		this.name = `recording ${data.name}`;
		this.startUs = data.startUs;
		this.events = data.traffic.map(fromWireEvent);
	}

	get analysis(): CaptureAnalysis {
		return this.analyzer.snapshot();
	}

	/** Frames shown so far. */
	get frames(): number {
		return this.analyzer.retainedFrames;
	}

	label(stream: number): string | undefined {
		return this.labels[stream];
	}

	/** Shows the traffic up to `ms` after the start of the recording. */
	advanceTo(ms: number): void {
		const limit = this.startUs + ms * 1000;
		if (this.fed > 0 && this.events[this.fed - 1].timeUs > limit) {
			this.analyzer = new TrafficAnalyzer({ maxFrames: Infinity });
			this.labels = [];
			this.fed = 0;
		}
		const before = this.fed;
		while (this.fed < this.events.length && this.events[this.fed].timeUs <= limit) {
			const e = this.events[this.fed++];
			if (e.type === 'open') this.labels.push(e.label);
			try {
				this.analyzer.push(e);
			} catch (error) {
				this.note = `The analysis stopped at an event it could not read: ${(error as Error).message}`;
				this.fed = this.events.length;
			}
		}
		if (this.fed !== before || before === 0) this.version++;
	}
}
