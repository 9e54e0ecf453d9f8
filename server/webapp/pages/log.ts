/** `/log`: every brew the pot remembers, newest first. */

import type { BrewRecord } from '../potdata';
import { displayTime, html, type SafeHtml } from './html';
import { layout, type PageContext } from './layout';

function count(n: number): string {
	return n === 1 ? '1 brew' : `${n} brews`;
}

export function renderLog(ctx: PageContext, records: readonly BrewRecord[]): SafeHtml {
	const table =
		records.length === 0
			? html`<p class="muted">No brews yet. The log fills as you brew.</p>`
			: html`<div class="table-wrap"><table class="log">
<thead><tr><th scope="col">Time</th><th scope="col">Pot</th><th scope="col">Drink</th><th scope="col">Additions</th><th scope="col">Beans</th><th scope="col">Outcome</th></tr></thead>
<tbody>${records.map(
					(r) => html`<tr><td><time datetime="${r.time}">${displayTime(r.time)}</time></td><td>${r.pot}</td><td>${r.variety ? `${r.beverage} (${r.variety})` : r.beverage}</td><td>${r.additions.length > 0 ? r.additions.join(', ') : '—'}</td><td>${r.beans || '—'}</td><td><span class="outcome">${r.outcome}</span></td></tr>`
				)}</tbody>
</table></div>`;
	return layout(ctx, {
		title: 'Brew log',
		nav: 'log',
		main: html`<section class="card" aria-labelledby="log-title">
<h1 id="log-title">Brew log</h1>
<p class="count"><strong id="brew-count">${count(records.length)}</strong>, newest first, from <code>GET coffee://ducky/history</code>.</p>
${table}
</section>`
	});
}
