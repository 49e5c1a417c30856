/*
 * Verification of a QR token or a PDF against the keyring and the
 * registry (the order of checks is in verify.h).
 */
#include "issue/verify.h"

#include "issue/issue.h"
#include "issue/offline.h"
#include "issue/vindex.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/digest.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/log.h"
#include "core/str.h"
#include "sign/pades.h"
#include "sign/token.h"

static const struct {
	const char *name, *label;
} states[] = {
	[VERIFY_VALID] = { "VALID", "SAH" },
	[VERIFY_REVOKED] = { "REVOKED", "DICABUT" },
	[VERIFY_SUPERSEDED] = { "SUPERSEDED", "DIGANTI" },
	[VERIFY_EXPIRED] = { "EXPIRED", "KEDALUWARSA" },
	[VERIFY_UNKNOWN] = { "UNKNOWN", "TIDAK TERDAFTAR" },
	[VERIFY_FORGED] = { "FORGED", "PALSU" },
	[VERIFY_STALE] = { "STALE", "BELUM PASTI" },
};

const char *verify_state_name(enum verify_state s)
{
	return (unsigned)s <= VERIFY_STALE ? states[s].name : "FORGED";
}

const char *verify_state_label(enum verify_state s)
{
	return (unsigned)s <= VERIFY_STALE ? states[s].label : "PALSU";
}

static int verdict(struct verify_result *out, enum verify_state st,
		   const char *detail)
{
	out->state = st;
	/* Long revocation reasons are cut, never overflow. */
	size_t n = strnlen(detail, sizeof out->detail - 1);
	memmove(out->detail, detail, n);
	out->detail[n] = 0;
	if (st == VERIFY_FORGED || st == VERIFY_UNKNOWN) {
		/* Nothing of a row is shown for a code we did not issue. */
		out->found = 0;
		memset(&out->doc, 0, sizeof out->doc);
	}
	return 0;
}

/*
 * The registry row decides: revoked, superseded, expired, valid; but only
 * a row whose seal holds. One that does not was written or changed by
 * something other than the gate, so nothing it says can be believed, its
 * state least of all: FORGED, and none of it is shown. Checked on every
 * path (fast, full, PDF) before any state is read, at the cost of one
 * HMAC over ~800 bytes; a row from the index in memory (sealed 1) had
 * its seal checked when the index read it.
 */
static int row_state(const struct keyring *kr, struct verify_result *out,
		     int sealed)
{
	const struct store_document *d = &out->doc;
	char msg[400];
	if (!sealed && !issue_doc_seal_ok(kr, d)) {
		/* The operator's alarm; the serial only, never the NIK. */
		log_error("verify: registri %s: segel %s", d->serial,
			  d->seal[0] ? "tidak cocok" : "tidak ada");
		return verdict(out, VERIFY_FORGED,
			       d->seal[0] ? "catatan registri dokumen ini "
					    "diubah di luar terbit; tidak sah"
					  : "catatan registri dokumen ini "
					    "belum disegel; tidak sah");
	}
	enum doc_state st = issue_doc_state(d, date_today());
	out->found = 1;
	switch (st) {
	case DOC_REVOKED:
		snprintf(msg, sizeof msg, "%s %.10s: %s",
			 issue_doc_state_word(st), d->revoked_at, d->reason);
		return verdict(out, VERIFY_REVOKED, msg);
	case DOC_SUPERSEDED:
		snprintf(msg, sizeof msg, "%s oleh dokumen %s",
			 issue_doc_state_word(st), d->superseded_by);
		return verdict(out, VERIFY_SUPERSEDED, msg);
	case DOC_EXPIRED:
		return verdict(out, VERIFY_EXPIRED, "masa berlaku sudah habis");
	case DOC_VALID:
		return verdict(out, VERIFY_VALID, "");
	}
	/* Unreachable (the store refuses a row in no known state), but
	 * never VALID for a state we do not know. */
	return verdict(out, VERIFY_FORGED, "status dokumen tidak dikenal");
}

/* Where registry rows are read: the index's (sealed when they were
 * read) when it holds the serial, else the store's. */
struct rows {
	struct store *s;
	struct vindex *ix; /* may be NULL */
};

enum { ROW_ABSENT, ROW_READ, ROW_SEALED };

/* Registry lookup: ROW_SEALED from the index, ROW_READ from the store
 * (its seal still to check), ROW_ABSENT, or a TB_E code. */
static int lookup(const struct rows *src, const char *serial,
		  struct verify_result *out, struct buf *err)
{
	if (vindex_get(src->ix, serial, &out->doc))
		return ROW_SEALED;
	int rc = store_doc_lookup(src->s, serial, &out->doc, err);
	if (rc == TB_ENOTFOUND)
		return ROW_ABSENT;
	return rc < 0 ? rc : ROW_READ;
}

static int same_token(const struct verify_result *out, const struct buf *canon)
{
	return strlen(out->doc.token) == canon->len &&
	       canon->len <= TOKEN_STR_MAX &&
	       digest_equal(out->doc.token, canon->data, canon->len);
}

/* Another issuer's token: its key and status list decide. */
static int foreign(const struct verify_others *others, const struct token *t,
		   struct verify_result *out)
{
	struct offline_result o;
	verify_offline_parsed(others->trust, others->lists, t, offline_now(), &o);
	if (o.r.state == VERIFY_FORGED)
		return verdict(out, VERIFY_FORGED, o.r.detail);
	char msg[600]; /* cut to the detail's size by verdict */
	snprintf(msg, sizeof msg, "penerbit %u%s%.128s, diperiksa dengan daftar "
		 "statusnya%s%.255s", o.issuer, o.issuer_name[0] ? " " : "",
		 o.issuer_name, o.r.detail[0] ? ": " : "", o.r.detail);
	return verdict(out, o.r.state, msg);
}

static int check_token(const struct rows *src, const struct keyring *kr,
		       const struct verify_others *others,
		       const struct token *t, const struct buf *canon,
		       int flags, struct verify_result *out, struct buf *err)
{
	char serial[SERIAL_LEN + 1];
	str_hex_upper(serial, t->serial, TOKEN_SERIAL_LEN);
	int rc;
	if (flags & VERIFY_FAST) {
		if ((rc = lookup(src, serial, out, err)) < 0)
			return rc;
		if (rc != ROW_ABSENT && same_token(out, canon))
			return row_state(kr, out, rc == ROW_SEALED);
	}
	switch (token_verify(t, kr)) {
	case TOKEN_OK:
		break;
	case TOKEN_UNKNOWN_KEY:
		if (others && others->trust)
			return foreign(others, t, out);
		return verdict(out, VERIFY_FORGED,
			       "kunci penanda tangan tidak dikenal");
	default:
		return verdict(out, VERIFY_FORGED, "tanda tangan tidak sah");
	}
	if ((rc = lookup(src, serial, out, err)) < 0)
		return rc;
	if (rc == ROW_ABSENT)
		return verdict(out, VERIFY_UNKNOWN,
			       "tanda tangan sah, tetapi dokumen tidak "
			       "terdaftar di sini");
	if (!same_token(out, canon))
		return verdict(out, VERIFY_FORGED,
			       "kode tidak sama dengan yang diterbitkan");
	return row_state(kr, out, rc == ROW_SEALED);
}

/*
 * A superseded document names its replacement by serial; the person at
 * the counter asks for the new letter by its number, so read that row's
 * number and say both. A replacement row that is missing (it cannot be,
 * the gate writes both in one transaction) leaves the serial alone.
 */
static int successor(const struct rows *src, struct verify_result *out,
		     struct buf *err)
{
	if (out->state != VERIFY_SUPERSEDED || !out->doc.superseded_by[0])
		return 0;
	struct store_document n;
	int rc = vindex_get(src->ix, out->doc.superseded_by, &n)
			 ? 0
			 : store_doc_get(src->s, out->doc.superseded_by, &n, err);
	if (rc == TB_ENOTFOUND) {
		buf_reset(err);
		return 0;
	}
	if (rc < 0)
		return rc;
	snprintf(out->superseded_number, sizeof out->superseded_number, "%s",
		 n.number);
	struct buf num = BUF_INIT;
	if (verify_number_label(&num, n.kind, n.number) < 0) {
		buf_release(&num);
		return tb_err(err, TB_ENOMEM, "memori habis");
	}
	snprintf(out->detail, sizeof out->detail,
		 "%s oleh %s nomor %s (seri %s)",
		 issue_doc_state_word(DOC_SUPERSEDED),
		 strcmp(n.kind, "card") == 0 ? "kartu" : "surat", num.data,
		 n.serial);
	buf_release(&num);
	return 0;
}

int verify_token(struct store *s, const struct keyring *kr, const char *in,
		 int flags, struct verify_result *out, struct buf *err)
{
	return verify_token_with(s, kr, NULL, in, flags, out, err);
}

int verify_token_with(struct store *s, const struct keyring *kr,
		      const struct verify_others *others, const char *in,
		      int flags, struct verify_result *out, struct buf *err)
{
	return verify_token_indexed(s, NULL, kr, others, in, flags, out, err);
}

/*
 * The fast path's first try: a string that is, byte for byte, the token
 * the registry holds under the serial it names is that token (the gate
 * made it), so it needs neither a parse nor its canonical spelling
 * remade; its first characters say where to look. 1 with the answer in
 * out, 0 when the string must go the whole way (a URL, lower case, not
 * ours: out is then cleared), or a TB_E code.
 */
static int as_issued(const struct rows *src, const struct keyring *kr,
		     const char *in, struct verify_result *out, struct buf *err)
{
	unsigned char sb[TOKEN_SERIAL_LEN];
	char serial[SERIAL_LEN + 1];
	if (token_peek_serial(in, sb) < 0)
		return 0;
	str_hex_upper(serial, sb, TOKEN_SERIAL_LEN);
	int rc = lookup(src, serial, out, err);
	if (rc <= ROW_ABSENT)
		return rc;
	size_t n = strlen(in);
	if (strlen(out->doc.token) != n || !digest_equal(out->doc.token, in, n)) {
		memset(out, 0, sizeof *out);
		return 0;
	}
	rc = row_state(kr, out, rc == ROW_SEALED);
	return rc < 0 ? rc : 1;
}

int verify_token_indexed(struct store *s, struct vindex *ix,
			 const struct keyring *kr,
			 const struct verify_others *others, const char *in,
			 int flags, struct verify_result *out, struct buf *err)
{
	const struct rows src = { s, ix };
	struct token t;
	struct buf canon = BUF_INIT;
	memset(out, 0, sizeof *out);
	if (in && (flags & VERIFY_FAST)) {
		int rc = as_issued(&src, kr, in, out, err);
		if (rc != 0)
			return rc < 0 ? rc : successor(&src, out, err);
	}
	if (!in || token_parse_url(in, &t, NULL) < 0)
		return verdict(out, VERIFY_FORGED, "kode tidak terbaca");
	if (token_format(&t, &canon) < 0) {
		buf_release(&canon);
		return tb_err(err, TB_ENOMEM, "memori habis");
	}
	int rc = check_token(&src, kr, others, &t, &canon, flags, out, err);
	buf_release(&canon);
	return rc < 0 ? rc : successor(&src, out, err);
}

void verify_host_check(struct verify_result *out, const char *in,
		       const char *expected)
{
	static const char *const schemes[] = { "https://", "http://" };
	out->host[0] = 0;
	out->host_mismatch = 0;
	for (size_t i = 0; in && i < ARRAY_SIZE(schemes); i++) {
		size_t n = strlen(schemes[i]);
		if (strncasecmp(in, schemes[i], n))
			continue;
		const char *h = in + n;
		size_t len = strcspn(h, "/?#");
		snprintf(out->host, sizeof out->host, "%.*s", (int)len, h);
		out->host_mismatch = expected && *expected &&
				     (len != strlen(expected) ||
				      strncasecmp(h, expected, len) != 0);
		return;
	}
}

int verify_pdf(struct store *s, const struct keyring *kr, const void *pdf,
	       size_t n, struct verify_result *out, struct buf *err)
{
	struct pades_info info;
	struct buf why = BUF_INIT, hex = BUF_INIT;
	memset(out, 0, sizeof *out);
	int rc = pades_verify(kr, pdf, n, &info, &why);
	if (rc < 0) {
		tb_err(err, rc, "%s", why.data);
		goto out;
	}
	/* A sound signature by a certificate the office's CRL revokes: the
	 * file is ours but no longer proof of anything; the row is looked up
	 * so the answer can name the document. */
	int cert_revoked = info.status == PADES_REVOKED;
	if (info.status != PADES_VALID && !cert_revoked) {
		buf_setf(&hex, "tanda tangan PDF tidak sah (%s)%s%s",
			 pades_status_name(info.status), why.len ? ": " : "",
			 why.data);
		rc = verdict(out, VERIFY_FORGED, hex.data);
		goto out;
	}
	buf_reset(&hex);
	if (buf_addhex(&hex, info.sha256, SHA256_LEN) < 0) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	rc = store_doc_by_sha256(s, hex.data, &out->doc, err);
	if (rc == TB_ENOTFOUND)
		rc = verdict(out, VERIFY_UNKNOWN,
			     cert_revoked ? "sertifikat penanda tangan dicabut, "
					    "dan berkas ini tidak terdaftar di sini"
					  : "tanda tangan sah, tetapi berkas ini "
					    "tidak terdaftar di sini");
	else if (rc == 0 && (rc = row_state(kr, out, 0)) == 0)
		rc = successor(&(const struct rows){ s, NULL }, out, err);
	/* A row that is itself revoked or forged keeps its own answer;
	 * any other (valid, superseded, expired) is not VALID any more. */
	if (rc == 0 && cert_revoked && out->found &&
	    out->state != VERIFY_REVOKED && out->state != VERIFY_FORGED) {
		buf_setf(&hex, "%s; minta dokumen terbitan ulang", why.data);
		rc = verdict(out, VERIFY_REVOKED, hex.data);
	}
out:
	buf_release(&why);
	buf_release(&hex);
	return rc;
}

/* ---- output ------------------------------------------------------- */

const char *verify_kind_label(const char *kind)
{
	return strcmp(kind, "card") == 0
		       ? "Kartu Indonesia Sehat, Jaminan Kesehatan Daerah"
		       : "Surat Pernyataan Miskin (SPM)";
}

int verify_number_label(struct buf *out, const char *kind, const char *number)
{
	/* fmt_card_number refuses what is not 13 digits: such a number is
	 * shown as it is stored, never hidden. */
	if (strcmp(kind, "card") == 0 && fmt_card_number(out, number) == 0)
		return 0;
	return buf_adds(out, number);
}

/* YYYY-MM-DD: the verifier writes two per request, so no printf. */
static int iso_day(struct buf *out, int64_t days)
{
	int y, m, d;
	days_to_date(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return buf_addf(out, "%04d-%02d-%02d", y, m, d);
	char s[10] = { (char)('0' + y / 1000), (char)('0' + y / 100 % 10),
		       (char)('0' + y / 10 % 10), (char)('0' + y % 10), '-',
		       (char)('0' + m / 10), (char)('0' + m % 10), '-',
		       (char)('0' + d / 10), (char)('0' + d % 10) };
	return buf_add(out, s, sizeof s);
}

/* Ends the field just written with its NUL, and notes where the next
 * one begins. */
static int next_field(struct buf *b, int rc, size_t *at)
{
	if (rc == 0)
		rc = buf_addc(b, '\0');
	*at = b->len;
	return rc;
}

int verify_view_init(struct verify_view *v, const struct verify_result *r)
{
	const struct store_document *d = &r->doc;
	const char **field[] = { &v->name, &v->nik, &v->issued, &v->expires,
				 &v->issued_label, &v->expires_label,
				 &v->number, &v->successor };
	size_t at[ARRAY_SIZE(field) + 1] = { 0 };
	struct buf *b = &v->text_;
	buf_init(b, 0);
	/* Room for every field of a usual document at once. */
	int rc = buf_grow(b, 256);
	if (rc == 0)
		rc = mask_name(b, d->name);
	if ((rc = next_field(b, rc, &at[1])) == 0)
		rc = mask_nik(b, d->nik);
	if ((rc = next_field(b, rc, &at[2])) == 0)
		rc = iso_day(b, d->issued_day);
	if ((rc = next_field(b, rc, &at[3])) == 0)
		rc = iso_day(b, d->expires_day);
	if ((rc = next_field(b, rc, &at[4])) == 0)
		rc = fmt_days_id(b, d->issued_day);
	if ((rc = next_field(b, rc, &at[5])) == 0)
		rc = fmt_days_id(b, d->expires_day);
	if ((rc = next_field(b, rc, &at[6])) == 0)
		rc = verify_number_label(b, d->kind, d->number);
	/* The gate replaces a document with one of its own kind. */
	if ((rc = next_field(b, rc, &at[7])) == 0 && r->superseded_number[0])
		rc = verify_number_label(b, d->kind, r->superseded_number);
	rc = next_field(b, rc, &at[8]);
	/* Pointers only now: the buffer may have moved as it grew. */
	for (size_t i = 0; i < ARRAY_SIZE(field); i++)
		*field[i] = rc == 0 ? b->data + at[i] : "";
	return rc;
}

void verify_view_release(struct verify_view *v)
{
	buf_release(&v->text_);
}

int verify_result_json(const struct verify_result *r, struct buf *out)
{
	struct verify_view v;
	struct json j;
	const struct store_document *d = &r->doc;
	int rc = r->found ? verify_view_init(&v, r) : 0;
	json_init(&j, out);
	json_obj_open(&j, NULL);
	json_str(&j, "state", verify_state_name(r->state));
	json_str(&j, "label", verify_state_label(r->state));
	json_str(&j, "detail", r->detail);
	if (!r->found) {
		json_null(&j, "document");
	} else {
		json_obj_open(&j, "document");
		json_str(&j, "serial", d->serial);
		json_str(&j, "kind", d->kind);
		json_str(&j, "kind_label", verify_kind_label(d->kind));
		json_str(&j, "number", d->number);
		json_str(&j, "name", v.name);
		json_str(&j, "nik", v.nik);
		json_str(&j, "issued", v.issued);
		json_str(&j, "expires", v.expires);
		json_str(&j, "issued_label", v.issued_label);
		json_str(&j, "expires_label", v.expires_label);
		json_str(&j, "office", d->office);
		json_str(&j, "faskes", d->faskes);
		if (r->state == VERIFY_REVOKED) {
			json_str(&j, "revoked_at", d->revoked_at);
			json_str(&j, "reason", d->reason);
		}
		if (r->state == VERIFY_SUPERSEDED) {
			json_str(&j, "superseded_by", d->superseded_by);
			if (r->superseded_number[0])
				json_str(&j, "superseded_by_number",
					 r->superseded_number);
		}
		json_obj_close(&j);
	}
	if (r->host_mismatch) {
		json_str(&j, "host", r->host);
		json_bool(&j, "host_mismatch", 1);
	}
	json_obj_close(&j);
	if (r->found)
		verify_view_release(&v);
	int jrc = json_finish(&j);
	return rc < 0 ? rc : jrc;
}

int verify_result_text(const struct verify_result *r, struct buf *out)
{
	struct verify_view v;
	const struct store_document *d = &r->doc;
	int rc = buf_addf(out, "%s\nStatus       : %s%s%s\n",
			  verify_state_name(r->state),
			  verify_state_label(r->state), r->detail[0] ? " - " : "",
			  r->detail);
	if (rc < 0 || !r->found)
		return rc;
	if ((rc = verify_view_init(&v, r)) == 0)
		rc = buf_addf(out,
			      "Jenis        : %s\n"
			      "Nomor        : %s\n"
			      "Nama         : %s\n"
			      "NIK          : %s\n"
			      "Diterbitkan  : %s\n"
			      "Berlaku s.d. : %s\n"
			      "Penerbit     : %s\n"
			      "Faskes       : %s\n"
			      "Seri         : %s\n",
			      verify_kind_label(d->kind), v.number, v.name,
			      v.nik, v.issued_label,
			      v.expires_label, d->office, d->faskes,
			      d->serial);
	verify_view_release(&v);
	return rc;
}

int verify_nik_match(struct store *s, const struct keyring *kr,
		     const char *token, const char *nik, int *match,
		     struct buf *err)
{
	struct verify_result r;
	*match = 0;
	if (!str_is_digits(nik, NIK_LEN))
		return tb_err(err, TB_EINVAL, "NIK harus 16 digit");
	int rc = verify_token(s, kr, token, VERIFY_FAST, &r, err);
	if (rc < 0)
		return rc;
	if (!r.found)
		return tb_err(err, TB_ENOTFOUND,
			      "kode tidak menunjuk dokumen yang kami terbitkan");
	*match = digest_equal(r.doc.nik, nik, 16);
	return 0;
}
