// The verifier page's one script: installs the offline verifier
// (static/verify-sw.js; docs/token.md, "Offline on a phone") so that a QR
// code scanned later without signal still opens a page. The page itself
// is complete without it. One registration per spelling of the path,
// since a scope is case-sensitive and some phones lower-case the URL.
if ('serviceWorker' in navigator) {
	for (const p of ['/V/', '/v/']) {
		navigator.serviceWorker.register(p + 'sw.js', { scope: p })
			.catch(() => {});
	}
}
