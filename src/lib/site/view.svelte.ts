/**
 * What every inspector and diagram on the page shows: the live traffic, or a
 * capture the student opened, and which frame is selected. One shared view,
 * so clicking an arrow in the diagram selects the message in the inspector.
 */

import { CaptureTraffic, openCapture } from './capture';
import { relay } from './relay.svelte';
import type { TrafficSource } from './source';

/** Capture files larger than this are refused before reading (the course's are a few kB). */
export const MAX_CAPTURE_BYTES = 64 * 1024 * 1024;

export class TrafficView {
	capture = $state.raw<CaptureTraffic | null>(null);
	/** The selected frame's number, or null. */
	selected = $state<number | null>(null);
	importProblem = $state<string | null>(null);
	importing = $state(false);

	get source(): TrafficSource {
		return this.capture ?? relay().live;
	}

	select(frame: number | null): void {
		this.selected = frame;
	}

	openBytes(name: string, bytes: Uint8Array): boolean {
		try {
			this.capture = openCapture(name, bytes);
			this.selected = null;
			this.importProblem = null;
			return true;
		} catch (error) {
			this.importProblem = (error as Error).message;
			return false;
		}
	}

	async openFile(file: File): Promise<boolean> {
		if (file.size > MAX_CAPTURE_BYTES) {
			this.importProblem = `${file.name} is ${Math.round(file.size / 1048576)} MB; this page opens captures up to ${MAX_CAPTURE_BYTES / 1048576} MB (cut it with editcap first).`;
			return false;
		}
		this.importing = true;
		try {
			return this.openBytes(file.name, new Uint8Array(await file.arrayBuffer()));
		} finally {
			this.importing = false;
		}
	}

	/** Opens everything the relay's taps recorded so far (also what the download link gives). */
	async openRelayCapture(): Promise<boolean> {
		this.importing = true;
		try {
			const res = await fetch('/api/capture.pcapng', { credentials: 'same-origin' });
			if (!res.ok) {
				this.importProblem = `The relay refused the capture (${res.status}); open the tutor with the link the relay printed.`;
				return false;
			}
			return this.openBytes('the relay capture so far', new Uint8Array(await res.arrayBuffer()));
		} catch (error) {
			this.importProblem = `Could not fetch the capture from the relay: ${(error as Error).message}`;
			return false;
		} finally {
			this.importing = false;
		}
	}

	backToLive(): void {
		this.capture = null;
		this.selected = null;
		this.importProblem = null;
	}
}

let view: TrafficView | null = null;

export function trafficView(): TrafficView {
	view ??= new TrafficView();
	return view;
}
