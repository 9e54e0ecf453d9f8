// The live brew countdown on the home page. Served as an asset (no inline
// script) so pages can carry a strict Content-Security-Policy. It counts from
// the seconds the pot reported when the page was made, using the page's own
// clock, and reloads the page once the brew should be over.
(function () {
	'use strict';
	var counter = document.getElementById('countdown');
	if (!counter) return;
	var unit = document.getElementById('countdown-unit');
	var bar = document.getElementById('brew-progress');
	var initial = Number(counter.getAttribute('data-seconds-left')) || 0;
	var total = bar ? Number(bar.getAttribute('max')) || initial : initial;
	var started = performance.now();
	var reloading = false;

	function tick() {
		var elapsed = (performance.now() - started) / 1000;
		var left = Math.max(0, Math.ceil(initial - elapsed));
		var text = String(left);
		if (counter.textContent !== text) counter.textContent = text;
		if (unit) unit.textContent = left === 1 ? 'second' : 'seconds';
		if (bar) bar.value = Math.min(total, total - initial + elapsed);
		if (left === 0 && !reloading) {
			reloading = true;
			// A moment's grace so the pot has finished too, then ask it again.
			setTimeout(function () {
				window.location.replace('/');
			}, 1200);
		}
	}
	tick();
	setInterval(tick, 250);
})();
