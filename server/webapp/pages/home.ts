/** `/`: the pot's state, the brew form and the error-test links. */

import { ADDITIONS, isMilk, type AdditionKind } from '../../../src/lib/protocol/index';
import type { BrewState } from '../potdata';
import { displayTime, html, queryHref, type SafeHtml } from './html';
import { layout, type PageContext } from './layout';

/** Offered on purpose: the pot refuses it, which is how students meet 406. */
export const REFUSED_ADDITION = 'chamomile';

const GROUPS: ReadonlyArray<{ kind: AdditionKind; title: string }> = [
	{ kind: 'milk', title: 'Milks' },
	{ kind: 'syrup', title: 'Syrups' },
	{ kind: 'alcohol', title: 'Spirits' }
];

export const ERROR_TESTS: ReadonlyArray<{ path: string; code: number; label: string }> = [
	{ path: '/test-400', code: 400, label: 'wrong scheme (caffeine://ducky)' },
	{ path: '/test-404', code: 404, label: 'wrong host (coffee://psyduck)' },
	{ path: '/test-501', code: 501, label: 'unknown method (MILK)' },
	{ path: '/test-415', code: 415, label: 'wrong content type (application/tea-pot-command)' }
];

function seconds(n: number): string {
	return n === 1 ? '1 second' : `${n} seconds`;
}

function durationOf(state: BrewState): number {
	if (state.startedAt && state.endsAt) {
		const total = Math.round((Date.parse(state.endsAt) - Date.parse(state.startedAt)) / 1000);
		if (Number.isFinite(total) && total >= state.secondsLeft && total > 0) return total;
	}
	return Math.max(state.secondsLeft, 1);
}

function additionChips(additions: readonly string[]): SafeHtml {
	if (additions.length === 0) return html`<p class="muted">No additions.</p>`;
	return html`<ul class="chips" aria-label="Additions">${additions.map((a) => html`<li>${a}</li>`)}</ul>`;
}

function milkLine(state: BrewState): SafeHtml | null {
	if (state.milk === 'pouring') {
		return html`<div class="milk pouring" role="status"><p><strong>Milk is pouring.</strong> It keeps pouring until you say when.</p>
<a class="button" href="/?method=when">Say when (stop the milk)</a></div>`;
	}
	if (state.milk === 'stopped') return html`<p class="milk">Milk stopped: say-when received.</p>`;
	return null;
}

function statusCard(state: BrewState | null): SafeHtml {
	if (state === null) {
		return html`<section class="card status idle" aria-labelledby="status-title">
<img class="pot" src="/assets/pot.svg" alt="The coffee pot, idle" width="140" height="140">
<div><h1 id="status-title">The pot is idle</h1><p>Nothing is brewing. Choose a pot and additions below and press <em>Brew</em>.</p></div>
</section>`;
	}
	const drink = state.variety ? `${state.beverage} (${state.variety})` : state.beverage;
	if (state.state === 'brewing') {
		const total = durationOf(state);
		return html`<section class="card status brewing" aria-labelledby="status-title">
<img class="pot" src="/assets/pot.svg" alt="The coffee pot, brewing" width="140" height="140">
<div class="grow"><h1 id="status-title">Brewing ${drink}</h1>
<p class="muted">In pot <strong>${state.pot}</strong>${state.endsAt ? html`, ready at <time datetime="${state.endsAt}">${displayTime(state.endsAt)}</time>` : ''}.</p>
<progress id="brew-progress" max="${total}" value="${total - state.secondsLeft}">${total - state.secondsLeft} of ${total} s</progress>
<p class="countdown-line"><span id="countdown" class="countdown" data-seconds-left="${state.secondsLeft}">${state.secondsLeft}</span> <span id="countdown-unit">${state.secondsLeft === 1 ? 'second' : 'seconds'}</span> left</p>
${additionChips(state.additions)}
${state.milk === 'none' && state.additions.some(isMilk) ? html`<p class="milk">Milk will pour when the brew ends, until you say when.</p>` : milkLine(state)}
<p><a class="button secondary" href="/?method=brew&amp;message=stop">Stop brewing</a></p></div>
</section>`;
	}
	return html`<section class="card status ready" aria-labelledby="status-title">
<img class="pot" src="/assets/pot.svg" alt="The coffee pot, ready" width="140" height="140">
<div class="grow"><h1 id="status-title">Your ${drink} is ready</h1>
<p class="muted">In pot <strong>${state.pot}</strong>.</p>
<progress max="1" value="1">done</progress>
${additionChips(state.additions)}
${milkLine(state)}
<p><a class="button secondary" href="/?method=brew&amp;message=stop">Finish (stop the pot)</a></p></div>
</section>`;
}

function brewForm(): SafeHtml {
	return html`<section class="card" aria-labelledby="brew-title">
<h2 id="brew-title">Brew</h2>
<form method="get" action="/" class="brew">
<input type="hidden" name="method" value="brew"><input type="hidden" name="message" value="start">
<fieldset class="pots"><legend>Pot</legend>
<label><input type="radio" name="pots" value="ducky" checked> ducky <small>(coffee pot)</small></label>
<label><input type="radio" name="pots" value="tea"> tea <small>(tea pot: asking it for coffee gives 418)</small></label>
</fieldset>
<div class="groups">
${GROUPS.map(
	(g) => html`<fieldset><legend>${g.title}</legend>${ADDITIONS.filter((a) => a.kind === g.kind).map(
		(a) => html`<label><input type="checkbox" name="additions" value="${a.name}"> ${a.name}</label>`
	)}</fieldset>`
)}
<fieldset><legend>Tea</legend><label><input type="checkbox" name="additions" value="${REFUSED_ADDITION}"> ${REFUSED_ADDITION}</label>
<p class="hint">Not on the pot's list: expect 406.</p></fieldset>
</div>
<button type="submit">Brew</button>
</form>
</section>`;
}

function testsCard(): SafeHtml {
	return html`<section class="card" id="tests" aria-labelledby="tests-title">
<h2 id="tests-title">Error tests</h2>
<p>Each link makes the web app send a deliberately bad HTCPCP request and shows what the pot answered.</p>
<ul class="tests">${ERROR_TESTS.map(
		(t) => html`<li><a href="${t.path}"><span class="code">${t.code}</span> ${t.label}</a></li>`
	)}
<li><a href="${queryHref('/', [['method', 'brew'], ['message', 'start'], ['pots', 'tea']])}"><span class="code">418</span> coffee from the tea pot</a></li>
<li><a href="${queryHref('/', [['method', 'brew'], ['message', 'start'], ['additions', REFUSED_ADDITION], ['pots', 'ducky']])}"><span class="code">406</span> an addition the pot refuses (${REFUSED_ADDITION})</a></li>
</ul>
<p class="muted">See also the <a href="/?method=propfind">beans</a> and the <a href="/log">brew log</a>.</p>
</section>`;
}

export function renderHome(ctx: PageContext, state: BrewState | null): SafeHtml {
	const title = state === null ? 'Idle' : state.state === 'brewing' ? `Brewing, ${seconds(state.secondsLeft)} left` : 'Ready';
	return layout(ctx, {
		title,
		nav: 'pot',
		main: html`${statusCard(state)}
<div class="columns">${brewForm()}${testsCard()}</div>`
	});
}
