#include "http/page.h"

#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/str.h"
#include "core/html.h"
#include "core/json.h"
#include "sign/token.h"

/*
 * One row per state: the word, what it means for the person at the
 * counter, and the colour class. UNKNOWN and FORGED read the same to a
 * nurse ("do not accept"); the module's label below the word says which.
 */
static const struct {
	const char *word, *meaning, *cls;
} looks[] = {
	[VERIFY_VALID] = { "SAH", "Dokumen asli, terdaftar, dan masih berlaku.",
			   "ok" },
	[VERIFY_REVOKED] = { "DICABUT",
			     "Dokumen ini sudah dicabut dan tidak berlaku lagi. "
			     "Jangan diterima.", "bad" },
	[VERIFY_SUPERSEDED] = { "DIGANTI",
				"Dokumen ini sudah diganti dengan yang lebih baru. "
				"Minta dokumen pengganti.", "warn" },
	[VERIFY_EXPIRED] = { "KEDALUWARSA",
			     "Masa berlaku dokumen ini sudah habis.", "warn" },
	[VERIFY_UNKNOWN] = { "TIDAK SAH",
			     "Kode ini tidak terdaftar pada kami. Jangan diterima.",
			     "bad" },
	[VERIFY_FORGED] = { "TIDAK SAH",
			    "Kode ini palsu atau rusak. Jangan diterima.", "bad" },
	/* A foreign issuer's status list past its "next": the signature
	 * holds, whether the document is still in force is not known. */
	[VERIFY_STALE] = { "BELUM PASTI",
			   "Kode asli, tetapi daftar status penerbitnya sudah "
			   "kedaluwarsa. Hubungi penerbit sebelum diterima.",
			   "warn" },
};

static const char style[] =
	"*{box-sizing:border-box}"
	"body{margin:0;font:17px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,"
	"'Noto Sans','DejaVu Sans',sans-serif;color:#1c1c1c;background:#eef0f2}"
	"main{max-width:32rem;margin:0 auto;padding:1rem}"
	".top{margin:.25rem 0 .75rem;font-size:.9rem;color:#555;letter-spacing:.02em}"
	".st{border-radius:14px;padding:1.25rem 1rem;color:#fff;text-align:center}"
	".ok{background:#0b7a34}.bad{background:#b42318}.warn{background:#a15c07}"
	".w{font-size:2.6rem;font-weight:800;letter-spacing:.04em;line-height:1.1}"
	".sub{font-size:.85rem;font-weight:700;opacity:.9;margin-top:.2rem}"
	".m{font-size:1.05rem;margin-top:.6rem}"
	".why{font-size:.9rem;margin-top:.5rem;opacity:.95}"
	"dl{background:#fff;border-radius:14px;margin:1rem 0 0;padding:.25rem 1rem}"
	"dt{font-size:.8rem;color:#5b6168;margin-top:.7rem;text-transform:uppercase;"
	"letter-spacing:.04em}"
	"dd{margin:0 0 .6rem;font-size:1.1rem;font-weight:600;word-break:break-word;"
	"padding-bottom:.55rem;border-bottom:1px solid #e6e8eb}"
	"dd:last-child{border-bottom:0}"
	".t{font-size:.95rem;font-weight:700;margin-top:.7rem;padding-top:.6rem;"
	"border-top:1px solid rgba(255,255,255,.45)}"
	".r{border-radius:14px;padding:.9rem 1rem;margin:1rem 0 0;color:#fff}"
	".rw{font-size:1.5rem;font-weight:800;letter-spacing:.03em}"
	"form{background:#fff;border-radius:14px;margin:1rem 0 0;padding:1rem}"
	"label{display:block;font-weight:700;margin-bottom:.2rem}"
	".h{font-size:.85rem;color:#5b6168;margin:0 0 .5rem}"
	"input{width:100%;font:inherit;font-size:1.3rem;letter-spacing:.08em;"
	"padding:.55rem .6rem;border:2px solid #8a9099;border-radius:10px}"
	"button{margin-top:.6rem;width:100%;font:inherit;font-weight:700;"
	"padding:.7rem;border:0;border-radius:10px;background:#1d4f91;color:#fff}"
	".n{font-size:.85rem;color:#555;margin:1rem .25rem}";

/* The head before the title, and after the style up to <main>'s first
 * line: the page's and the offline shell's, so both look the same. */
#define HEAD_META "<!doctype html><html lang=\"id\"><head>" \
		  "<meta charset=\"utf-8\">" \
		  "<meta name=\"viewport\" content=\"width=device-width," \
		  "initial-scale=1\">" \
		  "<meta name=\"referrer\" content=\"no-referrer\">"
#define HEAD_MAIN "</head><body><main>" \
		  "<p class=\"top\">Verifikasi Dokumen &middot; terbit</p>"
/* The page's one script: it only installs the offline verifier (the page
 * is complete without it); the shell has none. */
#define PAGE_SW_SCRIPT "<script src=\"" PAGE_SW_REGISTER "\" defer></script>"

const char *page_status_word(enum verify_state s)
{
	return (unsigned)s < ARRAY_SIZE(looks) ? looks[s].word : "TIDAK SAH";
}

/* <dt>label</dt><dd>value</dd>, skipped when the value is empty. */
static int row(struct buf *out, const char *label, const char *value)
{
	if (!value || !*value)
		return 0;
	int rc = buf_adds(out, "<dt>");
	if (rc == 0)
		rc = buf_adds(out, label);
	if (rc == 0)
		rc = buf_adds(out, "</dt><dd>");
	if (rc == 0)
		rc = html_escape(out, value);
	return rc ? rc : buf_adds(out, "</dd>");
}

static int rows(struct buf *out, const struct verify_result *r)
{
	const struct store_document *d = &r->doc;
	struct verify_view v;
	int card = strcmp(d->kind, "card") == 0;
	int rc = verify_view_init(&v, r);
	if (rc == 0)
		rc = buf_adds(out, "<dl>");
	if (rc == 0)
		rc = row(out, "Jenis dokumen", verify_kind_label(d->kind));
	if (rc == 0)
		rc = row(out, card ? "Nomor kartu" : "Nomor surat", v.number);
	if (rc == 0)
		rc = row(out, "Nama pemegang", v.name);
	if (rc == 0)
		rc = row(out, "NIK", v.nik);
	if (rc == 0)
		rc = row(out, "Tanggal terbit", v.issued_label);
	if (rc == 0)
		rc = row(out, "Berlaku sampai", v.expires_label);
	if (rc == 0)
		rc = row(out, "Faskes tingkat pertama", d->faskes);
	if (rc == 0)
		rc = row(out, "Diterbitkan oleh", d->office);
	/* What to ask the holder for: the new document by its number. */
	if (rc == 0 && r->state == VERIFY_SUPERSEDED)
		rc = row(out, card ? "Diganti oleh kartu nomor"
				   : "Diganti oleh surat nomor",
			 v.successor);
	if (rc == 0 && r->state == VERIFY_SUPERSEDED)
		rc = row(out, "Nomor seri pengganti", d->superseded_by);
	if (rc == 0)
		rc = buf_adds(out, "</dl>");
	verify_view_release(&v);
	return rc;
}

/* The NIK form's answer: one coloured box, the word first. */
static const struct {
	const char *cls, *word, *text;
} nik_answers[] = {
	[PAGE_NIK_MATCH] = { "ok", "NIK COCOK",
			     "NIK yang diketik sama dengan NIK pemegang "
			     "dokumen ini." },
	[PAGE_NIK_MISMATCH] = { "bad", "NIK TIDAK COCOK",
				"NIK yang diketik tidak sama dengan NIK "
				"pemegang dokumen ini. Periksa lagi angka di "
				"KTP; bila tetap tidak cocok, dokumen ini "
				"bukan milik orang tersebut." },
	[PAGE_NIK_BAD] = { "warn", "NIK BELUM DIPERIKSA",
			   "NIK harus 16 angka, persis seperti tertulis di "
			   "KTP." },
};

static int nik_answer(struct buf *out, enum page_nik nik)
{
	int rc = 0;
	if (nik > PAGE_NIK_NONE && nik <= PAGE_NIK_BAD) {
		const char *const box[] = {
			"<section class=\"r ", nik_answers[nik].cls,
			"\" role=\"status\"><div class=\"rw\">",
			nik_answers[nik].word, "</div>", nik_answers[nik].text,
			"</section>",
		};
		for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(box); i++)
			rc = buf_adds(out, box[i]);
	}
	return rc;
}

static int nik_form(struct buf *out)
{
	/* Without an action it posts to the page's own URL, so the token is
	 * not written into the page; the typed NIK is never put back in the
	 * field. No CSRF token: the form changes nothing and has no
	 * session; the strict per-address limit is its guard. */
	return buf_adds(out,
			"<form method=\"post\">"
			"<label for=\"nik\">Cocokkan NIK dengan KTP</label>"
			"<p class=\"h\">Ketik 16 angka NIK dari KTP asli "
			"pemegang.</p>"
			"<input id=\"nik\" name=\"nik\" inputmode=\"numeric\" "
			"autocomplete=\"off\" maxlength=\"20\" required>"
			"<button type=\"submit\">Periksa NIK</button>"
			"</form>");
}

int page_verify(struct buf *out, const struct verify_result *r,
		const struct page_check *c)
{
	enum verify_state s = (unsigned)r->state < ARRAY_SIZE(looks)
				      ? r->state : VERIFY_FORGED;
	/* Pieces appended in order, no printf: the page is made for every
	 * verification and a format string this long cost half of it. */
	const char *const head[] = {
		HEAD_META
		"<title>", looks[s].word, ": Verifikasi Dokumen</title><style>",
		style, "</style>" PAGE_SW_SCRIPT HEAD_MAIN
		"<section class=\"st ", looks[s].cls, "\"><div class=\"w\">",
		looks[s].word, "</div>",
	};
	/* Room for the whole page at once (about 4 KB). */
	int rc = buf_grow(out, 4096);
	for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(head); i++)
		rc = buf_adds(out, head[i]);
	/* The module's own word when it says more than the big one. */
	if (rc == 0 && strcmp(verify_state_label(s), looks[s].word) != 0) {
		rc = buf_adds(out, "<div class=\"sub\">");
		if (rc == 0)
			rc = buf_adds(out, verify_state_label(s));
		if (rc == 0)
			rc = buf_adds(out, "</div>");
	}
	if (rc == 0)
		rc = buf_adds(out, "<div class=\"m\">");
	if (rc == 0)
		rc = buf_adds(out, looks[s].meaning);
	if (rc == 0)
		rc = buf_adds(out, "</div>");
	if (rc == 0 && s != VERIFY_VALID && r->detail[0]) {
		rc = buf_adds(out, "<div class=\"why\">");
		if (rc == 0)
			rc = html_escape(out, r->detail);
		if (rc == 0)
			rc = buf_adds(out, "</div>");
	}
	if (rc == 0)
		rc = buf_adds(out, "<div class=\"t\">Diperiksa ");
	if (rc == 0)
		rc = c->now < 0 ? buf_addc(out, PAGE_TIME_MARK)
				: fmt_time_id(out, c->now);
	if (rc == 0)
		rc = buf_adds(out, "</div></section>");
	/* The answer first, where the eye is after sending the form. */
	if (rc == 0 && r->found)
		rc = nik_answer(out, c->nik);
	if (rc == 0 && r->found)
		rc = rows(out, r);
	if (rc == 0 && r->found)
		rc = nik_form(out);
	if (rc == 0)
		rc = buf_adds(out,
			      "<p class=\"n\">Nama dan NIK disamarkan untuk "
			      "melindungi data pribadi. Cocokkan dengan KTP asli "
			      "pemegang dokumen.</p></main></body></html>\n");
	return rc;
}

int page_stamp(struct buf *out, const char *body, size_t len, int64_t now)
{
	const char *mark = memchr(body, PAGE_TIME_MARK, len);
	if (!mark)
		return buf_add(out, body, len);
	size_t head = (size_t)(mark - body);
	int rc = buf_add(out, body, head);
	if (rc == 0)
		rc = fmt_time_id(out, now);
	return rc ? rc : buf_add(out, mark + 1, len - head - 1);
}

/*
 * The words the worker takes from here rather than keeping its own copy,
 * so the offline page says what the online one says: per state its big
 * word, the module's label, the colour class and the meaning; the
 * document kinds by token kind byte.
 */
static int shell_words(struct buf *out)
{
	struct json j;
	json_init(&j, out);
	json_obj_open(&j, NULL);
	json_obj_open(&j, "states");
	for (int s = VERIFY_VALID; s <= VERIFY_FORGED; s++) {
		json_obj_open(&j, verify_state_name(s));
		json_str(&j, "word", looks[s].word);
		json_str(&j, "label", verify_state_label(s));
		json_str(&j, "cls", looks[s].cls);
		json_str(&j, "meaning", looks[s].meaning);
		json_obj_close(&j);
	}
	json_obj_close(&j);
	/* By the token's kind byte, which is all the worker has. */
	_Static_assert(TOKEN_LETTER == 1 && TOKEN_CARD == 2,
		       "the kinds' keys below are the token's kind bytes");
	json_obj_open(&j, "kinds");
	json_str(&j, "1", verify_kind_label("letter"));
	json_str(&j, "2", verify_kind_label("card"));
	json_obj_close(&j);
	json_obj_close(&j);
	return json_finish(&j);
}

int page_offline_shell(struct buf *out)
{
	int rc = buf_adds(out, HEAD_META "<title>Verifikasi Dokumen</title><style>");
	if (rc == 0)
		rc = buf_adds(out, style);
	if (rc == 0)
		rc = buf_adds(out, "</style>" HEAD_MAIN);
	size_t start = out->len;
	if (rc == 0)
		rc = buf_adds(out, PAGE_SHELL_WORDS);
	if (rc == 0)
		rc = shell_words(out);
	/* Inside an HTML comment: "--" would end it early. */
	if (rc == 0 && memmem(out->data + start + strlen(PAGE_SHELL_WORDS),
			      out->len - start - strlen(PAGE_SHELL_WORDS),
			      "--", 2))
		return TB_EINTERNAL;
	if (rc == 0)
		rc = buf_adds(out, "-->" PAGE_SHELL_VERDICT
			      "<p class=\"n\">Kode QR tidak memuat nama dan NIK: "
			      "cocokkan nomor seri dengan dokumen dan KTP asli "
			      "pemegangnya, dan periksa lagi saat ada sinyal.</p>"
			      "</main></body></html>\n");
	return rc;
}
