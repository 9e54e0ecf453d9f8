/** The frame every page shares: head, navigation, footer. */

import { html, type SafeHtml } from './html';

export interface PageContext {
	/** Where the web app sends HTCPCP, shown in the footer (`127.0.0.1:5030`). */
	potAddress: string;
}

export interface LayoutOptions {
	title: string;
	main: SafeHtml;
	/** Which navigation entry is current. */
	nav?: 'pot' | 'beans' | 'log';
}

function navLink(href: string, label: string, current: boolean): SafeHtml {
	return current ? html`<a href="${href}" aria-current="page">${label}</a>` : html`<a href="${href}">${label}</a>`;
}

export function layout(ctx: PageContext, options: LayoutOptions): SafeHtml {
	return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Coffee pot ducky</title>
<link rel="stylesheet" href="/assets/styles.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<script src="/assets/app.js" defer></script>
</head>
<body>
<header class="top">
<a class="brand" href="/"><img src="/assets/pot.svg" alt="" width="36" height="36"><span>ducky</span><small>the HTCPCP coffee pot</small></a>
<nav>${navLink('/', 'Pot', options.nav === 'pot')}${navLink('/?method=propfind', 'Beans', options.nav === 'beans')}${navLink('/log', 'Log', options.nav === 'log')}</nav>
</header>
<main>
${options.main}
</main>
<footer>
<p>Browser ⇄ web app: <strong>HTTP</strong>. Web app ⇄ pot at <code>${ctx.potAddress}</code>: <strong>HTCPCP</strong> (RFC 2324, RFC 7168), one TCP connection per request.</p>
</footer>
</body>
</html>
`;
}
