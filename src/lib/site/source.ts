/**
 * What the inspector and the diagram look at: an analysed capture, live from
 * the relay or read from a file. Both give the shared analysis model
 * (src/lib/protocol/analysis/), so every view works the same on either.
 */

import type { CaptureAnalysis } from '$lib/protocol/analysis/model';
import { POT_PORT, WEBAPP_PORT } from '$lib/protocol';

export interface LabPorts {
	pot: number;
	webapp: number;
}

export const DEFAULT_PORTS: LabPorts = { pot: POT_PORT, webapp: WEBAPP_PORT };

export interface TrafficSource {
	readonly kind: 'live' | 'capture';
	/** Shown to the student: "live traffic" or the file's name. */
	readonly name: string;
	/** Grows as traffic arrives; read it again after `version` changes. */
	readonly analysis: CaptureAnalysis;
	/** Counts changes; views re-derive their rows when it moves. */
	readonly version: number;
	readonly ports: LabPorts;
	/** The tap's name for a connection ("browser → web app"), when it has one. */
	label(stream: number): string | undefined;
	/** A plain-words remark on this source (e.g. bytes the live view could not show). */
	readonly note: string | null;
}
