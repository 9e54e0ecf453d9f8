/**
 * The plain page the relay serves until the tutor site is built: the three
 * terminals as text, a line of input for each, restart buttons and the list
 * of annotated messages. Everything from programs and traffic goes in with
 * `textContent`, never as HTML. The script is a separate file so the page's
 * Content-Security-Policy can forbid inline script.
 */

export const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>HTCPCP lab relay</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font-family: system-ui, sans-serif; margin: 1rem; background: #faf7f2; color: #222; }
h1 { font-size: 1.3rem; }
#grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(28rem, 1fr)); gap: 1rem; }
section { border: 1px solid #bba; border-radius: 6px; padding: .5rem; background: #fff; }
section h2 { font-size: 1rem; margin: 0 0 .3rem; display: flex; gap: .5rem; align-items: center; }
.state { font-weight: normal; font-size: .85rem; color: #555; }
pre { background: #1d1f21; color: #ddd; height: 18rem; overflow: auto; padding: .4rem; margin: 0; white-space: pre-wrap; word-break: break-all; font-size: 12px; }
form { display: flex; gap: .3rem; margin-top: .3rem; } form input { flex: 1; font-family: monospace; }
#traffic li { font-family: monospace; font-size: 12px; }
#status { color: #a33; }
</style>
</head>
<body>
<h1>HTCPCP lab relay</h1>
<p id="status">Connecting…</p>
<div id="grid"></div>
<h2>Traffic through the taps</h2>
<ol id="traffic"></ol>
<script src="/relay-page.js"></script>
</body>
</html>
`;

export const PAGE_SCRIPT = `'use strict';
(() => {
	const V = 1;
	const grid = document.getElementById('grid');
	const status = document.getElementById('status');
	const traffic = document.getElementById('traffic');
	const terms = new Map();
	const plain = (s) => s.replace(/\\x1b\\[[0-9;?]*[ -\\/]*[@-~]/g, '').replace(/\\x1b\\][^\\x07]*\\x07/g, '').replace(/\\r\\n/g, '\\n').replace(/\\r/g, '');
	let socket;
	const send = (m) => socket && socket.readyState === 1 && socket.send(JSON.stringify(Object.assign({ v: V }, m)));
	function terminal(s) {
		let t = terms.get(s.id);
		if (!t) {
			const box = document.createElement('section');
			const h = document.createElement('h2');
			const name = document.createElement('span');
			const state = document.createElement('span'); state.className = 'state';
			const restart = document.createElement('button'); restart.textContent = 'Restart';
			restart.onclick = () => send({ type: 'term-restart', id: s.id });
			h.append(name, state, restart);
			const pre = document.createElement('pre');
			const form = document.createElement('form');
			const input = document.createElement('input'); input.placeholder = 'type a line and press Enter';
			form.append(input);
			form.onsubmit = (e) => { e.preventDefault(); send({ type: 'term-input', id: s.id, data: input.value + '\\r' }); input.value = ''; };
			const ctrlc = document.createElement('button'); ctrlc.type = 'button'; ctrlc.textContent = 'Ctrl-C';
			ctrlc.onclick = () => send({ type: 'term-input', id: s.id, data: '\\x03' });
			form.append(ctrlc);
			box.append(h, pre, form);
			grid.append(box);
			t = { name, state, pre, restart, form };
			terms.set(s.id, t);
		}
		return t;
	}
	function showStatus(s) {
		const t = terminal(s);
		t.name.textContent = s.title;
		let text = s.state;
		if (s.state === 'exited' || s.state === 'failed') text += s.signal ? ' (' + s.signal + ')' : ' (status ' + s.exitCode + ')';
		if (s.note) text += ' — ' + s.note;
		t.state.textContent = text;
		t.state.title = s.command;
		t.restart.hidden = s.state === 'off';
		t.form.hidden = s.state === 'off';
	}
	function append(id, data) {
		const t = terms.get(id);
		if (!t) return;
		const atEnd = t.pre.scrollTop + t.pre.clientHeight >= t.pre.scrollHeight - 4;
		let text = t.pre.textContent + plain(data);
		if (text.length > 200000) text = text.slice(-200000);
		t.pre.textContent = text;
		if (atEnd) t.pre.scrollTop = t.pre.scrollHeight;
	}
	function connect() {
		socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
		socket.onopen = () => { status.textContent = ''; };
		socket.onclose = (e) => {
			status.textContent = e.code === 1006 ? 'Not connected: open the link the relay printed (it carries the token), or the relay has stopped.' : 'Disconnected (' + e.code + ' ' + e.reason + ').';
			setTimeout(connect, 3000);
		};
		socket.onmessage = (e) => {
			let m;
			try { m = JSON.parse(e.data); } catch { return; }
			if (m.v !== V) return;
			if (m.type === 'hello') { for (const t of terms.values()) t.pre.textContent = ''; traffic.textContent = ''; m.terminals.forEach(showStatus); }
			else if (m.type === 'term-status') showStatus(m);
			else if (m.type === 'term-data') append(m.id, m.data);
			else if (m.type === 'message') {
				const li = document.createElement('li');
				const from = m.from === 'client' ? m.client : m.server;
				const to = m.from === 'client' ? m.server : m.client;
				li.textContent = (m.label ? '[' + m.label + '] ' : '') + from.address + ':' + from.port + ' → ' + to.address + ':' + to.port + '  ' + m.summary;
				traffic.append(li);
				while (traffic.children.length > 500) traffic.firstChild.remove();
			} else if (m.type === 'error') status.textContent = 'Relay: ' + m.message;
		};
	}
	connect();
})();
`;
