/**
 * Attaches the knowledge base's explanation of a message (protocol, start
 * line, each header, the body), paired with the request it answers. All the
 * words come from src/lib/protocol/knowledge/; this only asks it.
 */

import type { AnalyzedMessage } from '../../src/lib/protocol/analysis/model';
import type { HttpMessage } from '../../src/lib/protocol/index';
import { annotateMessage } from '../../src/lib/protocol/knowledge/annotate';

export function annotate(m: AnalyzedMessage, request: HttpMessage | undefined): { annotation?: unknown } {
	try {
		return { annotation: annotateMessage(m.message, request ? { request } : {}) };
	} catch {
		// An explanation is a nicety; the parsed message goes out without one.
		return {};
	}
}
