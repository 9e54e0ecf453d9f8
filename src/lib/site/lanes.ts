/**
 * Who is who on the wire: the lab has three parties (browser, web app, pot)
 * and two kinds of connection between them (RFC 2324's HTCPCP to the pot,
 * HTTP to the web app; the browser never talks to the pot). A connection is
 * placed by the tap's label when live, or by its server port in a capture.
 */

import type { ConnectionInfo } from '$lib/protocol/analysis/model';
import type { LabPorts } from './source';

export type Lane = 'browser' | 'webapp' | 'pot' | 'client' | 'server';

export const LANE_NAMES: Record<Lane, string> = {
	browser: 'Browser',
	webapp: 'Web app',
	pot: 'Pot',
	client: 'Other client',
	server: 'Other server'
};

/** The two parties of a connection: [the side that sent SYN, the side that accepted]. */
export function connectionLanes(conn: Pick<ConnectionInfo, 'server'>, ports: LabPorts, label?: string): [Lane, Lane] {
	if (label) {
		if (/web app$/.test(label)) return ['browser', 'webapp'];
		if (/pot$/.test(label)) return ['webapp', 'pot'];
	}
	if (conn.server.port === ports.webapp) return ['browser', 'webapp'];
	if (conn.server.port === ports.pot) return ['webapp', 'pot'];
	return ['client', 'server'];
}

/** One line naming a connection's hop and ports, e.g. "browser :55433 → web app :5031". */
export function describeConnection(conn: Pick<ConnectionInfo, 'client' | 'server'>, lanes: [Lane, Lane]): string {
	return `${LANE_NAMES[lanes[0]]} :${conn.client.port} → ${LANE_NAMES[lanes[1]]} :${conn.server.port}`;
}
