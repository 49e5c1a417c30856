"""The offline verifier on a phone (static/verify-sw.js), in headless
Chromium: tests/web_offline.sh runs it against the real `terbit serve`.

    offline_check.py BASE DATA_DIR SHOTS SERVER_PID SERVER_LOG \
                     VALID REVOKED SUPERSEDED

VALID, REVOKED, SUPERSEDED: the stored tokens of issued documents in those
registry states. The tokens and status lists this script makes itself are
written from docs/token.md with Python's cryptography, a second
implementation of both formats, signed with the office's own QR key from
DATA_DIR/keys (a stale list, an expired document, a v2 token) or with a
stranger's key (an unknown key).

Offline is the DevTools protocol's network emulation. Set on the page
alone it does not reach the worker's own fetch in Chromium 156 (the
worker still got the server's page), so it is set on every service
worker target too, through Target.attachToTarget and
Target.sendMessageToTarget; the server's access log then shows that no
/V/ page was asked for while offline. If that ever stops working, the
server is stopped instead and the script says so.
"""
import base64
import datetime
import glob
import hashlib
import json
import os
import re
import signal
import struct
import sys
import time

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from selenium.common.exceptions import WebDriverException

from browser import Browser, check, done

BASE, DATA, SHOTS, PID, LOG = sys.argv[1:6]
VALID, REVOKED, SUPERSEDED = sys.argv[6:9]
CACHE = "terbit-verifier-1"
# What the worker may keep: nothing with personal data in it.
ALLOWED = {"/.well-known/terbit/keys", "/.well-known/terbit/status",
           "/V/offline.html"}


def b32(b):
    return base64.b32encode(b).decode().rstrip("=")


def raw_pub(priv):
    return priv.public_key().public_bytes(serialization.Encoding.Raw,
                                          serialization.PublicFormat.Raw)


def office_key():
    kid = open(os.path.join(DATA, "keys", "qr-current")).read().strip()
    with open(os.path.join(DATA, "keys", "qr-%s.key" % kid), "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def kid_of(priv):
    return hashlib.sha256(raw_pub(priv)).digest()[:4]


def token(priv, version, serial, issued, expires, kind=1, issuer=3510):
    """A token as docs/token.md lays it out (v1: 90 bytes; v2: issuer and
    a reserved byte after the digest, 95 bytes)."""
    body = (bytes([version]) + kid_of(priv) + bytes([kind]) + serial +
            struct.pack(">HH", issued, expires) + bytes(8))
    if version == 2:
        body += struct.pack(">I", issuer) + b"\0"
    sig = priv.sign(b"terbit-qr-v%d\0" % version + body)
    return b32(body + sig)


def status_list(priv, made, nxt, entries, issuer=3510):
    """The signed status list of the issue's fixed format."""
    iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
    text = ("terbit-status 1\nissuer %d\nkid %s\nmade %s\nnext %s\ncount %d\n"
            % (issuer, kid_of(priv).hex(), iso(made), iso(nxt), len(entries)))
    text += "".join("%s %s %s\n" % e for e in sorted(entries))
    sig = priv.sign(b"terbit-status-v1\0" + text.encode())
    return text + "sig " + base64.urlsafe_b64encode(sig).decode().rstrip("=") + "\n"


def serial_of(tok):
    return base64.b32decode(tok)[6:14].hex().upper()


def forge(tok):
    """The token with one signature bit flipped (still well-formed)."""
    b = bytearray(base64.b32decode(tok))
    b[-1] ^= 0x01
    return b32(bytes(b))


b = Browser(BASE, width=360, height=780)


def run_js(src, *args, browser=None):
    """An async script: src calls done(value) (the last argument)."""
    return (browser or b).d.execute_async_script(
        "const done = arguments[arguments.length - 1];" + src, *args)


def kept_urls():
    return run_js("""
        caches.keys().then(names => Promise.all(names.map(n =>
            caches.open(n).then(c => c.keys()).then(rs =>
                rs.map(r => n + ' ' + new URL(r.url).pathname)))))
        .then(l => done([].concat(...l)), e => done(['error ' + e]));""")


def put_status(text, stored=None, path="/.well-known/terbit/status"):
    """Puts a status list (or what path names) in the worker's cache, as
    stored at the time stored (ms; now by default; 0: so long ago that
    the next page online fetches it again)."""
    return run_js("""
        caches.open(arguments[0]).then(c => c.put(arguments[3],
            new Response(arguments[1], {headers: {
                'X-Terbit-Stored': String(arguments[2] === null ?
                    Date.now() : arguments[2])}})))
        .then(() => done('ok'), e => done('error ' + e));""", CACHE, text,
                  stored, path)


def kept_status():
    return run_js("""
        caches.open(arguments[0]).then(c =>
            c.match('/.well-known/terbit/status'))
        .then(r => r ? r.text() : '').then(done, e => done('error ' + e));""",
                  CACHE)


def fetches(route):
    """How many times the server was asked for route (its access log)."""
    with open(LOG, errors="replace") as f:
        return sum(1 for line in f if " route=%s " % route in line)


def status_fetches():
    """How many times the server was asked for its status list."""
    return fetches("/.well-known/terbit/status")


def wait_for(cond, seconds=20):
    """Polls cond (the worker works after the page is in) until true."""
    deadline = time.time() + seconds
    while not cond() and time.time() < deadline:
        time.sleep(0.1)
    return cond()


BOTH = "/V/:activated /v/:activated"


def registrations(browser=None):
    """The origin's registrations as 'scope:state', sorted."""
    return run_js("""
        navigator.serviceWorker.getRegistrations().then(rs => done(
            rs.map(r => new URL(r.scope).pathname + ':' +
                (r.active ? r.active.state : '-')).sort().join(' ')));""",
                  browser=browser)


def both_registered(browser=None):
    """Waits (30 s at most) until both registrations have active
    workers; returns what it last saw."""
    wait_for(lambda: registrations(browser) == BOTH, 30)
    return registrations(browser)


COPIES = ("/V/offline.html", "/.well-known/terbit/keys",
          "/.well-known/terbit/status")


def copies_asked():
    """How many times the server was asked for each of COPIES."""
    return [fetches(r) for r in COPIES]


def asked_since(before):
    return [n - m for n, m in zip(copies_asked(), before)]


def verdict():
    """(big word, data-state, text of the offline line, stale line, the
    whole body) of the page shown."""
    el = b.d.find_elements("css selector", "#verdict")
    if not el:
        return None, None, "", "", b.body()
    return (b.text("#verdict .w"), el[0].get_attribute("data-state"),
            b.text("#offline"), b.text("#stale"), b.body())


SESSIONS = {}  # service worker target id -> our DevTools session on it


def network(offline):
    """DevTools network emulation on the page and on each of our service
    workers (one session each, kept: an emulation lasts as long as the
    session that set it); returns how many workers it reached."""
    cond = {"offline": offline, "latency": 0, "downloadThroughput": -1,
            "uploadThroughput": -1}
    b.d.execute_cdp_cmd("Network.enable", {})
    b.d.execute_cdp_cmd("Network.emulateNetworkConditions", cond)
    n = 0
    for t in b.d.execute_cdp_cmd("Target.getTargets", {})["targetInfos"]:
        if t["type"] != "service_worker" or not t["url"].startswith(BASE):
            continue
        tid = t["targetId"]
        if tid not in SESSIONS:
            SESSIONS[tid] = b.d.execute_cdp_cmd("Target.attachToTarget", {
                "targetId": tid, "flatten": False})["sessionId"]
        for m, p in (("Network.enable", {}),
                     ("Network.emulateNetworkConditions", cond)):
            b.d.execute_cdp_cmd("Target.sendMessageToTarget", {
                "sessionId": SESSIONS[tid],
                "message": json.dumps({"id": 1, "method": m, "params": p})})
        n += 1
    return n


def pages_served():
    """How many /V/ token pages the server has answered (its access log)."""
    return fetches("/V/{token}") + fetches("/v/{token}")


def stop_server():
    """SIGTERM to the server, and wait until it has exited (a zombie: the
    calling script collects its exit code)."""
    os.kill(int(PID), signal.SIGTERM)
    for _ in range(300):
        try:
            with open("/proc/%s/stat" % PID) as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return
        except OSError:
            return
        time.sleep(0.05)


def shot(name):
    """The whole page at 360 px: the window is the page's height plus
    what the browser's frame takes of it."""
    if SHOTS:
        h = b.d.execute_script(
            "return document.documentElement.scrollHeight +"
            " window.outerHeight - window.innerHeight")
        b.shot(os.path.join(SHOTS, "offline-%s-360.png" % name), 360, h)
        b.d.set_window_size(360, 780)


try:
    # ---- a phone that lower-cased the URL of its first page ----
    # Its own spelling, /v/, registers first and /V/ after it; the
    # copies are fetched once, by the first install.
    asked_before = copies_asked()  # by the curl part
    lower = Browser(BASE, width=360, height=780)
    try:
        lower.open("/v/" + VALID.lower())
        check("online, lower-case URL first: the server's page says SAH",
              lower.text(".w") == "SAH", lower.text(".w"))
        regs = both_registered(lower)
        check("lower-case first: both registrations active", regs == BOTH,
              regs)
        once = asked_since(asked_before)
        check("lower-case first: shell, keys, list asked once each",
              once == [1, 1, 1], once)
    finally:
        lower.close()

    # ---- online: the page, the worker installs and keeps its copies ----
    asked_before = copies_asked()
    b.open("/V/" + VALID)
    check("online: the server's page says SAH", b.text(".w") == "SAH",
          b.text(".w"))
    check("online: the page loads its one script, from us",
          b.d.find_elements("css selector",
                            "script[src='/V/sw-register.js']") != [])
    # ready: the registration whose scope is this page's, once its worker
    # is active (the script's timeout, 30 s, when it never is).
    state = run_js("""
        navigator.serviceWorker.ready.then(r => {
            const w = r.active, fin = () =>
                done(w.state + ' ' + new URL(r.scope).pathname);
            if (w.state === 'activated')
                return fin();
            w.addEventListener('statechange', () => {
                if (w.state !== 'activating') fin();
            });
        }, e => done('error ' + e));""")
    check("the worker for /V/ is installed and active",
          state == "activated /V/", state)
    # The other spelling's worker is registered once this one is active
    # (static/verify-register.js). Both active before the next page: in
    # about 2% of runs, a page opened while the second registration was
    # still being stored left Chromium routing no /v/ navigation to its
    # worker for the rest of the run (the browser's own network error
    # offline, though getRegistrations() said both were active). A
    # phone's next page comes seconds later, not milliseconds.
    regs = both_registered()
    check("two registrations, /V/ and /v/, both active", regs == BOTH, regs)
    # One install fetched the copies; the second found them just kept.
    once = asked_since(asked_before)
    check("the second worker's install fetched nothing again "
          "(shell, keys, list asked once each)", once == [1, 1, 1], once)
    # A second online page is one the worker serves from the network; its
    # refresh (after the page) keeps the status list too.
    b.open("/V/" + REVOKED)
    check("online, through the worker: the server's page says DICABUT",
          b.text(".w") == "DICABUT", b.text(".w"))
    deadline = time.time() + 30
    while time.time() < deadline:
        urls = kept_urls()
        if len(urls) >= 3:
            break
        time.sleep(0.2)  # the worker's refresh runs after the page
    paths = {u.split(" ", 1)[1] for u in urls}
    check("the worker keeps the keys, the status list and the shell",
          paths == ALLOWED, urls)
    check("and nothing else: no /V/ answer, no API answer",
          all(u.startswith(CACHE + " ") and u.split(" ", 1)[1] in ALLOWED
              for u in urls), urls)

    # ---- offline through the DevTools protocol ----
    served = pages_served()
    check("DevTools offline set on both workers", network(True) == 2)
    t0 = time.time()
    b.open("/V/" + VALID)
    word, st, line, stale, body = verdict()
    how = "DevTools offline"
    if st is None:
        # The emulation did not reach the worker's own fetch: take the
        # network away for real.
        print("# DevTools offline did not stop the worker's fetch: "
              "stopping the server", flush=True)
        stop_server()
        how = "server stopped"
        t0 = time.time()
        b.open("/V/" + VALID)
        word, st, line, stale, body = verdict()
    print("# offline by: %s" % how, flush=True)
    took = time.time() - t0
    check("offline, valid: SAH, from the worker (%s, %.1f s, not the "
          "10 s timeout)" % (how, took), word == "SAH" and st == "VALID"
          and took < 9, (word, st, took))
    check("offline, valid: 'diperiksa tanpa sambungan, status per <date>'",
          line.startswith("Diperiksa tanpa sambungan, status per ") and
          line.endswith(" WIB."), line)
    check("offline, valid: the list is fresh, no warning", stale == "", stale)
    check("offline, valid: the phone's time of the check",
          re.fullmatch(r"Waktu pemeriksaan: \d{1,2} \w+ \d{4} pukul "
                       r"\d\d\.\d\d WIB \(jam ponsel\)\.",
                       b.text("#checked")), b.text("#checked"))
    check("offline, valid: the serial, not the holder's name",
          serial_of(VALID) in body and
          "Nama pemegang" not in b.d.page_source, body)
    check("offline: the page has the online page's look (green box)",
          b.d.execute_script(
              "return getComputedStyle(document.querySelector('#verdict'))"
              ".backgroundColor") == "rgb(11, 122, 52)")
    shot("valid")

    for name, tok, want_word, want_state in (
            ("revoked", REVOKED, "DICABUT", "REVOKED"),
            ("superseded", SUPERSEDED, "DIGANTI", "SUPERSEDED"),
            ("forged", forge(VALID), "TIDAK SAH", "FORGED"),
            ("garbage", "BUKAN-TOKEN", "TIDAK SAH", "FORGED")):
        b.open("/V/" + tok)
        word, st, line, stale, body = verdict()
        check("offline, %s: %s" % (name, want_word),
              word == want_word and st == want_state, (word, st, body))
        if name in ("revoked", "forged"):
            shot(name)
    check("offline, forged: nothing of the document shown",
          "<dl>" not in b.d.page_source, body)

    # Tokens made here with the office's key (a second implementation of
    # docs/token.md) and with a stranger's.
    office = office_key()
    today = int(time.time() // 86400)
    serial = os.urandom(8)
    cases = (
        ("lower-case URL", "/v/" + VALID.lower(), "SAH", "VALID"),
        ("expired", "/V/" + token(office, 1, serial, today - 400, today - 35),
         "KEDALUWARSA", "EXPIRED"),
        ("v2 token, issuer 3510", "/V/" + token(office, 2, serial, today,
                                                  today + 365), "SAH", "VALID"),
        ("v2 token, nonzero reserved byte", None, "TIDAK SAH", "FORGED"),
        ("unknown key", "/V/" + token(Ed25519PrivateKey.generate(), 1, serial,
                                      today, today + 365),
         "TIDAK SAH", "UNKNOWN_KEY"),
    )
    for name, path, want_word, want_state in cases:
        if path is None:
            raw = bytearray(base64.b32decode(token(office, 2, serial, today,
                                                   today + 365)))
            raw[30] = 1
            path = "/V/" + b32(bytes(raw))
        b.open(path)
        word, st, line, stale, body = verdict()
        check("offline, %s: %s" % (name, want_word),
              word == want_word and st == want_state, (word, st, body))
        if name == "v2 token, issuer 3510":
            check("offline, v2: the issuer's code shown",
                  "3510" in b.text("dl"), b.text("dl"))
        if name == "unknown key":
            shot("unknown-key")

    check("offline: no /V/ page reached the server (%s)" % how,
          pages_served() == served, (served, pages_served()))
    if how == "DevTools offline":
        network(False)
        b.open("/V/" + VALID)
        check("back online: the server's page again, through the worker",
              b.text(".w") == "SAH" and "Nama pemegang" in b.d.page_source,
              b.body())
        check("back online: the server answered it",
              pages_served() == served + 1, (served, pages_served()))
        # Refreshing: a copy stored long ago is fetched again after the
        # next page online; a newer list replaces a kept one, an older
        # one (a replayed answer) never does.
        office = office_key()
        now = datetime.datetime.now(datetime.timezone.utc).replace(
            microsecond=0)
        hour = datetime.timedelta(hours=1)
        older = status_list(office, now - 3 * hour, now + 21 * hour, [])
        newer = status_list(office, now + hour, now + 25 * hour, [])
        put_status(older, stored=0)
        b.open("/V/" + VALID)
        check("online: a kept list older than the server's is replaced",
              wait_for(lambda: kept_status() not in (older, "")) and
              kept_status().startswith("terbit-status 1\n"), kept_status())
        asked = status_fetches()
        put_status(newer, stored=0)
        b.open("/V/" + VALID)
        fetched = wait_for(lambda: status_fetches() > asked)
        # Keeping leaves no trace to wait for: the worker decides within
        # milliseconds of the answer, so 2 s without a change is a keep.
        replaced = wait_for(lambda: kept_status() != newer, 2)
        check("online: a kept list newer than the server's is kept "
              "(the server was asked)", fetched and not replaced,
              (fetched, kept_status()))
        # The server's own again, for what follows.
        put_status(older, stored=0)
        b.open("/V/" + VALID)
        wait_for(lambda: kept_status() != older)
    # The other way to be offline: the server itself gone (connection
    # refused), as when the office's line is down.
    if how == "DevTools offline":
        stop_server()
        b.open("/V/" + REVOKED)
        check("server stopped: the worker answers DICABUT",
              verdict()[1] == "REVOKED", verdict())

    # ---- the status list: stale, and not what its signature says ----
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    old = now - datetime.timedelta(days=3)
    entries = [(serial_of(REVOKED), "R", old.strftime("%Y-%m-%d")),
               (serial_of(SUPERSEDED), "S", old.strftime("%Y-%m-%d"))]
    text = status_list(office, old, old + datetime.timedelta(hours=24), entries)
    check("a stale list signed with the office's key is put in the cache",
          put_status(text) == "ok")
    b.open("/V/" + VALID)
    word, st, line, stale, body = verdict()
    check("offline, stale list: still SAH, with a warning",
          word == "SAH" and st == "VALID" and stale.startswith("Peringatan"),
          (word, st, stale))
    check("offline, stale list: amber, not green", b.d.execute_script(
        "return getComputedStyle(document.querySelector('#verdict'))"
        ".backgroundColor") == "rgb(161, 92, 7)")
    # The page says the time in WIB (UTC+7): from 17.00 UTC that is
    # the next day's date.
    wib = old + datetime.timedelta(hours=7)
    want = "%d %s %d" % (wib.day, ("Januari Februari Maret April Mei Juni Juli "
                                   "Agustus September Oktober November "
                                   "Desember").split()[wib.month - 1], wib.year)
    check("offline, stale list: 'status per' the list's date", want in line,
          (want, line))
    shot("stale")
    b.open("/V/" + REVOKED)
    check("offline, stale list: revoked stays DICABUT",
          verdict()[1] == "REVOKED")

    # The same list with the revoked entry made an X and its signature
    # kept: the worker must not believe it.
    tampered = text.replace("%s R" % serial_of(REVOKED), "%s X" % serial_of(REVOKED))
    check("a tampered list is put in the cache", put_status(tampered) == "ok")
    b.open("/V/" + REVOKED)
    word, st, line, stale, body = verdict()
    check("offline, tampered list: BELUM PASTI, not SAH and not believed",
          st == "NO_STATUS" and "tidak sah" in body, (word, st, body))
    unsigned_by_us = status_list(Ed25519PrivateKey.generate(), now,
                                 now + datetime.timedelta(hours=24), [])
    put_status(unsigned_by_us)
    b.open("/V/" + REVOKED)
    check("offline, a list signed by another key: BELUM PASTI",
          verdict()[1] == "NO_STATUS")

    # The worked example of docs/token.md, as the docs print it: its key
    # (seed 00 01 .. 1f) as the kept keys, its list as the kept list, and
    # a token of that key for its revoked serial.
    docs = open(os.path.join(os.path.dirname(__file__), "..", "..", "docs",
                             "token.md")).read()
    vector = re.search(r"```\n(terbit-status 1\nissuer 3510\nkid 56475aa7\n"
                       r".*?\nsig [A-Za-z0-9_-]+\n)```", docs, re.S)
    check("docs/token.md has the status list's worked example", vector)
    seed = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    put_status(json.dumps({"format": "terbit-keys-1", "qr_keys": [{
        "kid": kid_of(seed).hex(), "kty": "OKP", "crv": "Ed25519",
        "x": base64.urlsafe_b64encode(raw_pub(seed)).decode().rstrip("="),
        "current": True}]}), path="/.well-known/terbit/keys")
    put_status(vector.group(1) if vector else "")
    b.open("/V/" + token(seed, 2, bytes.fromhex("0123456789ABCDEF"), today,
                         today + 365))
    word, st, line, stale, body = verdict()
    check("the docs' list read by the worker: its R entry is DICABUT",
          st == "REVOKED", (word, st, body))
    check("the docs' list: status per 30 November 2026 pukul 17.30 WIB",
          "status per 30 November 2026 pukul 17.30 WIB" in line, line)

    check("offline: still nothing but the three copies kept",
          {u.split(" ", 1)[1] for u in kept_urls()} <= ALLOWED)
    check("offline pages made no request past themselves (CSP)",
          not b.csp_refusals(), b.csp_refusals())
except WebDriverException as e:
    check("browser", False, e.msg)
finally:
    b.close()
done()
