"""Compares the dashboard page's figures with the CSV and the PDF report
(pdftotext -layout) made from the same stats (tests/web_dashboard.sh).

    dashboard_check.py counts PAGE.html FILE.csv      per state per area
    dashboard_check.py waits PAGE.html FILE.csv       stage medians, p90
    dashboard_check.py pdf PAGE.html REPORT.txt       counts and waits

Prints "ok   - ..." / "FAIL - ..." lines (tests/lib.sh counts them).
"""
import csv
import io
import re
import sys
from html.parser import HTMLParser

from browser import check, done


class Tables(HTMLParser):
    """Every table with an id: its rows as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self.cur, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id"):
            self.cur = self.tables.setdefault(a["id"], [])
        elif tag == "tr" and self.cur is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.cur = None
        elif tag == "tr" and self.row is not None:
            self.cur.append(self.row)
            self.row = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def page_tables(path):
    t = Tables()
    t.feed(open(path, encoding="utf-8").read())
    return t.tables


def csv_block(path, title):
    """The rows of the CSV block under the one-cell row `title`."""
    rows = list(csv.reader(io.StringIO(open(path, encoding="utf-8-sig").read())))
    out, on = [], False
    for r in rows:
        if r == [title]:
            on = True
            continue
        if on:
            if not r or r == [""]:
                break
            out.append(r)
    return out


def plain(n):
    return n.replace(".", "")


def duration_bounds(s):
    """The seconds a page duration string stands for: [lo, hi)."""
    if s == "kurang dari 1 menit":
        return 0, 60
    m = re.fullmatch(r"(\d+) hari(?: (\d+) jam)?", s)
    if m:
        d, h = int(m.group(1)), int(m.group(2) or 0)
        lo = d * 86400 + h * 3600
        return lo, lo + (3600 if m.group(2) or d < 10 else 86400)
    m = re.fullmatch(r"(\d+) jam(?: (\d+) menit)?", s)
    if m:
        h, mi = int(m.group(1)), int(m.group(2) or 0)
        lo = h * 3600 + mi * 60
        return lo, lo + (60 if h < 10 else 3600)
    m = re.fullmatch(r"(\d+) menit", s)
    if m:
        return int(m.group(1)) * 60, int(m.group(1)) * 60 + 60
    raise ValueError(s)


def counts(page, csvf):
    rows = page_tables(page)["per-status"]
    head, body = rows[0], rows[1:]
    blk = csv_block(csvf, "Kasus per status")
    check("csv: the states' columns are the page's", blk[0][2:] == head[1:],
          "%r vs %r" % (blk[0][2:], head[1:]))
    by_name = {r[1] if r[1] else r[0]: [plain(x) for x in r[2:]] for r in blk[1:]}
    by_name["Jumlah"] = by_name.pop("Semua", None)
    check("csv: as many areas as the page", len(by_name) == len(body),
          "%d vs %d" % (len(by_name), len(body)))
    bad = [r[0] for r in body if by_name.get(r[0]) != [plain(x) for x in r[1:]]]
    check("csv: every area's count per state equals the page's (%d rows)" % len(body),
          not bad, bad[:5])


def waits(page, csvf):
    rows = page_tables(page)["per-tahap"][1:]
    blk = csv_block(csvf, "Waktu tunggu per tahap (jam)")
    semua = {r[2]: r for r in blk[1:] if r[1] == "Semua"}
    bad, n = [], 0
    for r in rows:
        stage, median, p90 = r[0], r[3], r[4]
        c = semua.get(stage)
        if c is None:
            bad.append(stage + ": not in csv")
            continue
        if plain(r[2]) != c[4]:
            bad.append(stage + ": n %s vs %s" % (r[2], c[4]))
        for shown, hours in ((median, c[5]), (p90, c[6])):
            if shown == "-":
                if c[4] != "0":
                    bad.append(stage + ": - with cases")
                continue
            lo, hi = duration_bounds(shown)
            sec = float(hours) * 3600
            n += 1
            # the CSV's hours carry two decimals: 18 s either way
            if not (lo - 18 <= sec < hi + 18):
                bad.append("%s: %r vs %s h" % (stage, shown, hours))
    check("csv: every stage's median and p90 is the page's (%d figures)" % n,
          not bad and n > 0, bad[:5])


def pdf(page, txt):
    text = open(txt, encoding="utf-8").read()
    lines = [l.strip() for l in text.splitlines()]
    t = page_tables(page)
    body = t["per-status"][1:]
    found = {}
    for l in lines:
        m = re.fullmatch(r"(\S.*?)\s+((?:[\d.]+\s+){9}[\d.]+)", l)
        if m:
            found[m.group(1)] = m.group(2).split()
    bad = [r[0] for r in body if found.get(r[0]) != r[1:]]
    check("pdf: every area's count per state equals the page's (%d rows)" % len(body),
          not bad and body, bad[:5])
    bad = []
    for r in t["per-tahap"][1:]:
        line = next((l for l in lines if l.startswith(r[0] + " ")), "")
        rest = line[len(r[0]):]
        # limit, cases, median, p90 in this order on the PDF's row
        want = [r[1], r[2], r[3], r[4]]
        pos = 0
        for w in want:
            i = rest.find(w, pos)
            if i < 0:
                bad.append("%s: %r not in %r" % (r[0], w, line))
                break
            pos = i + len(w)
    check("pdf: every stage's limit, cases, median and p90 is the page's", not bad, bad[:4])


if __name__ == "__main__":
    {"counts": counts, "waits": waits, "pdf": pdf}[sys.argv[1]](*sys.argv[2:])
    done()
