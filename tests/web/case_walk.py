"""The whole case in the browser, for tests/web_case.sh: four people
signing in in turn, each doing what their page offers.

    case_walk.py URL PASSWORD TMPDIR SHOTS

Prints ok/FAIL lines (browser.check), and "CASE <id>" / "EVIL_CASE <id>"
for the shell script's database checks. The letter is downloaded into
TMPDIR/dl/ with the operator's own session cookie.
"""
import os
import sys
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from browser import Browser, check, done, _gone

url, pw, tmp, shots = sys.argv[1:5]
DESA, KEC = "desa-3510052002", "kecamatan-351005"
NIK = "3510055501900091"            # a woman born 15 January 1990
EVIL_NIK = "3510054101920092"       # a woman born 1 January 1992
EVIL = "<script>alert(1)</script> \"'& \u202e \U0001F600"
NOTE = "Rujukan buram " + EVIL


def click(b, css):
    """Clicks the element and waits for the next page."""
    page = b.d.find_element(By.TAG_NAME, "html")
    b.d.find_element(By.CSS_SELECTOR, css).click()
    WebDriverWait(b.d, 90).until(lambda d: _gone(page))


def sign_in(b, name):
    b.open("/masuk")
    b.fill(name=name, password=pw).submit()


def sign_out(b):
    b.submit(form_action="/keluar")


def register(b, **f):
    b.open("/penduduk/baru")
    for k, v in f.items():
        if k == "sex":
            Select(b.d.find_element(By.NAME, "sex")).select_by_value(v)
        else:
            b.fill(**{k: v})
    b.submit(form_action="/penduduk/baru")


def case_id(b):
    return b.path().split("/")[2].split("?")[0]


def upload(b, cid, kind, path):
    Select(b.d.find_element(By.NAME, "kind")).select_by_value(kind)
    b.d.find_element(By.ID, "file").send_keys(path)
    b.submit(form_action="/kasus/%s/lampiran" % cid)


def move(b, to):
    click(b, "button[name=to][value=%s]" % to)


def escaped(b):
    """What was typed is on the page as text, and made no element: the
    browser's DOM has no script, and the text reads as typed (the raw
    HTML's entities are checked by the shell script with curl)."""
    return (not b.d.find_elements(By.TAG_NAME, "script")
            and "<script>alert(1)</script>" in b.body()
            and "\U0001F600" in b.body())


b = Browser(url)
try:
    # 1. The village operator: a new resident, a case, the referral.
    sign_in(b, DESA)
    check("operator: the village home", b.h1() == "Beranda", b.h1())
    fields = dict(nik="35100555019000", kk="3510051000010091", name="Wulan Sari",
                  birth_place="Muncar", birth_date="1990-01-15", sex="P",
                  address="Dusun Krajan No. 7", rt="3", rw="1",
                  village_code="35.10.05.2002")
    register(b, **fields)
    err = b.text("#nik-err")
    check("register: a bad NIK refused beside the field", "16" in err, err)
    nik_in = b.d.find_element(By.ID, "f-nik")
    check("register: the field points at its message",
          nik_in.get_attribute("aria-describedby").split()[0] == "nik-err")
    check("register: what was typed is kept",
          b.d.find_element(By.ID, "f-name").get_attribute("value") == "Wulan Sari"
          and b.d.find_element(By.ID, "f-address").get_attribute("value") == "Dusun Krajan No. 7"
          and nik_in.get_attribute("value") == "35100555019000")
    fields["nik"] = NIK
    register(b, **fields)
    check("register: stored, on the resident's page", b.path().startswith("/penduduk/" + NIK),
          b.path())
    b.submit(form_action="/kasus")
    cid = case_id(b)
    print("CASE " + cid, flush=True)
    check("open: the new case is a draft", "Draf" in b.text(".meta"), b.text(".meta"))
    upload(b, cid, "rujukan", os.path.join(tmp, "rujukan.pdf"))
    check("upload: the referral is listed", "rujukan.pdf" in b.text(".att"), b.text(".att"))
    move(b, "submitted")
    check("submit: the case is submitted", "Diajukan" in b.text(".meta"), b.text(".meta"))

    # A second resident whose fields carry the escaping test, with a draft.
    register(b, nik=EVIL_NIK, kk="3510051000010092", name="Evi " + EVIL,
             birth_place="Tempat <b>" + EVIL, birth_date="1992-01-01", sex="P",
             address="Jalan <i>" + EVIL, rt="4", rw="2", village_code="3510052002")
    check("register: the escaping resident stored", b.path().startswith("/penduduk/" + EVIL_NIK),
          b.path())
    check("resident page: the fields come back as typed",
          b.d.find_element(By.ID, "f-name").get_attribute("value") == "Evi " + EVIL)
    b.submit(form_action="/kasus")
    print("EVIL_CASE " + case_id(b), flush=True)
    check("case page: the evil name escaped", escaped(b))
    sign_out(b)

    # 2. Dinkes: the referral inline; back with a note; then confirmed.
    sign_in(b, "dinkes")
    b.open("/kasus/" + cid)
    frames = b.d.find_elements(By.CSS_SELECTOR, "iframe.doc")
    check("dinkes: the referral shown inline",
          len(frames) == 1 and frames[0].get_attribute("src").endswith("/kasus/%s/lampiran/" % cid
                                                                    + frames[0].get_attribute("src").rsplit("/", 1)[1]))
    move(b, "returned")
    check("dinkes: return without a note refused beside it",
          "catatan" in b.text("#note-err").lower(), b.text("#note-err"))
    b.fill(note=NOTE)
    move(b, "returned")
    check("dinkes: the case is returned", "Dikembalikan" in b.text(".meta"), b.text(".meta"))
    sign_out(b)

    sign_in(b, DESA)
    check("operator home: the returned case with the note",
          "Rujukan buram" in b.text(".said") and "dinkes" in b.text(".said"), b.text(".said"))
    check("operator home: the note escaped", escaped(b))
    b.open("/kasus/" + cid)
    check("case page: the note on top",
          "Dikembalikan oleh dinkes" in b.text(".alert") and "Rujukan buram" in b.text(".alert"),
          b.text(".alert"))
    check("case page: the note escaped", escaped(b))
    # The fix: a correction with its reason, while the case is back.
    b.open("/penduduk/" + NIK)
    fixed = b.text(".field.fixed")
    check("correction: the NIK shown read-only with why", "penduduk baru" in fixed, fixed)
    check("correction: the village code read-only while a case runs",
          not b.d.find_elements(By.ID, "f-village_code")
          and "kode desa" in b.body().lower())
    b.fill(address="Dusun Krajan No. 17")
    b.submit(form_action="/penduduk/" + NIK)
    check("correction: a reason is required, beside it", b.text("#reason-err") != "",
          b.body()[:200])
    check("correction: what was typed is kept",
          b.d.find_element(By.ID, "f-address").get_attribute("value") == "Dusun Krajan No. 17")
    b.fill(reason="Nomor rumah salah ketik")
    b.submit(form_action="/penduduk/" + NIK)
    check("correction: saved", "Koreksi sudah disimpan" in b.text(".notice"), b.text(".notice"))
    hist = b.text("table")
    check("correction: old and new value, reason in the history",
          "Dusun Krajan No. 7" in hist and "Dusun Krajan No. 17" in hist
          and "Nomor rumah salah ketik" in hist, hist)
    b.open("/kasus/" + cid)
    move(b, "submitted")
    check("resubmitted", "Diajukan" in b.text(".meta"), b.text(".meta"))
    sign_out(b)

    sign_in(b, "dinkes")
    b.open("/kasus/" + cid)
    move(b, "health_checked")
    check("dinkes: confirmed", "Diperiksa Dinas Kesehatan" in b.text(".meta"), b.text(".meta"))
    check("dinkes: the corrected address on the case page",
          "Dusun Krajan No. 17" in b.text(".facts"), b.text(".facts"))
    sign_out(b)

    # 3. The survey: part, then the rest, then on to the kecamatan.
    sign_in(b, DESA)
    check("operator home: the case waits for its survey",
          "Menunggu jawaban survei" in b.body(), b.body()[:300])
    b.open("/kasus/%s/survei" % cid)
    qs = b.d.find_elements(By.CSS_SELECTOR, "fieldset.q")
    check("survey: a group of radio buttons per active indicator", len(qs) >= 10, len(qs))
    labels = [e.text for e in b.d.find_elements(By.CSS_SELECTOR, "fieldset.q label")]
    check("survey: answers shown by their labels, not numbers",
          labels and not any(l.strip().isdigit() for l in labels), labels[:4])
    b.shot(shots + "/survei-1280.png", 1280)
    b.shot(shots + "/survei-360.png", 360)
    b.d.set_window_size(1280, 900)
    half = len(qs) // 2

    def answer(group):
        # The poorest answer (value 1) of each: the household qualifies.
        group.find_element(By.CSS_SELECTOR, "input[type=radio][value='1']").click()
    for q in qs[:half]:
        answer(q)
    b.submit(form_action="/kasus/%s/survei" % cid)
    check("survey: a partial save", b.path().startswith("/kasus/%s/survei" % cid)
          and "disimpan" in b.text(".notice"), b.path())
    checked = b.d.find_elements(By.CSS_SELECTOR, "fieldset.q input:checked")
    check("survey: saved answers pre-checked", len(checked) == half, len(checked))
    for q in b.d.find_elements(By.CSS_SELECTOR, "fieldset.q")[half:]:
        answer(q)
    b.submit(form_action="/kasus/%s/survei" % cid)
    check("survey: complete, back on the case page", b.path() == "/kasus/%s?ok=survei" % cid,
          b.path())
    check("case page: the score against the threshold",
          "1,000 < 2,107" in b.text("#h-survey + table + p") or "1,000 < 2,107" in b.body(),
          b.body()[:200])
    move(b, "surveyed")
    check("survey moved on", "Disurvei" in b.text(".meta"), b.text(".meta"))
    sign_out(b)

    # 4. Kecamatan.
    sign_in(b, KEC)
    b.open("/kasus/" + cid)
    check("kecamatan: the answers with their labels", len(
        b.d.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=h-survey] tbody tr")) >= 10)
    move(b, "recommended")
    check("kecamatan: recommended", "Direkomendasikan" in b.text(".meta"), b.text(".meta"))
    sign_out(b)

    # 5. The verification results.
    sign_in(b, DESA)
    check("operator home: waits for the verification upload",
          "Menunggu unggahan hasil verifikasi" in b.body())
    b.open("/kasus/" + cid)
    move(b, "verified")
    check("moving on without the verification refused, with why",
          b.text(".alert") != "" and "Direkomendasikan" in b.text(".meta"), b.text(".alert"))
    upload(b, cid, "verifikasi", os.path.join(tmp, "verifikasi.pdf"))
    move(b, "verified")
    check("verification uploaded and moved on", "Hasil Verifikasi Diunggah" in b.text(".meta"),
          b.text(".meta"))
    sign_out(b)

    # 6. Dinsos approves and issues.
    sign_in(b, "dinsos")
    b.open("/kasus/" + cid)
    rules = b.d.find_elements(By.CSS_SELECTOR, ".rules li.pass")
    check("dinsos: every rule passes, rule by rule", len(rules) == len(
        b.d.find_elements(By.CSS_SELECTOR, ".rules li")) and len(rules) >= 4)
    move(b, "approved")
    check("dinsos: approved", "Disetujui" in b.text(".meta"), b.text(".meta"))
    b.submit(form_action="/kasus/%s/terbitkan" % cid)
    check("dinsos: issued, confirmed", "diterbitkan" in b.text(".notice"), b.text(".notice"))
    pills = [e.text for e in b.d.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=h-docs] .pill")]
    check("dinsos: a letter and a card, SAH", pills == ["SAH", "SAH"], pills)
    check("dinsos: nothing left to issue",
          not b.d.find_elements(By.CSS_SELECTOR, "form[action='/kasus/%s/terbitkan']" % cid))
    sign_out(b)

    # 7. The operator downloads the letter.
    sign_in(b, DESA)
    links = [a.get_attribute("href") for a in
             b.d.find_elements(By.CSS_SELECTOR, "a[href^='/unduh/'], a[href*='/unduh/']")]
    check("operator home: two documents ready to download", len(links) == 2, links)
    b.shot(shots + "/beranda-desa-1280.png", 1280)
    b.shot(shots + "/beranda-desa-360.png", 360)
    b.d.set_window_size(1280, 900)
    b.open("/kasus/" + cid)

    def shot_framed(path, width):
        # The PDF viewer in the frames paints after the page: give it a
        # moment at the final size, or the screenshot shows grey boxes.
        b.shot(path, width)
        time.sleep(2)
        b.d.save_screenshot(path)
    shot_framed(shots + "/kasus-1280.png", 1280)
    shot_framed(shots + "/kasus-360.png", 360)
    b.d.set_window_size(1280, 900)
    letter = [a for a in b.d.find_elements(By.CSS_SELECTOR, "a[href*='/unduh/']")
              if "Surat" in a.find_element(By.XPATH, "./ancestor::tr").text]
    check("case page: the letter's Unduh link", len(letter) == 1)
    href = letter[0].get_attribute("href")
    rq = urllib.request.Request(href, headers={"Cookie": "terbit_sid=" + b.cookie("terbit_sid")})
    with urllib.request.urlopen(rq) as r:
        cd = r.headers.get("Content-Disposition", "")
        data = r.read()
    name = cd.split('filename="')[1].rstrip('"') if 'filename="' in cd else "x.pdf"
    os.makedirs(os.path.join(tmp, "dl"), exist_ok=True)
    with open(os.path.join(tmp, "dl", name), "wb") as f:
        f.write(data)
    check("download: a PDF as an attachment", data[:5] == b"%PDF-" and cd.startswith("attachment"), cd)
    b.open("/")
    left = b.d.find_elements(By.CSS_SELECTOR, "a[href*='/unduh/']")
    check("operator home: the downloaded letter left the ready list, the card stays",
          len(left) == 1 and "Kartu" in b.body(), len(left))
    errs = b.csp_refusals()
    check("the CSP refused nothing on these pages", not errs, errs)
finally:
    b.close()
done()
