/** `/?method=propfind`: the bean profile of the current brew (RFC 2324 section 2.1.4). */

import type { Beans } from '../potdata';
import { html, type SafeHtml } from './html';
import { layout, type PageContext } from './layout';

const FIELDS: ReadonlyArray<{ key: keyof Beans; label: string }> = [
	{ key: 'name', label: 'Name' },
	{ key: 'origin', label: 'Origin' },
	{ key: 'profile', label: 'Profile' },
	{ key: 'strength', label: 'Strength' },
	{ key: 'roast', label: 'Roast' },
	{ key: 'type', label: 'Type' }
];

export function renderBeans(ctx: PageContext, beans: Beans | null): SafeHtml {
	const main =
		beans === null
			? html`<section class="card empty" aria-labelledby="beans-title">
<h1 id="beans-title">No beans in the pot</h1>
<p>Nothing is brewing, so the pot has no beans to describe: its answer to <code>PROPFIND</code> was <code>{}</code>.</p>
<p>Start a brew and come back here to see which beans it chose.</p>
<p><a class="button" href="/">Back to the pot</a></p>
</section>`
			: html`<section class="card" aria-labelledby="beans-title">
<h1 id="beans-title">Beans: ${beans.name}</h1>
<p class="muted">The pot's answer to <code>PROPFIND coffee://ducky</code>: the metadata of the beans in the current brew.</p>
<dl class="beans">${FIELDS.map((f) => html`<div><dt>${f.label}</dt><dd>${beans[f.key] || '—'}</dd></div>`)}</dl>
<p><a class="button" href="/">Back to the pot</a></p>
</section>`;
	return layout(ctx, { title: 'Beans', nav: 'beans', main });
}
