/**
 * Error pages: the pot's HTCPCP refusals (the lab's 418 and 406 above all),
 * the pot being unreachable (502/504), and the web app's own HTTP errors.
 * Every page names the status code, its reason phrase and what caused it.
 */

import { reasonPhrase, splitAdditions, text } from '../../../src/lib/protocol/index';
import { replyHeader, type PotReply } from '../pot';
import { html, type SafeHtml } from './html';
import { layout, type PageContext } from './layout';

/** What each HTCPCP refusal means, with the RFC section it comes from. */
const CAUSES: Record<number, string> = {
	300: 'The tea pot offers several varieties and the request named none (RFC 7168 section 2.1.1). The Alternates header lists them.',
	400: 'The pot could not take the request as HTCPCP. The usual cause is a URI whose scheme is not one of the coffee schemes of RFC 2324 section 3.',
	404: 'The URI names a host or pot that this server is not: the pot is called ducky.',
	406: 'At least one requested addition is not on the pot\'s list (RFC 2324 section 2.3.1). The pot lists what it accepts.',
	409: 'The pot is busy: it brews one pot at a time. Wait for the brew to end, or stop it, and try again.',
	415: 'The request body\'s Content-Type is not application/coffee-pot-command (RFC 2324 section 4).',
	418: 'Coffee was asked of the tea pot. A teapot answers 418 I\'m a teapot to any attempt to brew coffee in it (RFC 2324 section 2.3.2, RFC 7168 section 2.3.3).',
	501: 'The method is not one HTCPCP defines. The pot knows BREW, POST, GET, PROPFIND and WHEN (RFC 2324 section 2.1).'
};

/** The additions a 406 says are accepted: the Accept-Additions header, else the body's list. */
export function acceptedAdditions(reply: PotReply): string[] {
	const header = replyHeader(reply, 'Accept-Additions');
	if (header) return splitAdditions(header);
	const line = reply.body.split(/\r?\n/).find((l) => /^acceptable additions\s*:/i.test(l));
	return line ? splitAdditions(line.slice(line.indexOf(':') + 1)) : [];
}

/** The additions a 406 says were refused: the body's `Not acceptable:` line. */
export function refusedAdditions(reply: PotReply): string[] {
	const line = reply.body.split(/\r?\n/).find((l) => /^not acceptable\s*:/i.test(l));
	return line ? splitAdditions(line.slice(line.indexOf(':') + 1)) : [];
}

function exchangeDetails(reply: PotReply): SafeHtml {
	return html`<details class="wire" open>
<summary>The HTCPCP exchange (web app → pot, local port ${reply.exchange.localPort})</summary>
<h3>Request</h3><pre>${text(reply.exchange.requestBytes)}</pre>
<h3>Response</h3><pre>${text(reply.exchange.responseBytes)}</pre>
</details>`;
}

function specifics(reply: PotReply): SafeHtml | null {
	if (reply.status === 406) {
		const accepted = acceptedAdditions(reply);
		const refused = refusedAdditions(reply);
		return html`${refused.length > 0 ? html`<p>Refused: ${refused.map((a) => html`<span class="chip refused">${a}</span> `)}</p>` : null}
<h2>Additions the pot accepts</h2>
${accepted.length > 0
	? html`<ul class="chips accepted" id="accepted-additions">${accepted.map((a) => html`<li>${a}</li>`)}</ul>`
	: html`<p class="muted">The pot did not list them.</p>`}`;
	}
	if (reply.status === 409) {
		const retry = replyHeader(reply, 'Retry-After');
		return retry ? html`<p>The pot says to retry after <strong>${retry}</strong> seconds (<code>Retry-After</code>).</p>` : null;
	}
	if (reply.status === 300) {
		const alternates = replyHeader(reply, 'Alternates');
		return alternates ? html`<p>Alternates: <code>${alternates}</code></p>` : null;
	}
	if (reply.status === 418) {
		return html`<p>Choose the <strong>ducky</strong> pot for coffee.</p>`;
	}
	return null;
}

/** The page for a non-2xx HTCPCP answer. `asked` says what the web app was doing. */
export function renderPotError(ctx: PageContext, reply: PotReply, asked: string): SafeHtml {
	const reason = reply.reason || reasonPhrase(reply.status);
	const cause = CAUSES[reply.status] ?? 'The pot refused the request; its answer is below.';
	return layout(ctx, {
		title: `${reply.status} ${reason}`,
		main: html`<section class="card error htcpcp-error status-${reply.status}" aria-labelledby="error-title">
<p class="eyebrow">The pot answered HTCPCP</p>
<h1 id="error-title"><span class="code">${reply.status}</span> ${reason}</h1>
<p class="lead">${cause}</p>
<p>The web app ${asked}.</p>
${reply.body.trim() !== '' ? html`<p>The pot said:</p><pre class="pot-body">${reply.body}</pre>` : null}
${specifics(reply)}
<p><a class="button" href="/">Back to the pot</a></p>
${exchangeDetails(reply)}
</section>`
	});
}

/** 502 or 504: the pot could not be reached, or answered nonsense. */
export function renderPotDown(ctx: PageContext, status: 502 | 504, detail: string, startHint: string | null): SafeHtml {
	return layout(ctx, {
		title: `${status} ${reasonPhrase(status)}`,
		main: html`<section class="card error pot-down" aria-labelledby="error-title">
<p class="eyebrow">The web app could not get an answer from the pot</p>
<h1 id="error-title"><span class="code">${status}</span> ${reasonPhrase(status)}</h1>
<p class="lead">The web app tried the pot at <code>${ctx.potAddress}</code>: ${detail}.</p>
${startHint === null
	? html`<p>Check that the program listening there is the lab's pot.</p>`
	: html`<p>Start the pot in another terminal, then reload this page:</p>
<pre class="command">${startHint}</pre>`}
<p class="muted">The web app keeps running; it connects afresh on every request.</p>
<p><a class="button" href="/">Try again</a></p>
</section>`
	});
}

/** The web app's own HTTP errors (400, 404, 405, 500). */
export function renderHttpError(ctx: PageContext, status: number, message: string): SafeHtml {
	return layout(ctx, {
		title: `${status} ${reasonPhrase(status)}`,
		main: html`<section class="card error http-error" aria-labelledby="error-title">
<p class="eyebrow">The web app answered HTTP</p>
<h1 id="error-title"><span class="code">${status}</span> ${reasonPhrase(status)}</h1>
<p class="lead">${message}</p>
<p><a class="button" href="/">Back to the pot</a></p>
</section>`
	});
}
