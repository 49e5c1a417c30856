// terbit's offline verifier for phones (docs/token.md, "Offline on a
// phone"): a service worker for the /V/ pages (and /v/, the same file
// registered under each spelling).
//
// Online it stays out of the way: a /V/TOKEN page comes from the server as
// always, and after it the worker refreshes what it keeps in the Cache
// Storage: the office's public keys, the signed status list and the
// offline page shell. Nothing else: never a /V/ answer nor any API answer,
// which hold (masked) personal data.
//
// When a /V/TOKEN page cannot be fetched (no network, the server down or
// failing, no answer in NAV_TIMEOUT_MS), the worker checks the token
// itself: base32, the v1 or v2 layout, the Ed25519 signature with
// WebCrypto and the cached key named by the token's kid, then the cached
// status list (its own signature checked with the key it names), then the
// expiry; and it fills the shell with the verdict, "diperiksa tanpa
// sambungan, status per <the list's date>", and a warning when the list
// is past its "next" time.
'use strict';

const CACHE = 'terbit-verifier-1';
const KEYS = '/.well-known/terbit/keys';
const STATUS = '/.well-known/terbit/status';
const SHELL = '/V/offline.html';
// How old a kept copy may be before a visit online fetches it again (a
// conditional request: the server answers 304 when nothing changed).
const REFRESH_MS = 5 * 60 * 1000;
// A page that has not come in this long is answered here: in the hills a
// connection often hangs rather than fails.
const NAV_TIMEOUT_MS = 10 * 1000;
// The header of a kept copy that says when it was stored (ms).
const STORED = 'X-Terbit-Stored';
// The markers of the shell (src/http/page.h).
const WORDS_MARK = '<!--terbit-words ';
const VERDICT_MARK = '<!--terbit-verdict-->';
const DAY_MS = 86400 * 1000;
// A valid Ed25519 public key (docs/token.md's worked example), to learn
// whether this browser's WebCrypto has Ed25519.
const DOCS_KEY = Uint8Array.from(('03a107bff3ce10be1d70dd18e74bc099' +
	'67e4d6309ba50d5f1ddc8664125531b8').match(/../g), (h) => parseInt(h, 16));
const WIB_MS = 7 * 3600 * 1000; // the office's clock, as on the online page

// ---- lifecycle ---------------------------------------------------------

self.addEventListener('install', (e) => {
	// Without the shell and the keys there is no offline page: the
	// install fails and the next visit tries again. A missing status
	// list is said on the page instead. Copies younger than REFRESH_MS
	// are kept: the worker of the other spelling of /V/ has just
	// fetched them.
	// A browser without Ed25519 in WebCrypto could not check a code
	// offline at all: the worker does not install there, and such a
	// phone shows its own "no connection" page, not a wrong verdict.
	e.waitUntil(crypto.subtle.importKey('raw', DOCS_KEY, { name: 'Ed25519' },
		false, ['verify']).then(() => refresh()).then((ok) => {
		if (!ok)
			throw new Error('shell or keys not fetched');
		return self.skipWaiting();
	}));
});

self.addEventListener('activate', (e) => {
	e.waitUntil(caches.keys().then((names) => Promise.all(
		names.filter((n) => n.startsWith('terbit-verifier-') && n !== CACHE)
			.map((n) => caches.delete(n))))
		.then(() => self.clients.claim()));
});

self.addEventListener('fetch', (e) => {
	const req = e.request;
	if (req.method !== 'GET' || req.mode !== 'navigate')
		return;
	const url = new URL(req.url);
	// One path segment, not one of our files (base32 has no dot).
	const m = /^\/[Vv]\/([^/.]+)$/.exec(url.pathname);
	if (url.origin !== self.location.origin || !m)
		return;
	e.respondWith(online(req).then((res) => {
		e.waitUntil(refresh());
		return res;
	}, () => offline(m[1]).catch(() => plain(
		'Tidak ada sambungan, dan pemeriksaan tanpa sambungan gagal ' +
		'di ponsel ini. Periksa lagi saat ada sinyal.'))));
});

// A short page in words only, for when there is nothing to fill in.
function plain(text) {
	return new Response(text + '\n', { status: 503, headers: {
		'Content-Type': 'text/plain; charset=utf-8',
		'Cache-Control': 'no-store' } });
}

// The server's page, or a rejection when there is none to show.
function online(req) {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('timeout')),
			NAV_TIMEOUT_MS);
		// Past the browser's HTTP cache both ways: a VALID page may be
		// kept by caches for a minute (Cache-Control), but on the phone
		// a kept copy would hold the holder's masked data and would
		// answer for the server while the phone is offline.
		fetch(req.url, { cache: 'no-store', credentials: 'same-origin' }).then((res) => {
			clearTimeout(timer);
			// A proxy's or a draining server's 5xx says nothing
			// about the document: check it here instead.
			if (res.status >= 500)
				reject(new Error('server ' + res.status));
			else
				resolve(res);
		}, (err) => {
			clearTimeout(timer);
			reject(err);
		});
	});
}

// ---- what is kept ------------------------------------------------------

// Fetches the shell and the keys, then the status list, when the kept
// copy is older than REFRESH_MS, and keeps each new copy that checks.
// Resolves true when the shell and the keys are kept (now or from before).
async function refresh() {
	const cache = await caches.open(CACHE);
	const [shell, keys] = await Promise.all([
		renew(cache, SHELL, async () => true),
		renew(cache, KEYS, async (b) => keysParse(b) !== null),
	]);
	await renew(cache, STATUS, async (body) => {
		const list = await statusCheck(body, await kept(cache, KEYS));
		if (!list.ok)
			return false;
		// Never back to an older list (a replayed answer would hide
		// a revocation).
		const old = await statusCheck(await kept(cache, STATUS),
			await kept(cache, KEYS));
		return !old.ok || list.made >= old.made;
	});
	return shell && keys;
}

// The body of the kept copy of url as an ArrayBuffer, or null.
async function kept(cache, url) {
	const r = await cache.match(url);
	return r ? r.arrayBuffer() : null;
}

async function renew(cache, url, good) {
	const old = await cache.match(url);
	if (old &&
	    Date.now() - Number(old.headers.get(STORED)) < REFRESH_MS)
		return true;
	let res, body;
	try {
		// no-cache: revalidated with the server (ETag), never a
		// stale copy from the HTTP cache.
		res = await fetch(url, { cache: 'no-cache', credentials: 'omit' });
		if (!res.ok)
			return !!old;
		body = await res.arrayBuffer();
		if (!(await good(body)))
			return !!old;
	} catch (err) {
		return !!old;
	}
	const headers = { [STORED]: String(Date.now()) };
	for (const h of ['Content-Type', 'Content-Security-Policy'])
		if (res.headers.get(h))
			headers[h] = res.headers.get(h);
	await cache.put(url, new Response(body, { headers }));
	return true;
}

// ---- bytes -------------------------------------------------------------

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

// Strict RFC 4648 base32 without padding, whole bytes only; null when
// any character is outside the alphabet.
function base32(s) {
	const out = new Uint8Array(Math.floor(s.length * 5 / 8));
	let acc = 0, bits = 0, n = 0;
	for (const ch of s) {
		const v = B32.indexOf(ch);
		if (v < 0)
			return null;
		acc = ((acc << 5) | v) & 0xffff;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (acc >> bits) & 0xff;
		}
	}
	return bits === 0 ? out : null;
}

function b64url(s) {
	if (!/^[A-Za-z0-9_-]*$/.test(s))
		return null;
	const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') +
		'='.repeat((4 - s.length % 4) % 4));
	return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function hex(bytes) {
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function ascii(s) {
	return new TextEncoder().encode(s);
}

function concat(...parts) {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

// ---- keys --------------------------------------------------------------

// The keys document (src/sign/keys.h): {kid hex: raw 32-byte key}, or
// null when it is not one.
function keysParse(body) {
	try {
		const doc = JSON.parse(new TextDecoder().decode(body));
		if (doc.format !== 'terbit-keys-1' || !Array.isArray(doc.qr_keys))
			return null;
		const keys = {};
		for (const k of doc.qr_keys) {
			const x = k && k.crv === 'Ed25519' && b64url(k.x);
			if (x && x.length === 32 && /^[0-9a-f]{8}$/.test(k.kid))
				keys[k.kid] = x;
		}
		return keys;
	} catch (err) {
		return null;
	}
}

// Ed25519 over data with the key named kid, which must be what its kid
// says (the first 4 bytes of its SHA-256): 'OK', 'UNKNOWN_KEY', 'FORGED'.
async function ed25519(keys, kid, sig, data) {
	const raw = keys && keys[kid];
	if (!raw)
		return 'UNKNOWN_KEY';
	const md = new Uint8Array(await crypto.subtle.digest('SHA-256', raw));
	if (hex(md.subarray(0, 4)) !== kid)
		return 'UNKNOWN_KEY';
	let key;
	try {
		key = await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' },
			false, ['verify']);
	} catch (err) {
		// Our key, not the code, is what failed here: no verdict.
		return 'NO_CRYPTO';
	}
	try {
		return await crypto.subtle.verify({ name: 'Ed25519' }, key, sig,
			data) ? 'OK' : 'FORGED';
	} catch (err) {
		return 'FORGED';
	}
}

// ---- the token (docs/token.md) ------------------------------------------

const LAYOUTS = {
	1: { chars: 144, bytes: 90, signed: 26, prefix: 'terbit-qr-v1' },
	2: { chars: 152, bytes: 95, signed: 31, prefix: 'terbit-qr-v2' },
};

// The token's fields, or null when it is not a well-formed token.
function tokenParse(text) {
	const s = text.toUpperCase();
	const len = Object.values(LAYOUTS).find((l) => l.chars === s.length);
	const b = len && base32(s);
	const lay = b && LAYOUTS[b[0]];
	if (!lay || lay.chars !== s.length || (b[5] !== 1 && b[5] !== 2))
		return null;
	const u16 = (i) => (b[i] << 8) | b[i + 1];
	// v2: a nonzero issuer and a reserved 0 after the digest.
	if (u16(16) < u16(14) || (b[0] === 2 &&
	    (b[30] !== 0 || !(b[26] | b[27] | b[28] | b[29]))))
		return null;
	return {
		version: b[0],
		kid: hex(b.subarray(1, 5)),
		kind: b[5],
		serial: hex(b.subarray(6, 14)).toUpperCase(),
		issued: u16(14),
		expires: u16(16),
		issuer: b[0] === 2 ? ((b[26] << 24) >>> 0) + (b[27] << 16) +
			(b[28] << 8) + b[29] : null,
		input: concat(ascii(lay.prefix), [0], b.subarray(0, lay.signed)),
		sig: b.subarray(lay.signed),
	};
}

// ---- the status list (docs/token.md) ------------------------------------

const ISO_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

// The list checked against keys: {ok, why, issuer, made, next, lines}
// (times in ms; lines: the entry lines, sorted by serial).
async function statusCheck(body, keysBody) {
	if (!body)
		return { ok: false, why: 'none' };
	const bytes = new Uint8Array(body);
	let text;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch (err) {
		return { ok: false, why: 'format' };
	}
	// ASCII only, so a character is a byte and the signed part below is
	// the file's first bytes.
	const at = text.lastIndexOf('\nsig ');
	if (!/^[\n\x20-\x7e]*$/.test(text) || at < 0)
		return { ok: false, why: 'format' };
	const head = text.slice(0, at).split('\n');
	// The file ends with the LF of the sig line, and nothing after it.
	const sigm = /^sig ([A-Za-z0-9_-]{86})\n$/.exec(text.slice(at + 1));
	const m = [/^terbit-status 1$/, /^issuer ([1-9]\d{0,9})$/,
		/^kid ([0-9a-f]{8})$/, /^made (.*)$/, /^next (.*)$/,
		/^count (0|[1-9]\d{0,8})$/].map((re, i) => re.exec(head[i] || ''));
	if (!sigm || m.some((x) => !x) || !ISO_RE.test(m[3][1]) ||
	    !ISO_RE.test(m[4][1]) || Date.parse(m[3][1]) > Date.parse(m[4][1]))
		return { ok: false, why: 'format' };
	const lines = head.slice(6);
	if (lines.length !== Number(m[5][1]))
		return { ok: false, why: 'format' };
	for (let i = 0; i < lines.length; i++)
		if (!/^[0-9A-F]{16} [RSX] \d{4}-\d\d-\d\d$/.test(lines[i]) ||
		    (i && lines[i - 1].slice(0, 16) >= lines[i].slice(0, 16)))
			return { ok: false, why: 'format' };
	const sig = b64url(sigm[1]);
	const v = await ed25519(keysBody && keysParse(keysBody), m[2][1], sig,
		concat(ascii('terbit-status-v1'), [0], bytes.subarray(0, at + 1)));
	if (v !== 'OK')
		return { ok: false, why: v === 'UNKNOWN_KEY' ? 'key' : 'sig' };
	return {
		ok: true, issuer: Number(m[1][1]), made: Date.parse(m[3][1]),
		next: Date.parse(m[4][1]), lines,
	};
}

// The entry line of serial, or null (binary search: the lines are sorted).
function statusFind(list, serial) {
	let lo = 0, hi = list.lines.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		const s = list.lines[mid].slice(0, 16);
		if (s === serial)
			return list.lines[mid];
		if (s < serial)
			lo = mid + 1;
		else
			hi = mid;
	}
	return null;
}

// ---- the verdict ---------------------------------------------------------

// {state, tok, list, entry, why}: state VALID, REVOKED, SUPERSEDED,
// EXPIRED, NOT_IN_FORCE, NO_STATUS (good signature, no usable list),
// UNKNOWN_KEY, FORGED, or NO_CRYPTO (this browser could not check).
async function verdict(text, keysBody, statusBody, now) {
	const tok = tokenParse(text);
	if (!tok)
		return { state: 'FORGED' };
	const keys = keysBody && keysParse(keysBody);
	const sig = await ed25519(keys, tok.kid, tok.sig, tok.input);
	if (sig !== 'OK')
		return { state: sig, tok };
	const list = await statusCheck(statusBody, keysBody);
	const expired = tok.expires < Math.floor(now / DAY_MS);
	const r = { tok, list: list.ok ? list : null };
	if (!list.ok)
		return Object.assign(r, { state: expired ? 'EXPIRED' : 'NO_STATUS',
			why: list.why });
	// A v1 token names no issuer: its key is the office's, whose list
	// this is. A v2 token of another issuer is not in this list.
	if (tok.issuer !== null && tok.issuer !== list.issuer)
		return Object.assign(r, { state: expired ? 'EXPIRED' : 'NO_STATUS',
			list: null, why: 'issuer' });
	r.entry = statusFind(list, tok.serial);
	const code = r.entry && r.entry[17];
	r.state = code === 'R' ? 'REVOKED' : code === 'S' ? 'SUPERSEDED'
		: expired ? 'EXPIRED' : code === 'X' ? 'NOT_IN_FORCE' : 'VALID';
	return r;
}

// ---- the page ------------------------------------------------------------

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli',
	'Agustus', 'September', 'Oktober', 'November', 'Desember'];

// ms since 1970 (UTC) -> "30 November 2026"
function dayLabel(ms) {
	const d = new Date(ms);
	return d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' +
		d.getUTCFullYear();
}

// ms since 1970 -> "30 November 2026 pukul 17.30 WIB"
function timeLabel(ms) {
	const d = new Date(ms + WIB_MS);
	const two = (n) => String(n).padStart(2, '0');
	return dayLabel(ms + WIB_MS) + ' pukul ' + two(d.getUTCHours()) + '.' +
		two(d.getUTCMinutes()) + ' WIB';
}

function esc(s) {
	return String(s).replace(/[&<>"']/g, (c) => ({
		'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
	})[c]);
}

// The states the online page does not have, and the offline meaning of
// those it does where the offline check knows less (a good signature and
// a list, not the registry itself).
const OFFLINE_LOOKS = {
	VALID: { meaning: 'Kode asli dari kantor penerbit, dan dokumen tidak ' +
		'tercantum dicabut atau diganti dalam daftar status.' },
	UNKNOWN_KEY: { from: 'UNKNOWN', label: 'KUNCI TIDAK DIKENAL',
		meaning: 'Kode ini tidak ditandatangani dengan kunci kantor ' +
		'yang tersimpan di ponsel ini. Jangan diterima; periksa lagi ' +
		'saat ada sinyal.' },
	NOT_IN_FORCE: { word: 'TIDAK BERLAKU', label: 'TIDAK BERLAKU', cls: 'bad',
		meaning: 'Dokumen ini tidak berlaku lagi menurut daftar status. ' +
		'Jangan diterima.' },
	NO_STATUS: { word: 'BELUM PASTI', label: 'BELUM PASTI', cls: 'warn',
		meaning: 'Kode asli dari kantor penerbit, tetapi belum dapat ' +
		'dipastikan dokumen ini tidak dicabut: daftar status tidak ' +
		'tersedia di ponsel ini. Periksa lagi saat ada sinyal.' },
	NO_CRYPTO: { word: 'BELUM PASTI', label: 'BELUM PASTI', cls: 'warn',
		meaning: 'Ponsel ini tidak dapat memeriksa tanda tangan kode ' +
		'tanpa sambungan. Periksa lagi saat ada sinyal.' },
};

const NO_STATUS_WHY = {
	none: 'Daftar status belum pernah terunduh ke ponsel ini.',
	format: 'Daftar status yang tersimpan rusak.',
	sig: 'Tanda tangan daftar status yang tersimpan tidak sah.',
	key: 'Daftar status yang tersimpan ditandatangani kunci yang tidak dikenal.',
	issuer: 'Dokumen ini dari penerbit lain; daftar status yang tersimpan ' +
		'bukan miliknya.',
};

function looksOf(words, state) {
	const o = OFFLINE_LOOKS[state] || {};
	const base = words.states[o.from || state] || words.states.FORGED;
	return {
		word: o.word || base.word, label: o.label || base.label,
		cls: o.cls || base.cls, meaning: o.meaning || base.meaning,
	};
}

function div(cls, text, id) {
	return '<div class="' + cls + '"' + (id ? ' id="' + id + '"' : '') + '>' +
		esc(text) + '</div>';
}

function row(label, value) {
	return '<dt>' + esc(label) + '</dt><dd>' + esc(value) + '</dd>';
}

// The verdict's section and rows, for the shell's verdict marker.
function verdictHtml(v, words, now) {
	const l = looksOf(words, v.state);
	const stale = v.list && now > v.list.next;
	// A list past its "next" may miss a later revocation: never the
	// plain green of a live check.
	const cls = v.state === 'VALID' && stale ? 'warn' : l.cls;
	let h = '<section class="st ' + esc(cls) + '" id="verdict" data-state="' +
		esc(v.state) + '">' + div('w', l.word);
	if (l.label !== l.word)
		h += div('sub', l.label);
	h += div('m', l.meaning);
	if (v.entry)
		h += div('why', (v.state === 'REVOKED' ? 'Dicabut ' :
			v.state === 'SUPERSEDED' ? 'Diganti ' : 'Sejak ') +
			dayLabel(Date.parse(v.entry.slice(19) + 'T00:00:00Z')) + '.');
	if (v.state === 'EXPIRED')
		h += div('why', 'Berlaku sampai ' +
			dayLabel(v.tok.expires * DAY_MS) + '.');
	if (v.why)
		h += div('why', NO_STATUS_WHY[v.why] || '');
	// The phone's time too, as the online page has the server's: an old
	// screenshot must not pass for a check made now.
	h += div('why', 'Diperiksa tanpa sambungan' + (v.list ?
		', status per ' + timeLabel(v.list.made) : '') + '.', 'offline') +
		div('why', 'Waktu pemeriksaan: ' + timeLabel(now) +
		' (jam ponsel).', 'checked');
	if (stale)
		h += div('why', 'Peringatan: daftar status ini seharusnya sudah ' +
			'diperbarui pada ' + timeLabel(v.list.next) + '; pencabutan ' +
			'sesudah tanggal daftar belum terlihat. Periksa lagi saat ' +
			'ada sinyal.', 'stale');
	h += '</section>';
	if (!v.tok || v.state === 'UNKNOWN_KEY' || v.state === 'FORGED' ||
	    v.state === 'NO_CRYPTO')
		return h; // nothing of a code we did not sign, as online
	h += '<dl>' + row('Jenis dokumen', words.kinds[v.tok.kind] || '') +
		row('Nomor seri', v.tok.serial) +
		row('Tanggal terbit', dayLabel(v.tok.issued * DAY_MS)) +
		row('Berlaku sampai', dayLabel(v.tok.expires * DAY_MS));
	if (v.tok.issuer !== null)
		h += row('Kode wilayah penerbit', String(v.tok.issuer));
	return h + '</dl>';
}

// The page for a token, made from what is kept.
async function offline(text) {
	const cache = await caches.open(CACHE);
	const [shellRes, keysBody, statusBody] = await Promise.all([
		cache.match(SHELL), kept(cache, KEYS), kept(cache, STATUS)]);
	const headers = {
		'Content-Type': 'text/html; charset=utf-8',
		'Cache-Control': 'no-store',
		'Referrer-Policy': 'no-referrer',
	};
	if (!shellRes)
		return plain('Tidak ada sambungan, dan pemeriksa tanpa ' +
			'sambungan belum siap di ponsel ini.');
	headers['Content-Security-Policy'] =
		shellRes.headers.get('Content-Security-Policy') ||
		"default-src 'none'; style-src 'unsafe-inline'";
	const shell = await shellRes.text();
	const w0 = shell.indexOf(WORDS_MARK);
	const w1 = shell.indexOf('-->', w0);
	const words = JSON.parse(shell.slice(w0 + WORDS_MARK.length, w1));
	const now = Date.now();
	const v = await verdict(text, keysBody, statusBody, now);
	const l = looksOf(words, v.state);
	const page = (shell.slice(0, w0) + shell.slice(w1 + 3))
		.replace('<title>', () => '<title>' + esc(l.word) + ': ')
		.replace(VERDICT_MARK, () => verdictHtml(v, words, now));
	return new Response(page, { headers });
}
