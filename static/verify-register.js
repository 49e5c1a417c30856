// The verifier page's one script: installs the offline verifier
// (static/verify-sw.js; docs/token.md, "Offline on a phone") so that a QR
// code scanned later without signal still opens a page. The page itself
// is complete without it. One registration per spelling of the path,
// since a scope is case-sensitive and some phones lower-case the URL.
// The page's own spelling first; the other once that worker is active,
// so that its install finds the keys, the list and the shell just kept
// and fetches nothing again on a slow line.
if ('serviceWorker' in navigator) {
	const sw = navigator.serviceWorker;
	const own = location.pathname.startsWith('/v/') ? '/v/' : '/V/';
	const other = own === '/V/' ? '/v/' : '/V/';
	sw.register(own + 'sw.js', { scope: own })
		.then(() => sw.ready)
		.then(() => sw.register(other + 'sw.js', { scope: other }))
		.catch(() => {});
}
