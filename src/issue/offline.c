/*
 * Verification without the registry (the rules are in offline.h).
 */
#include "issue/offline.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <zlib.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/json.h"
#include "core/str.h"
#include "core/vec.h"
#include "sign/pades.h"

struct offline_lists {
	struct status_list *l;
	size_t n, cap;
};

void offline_lists_free(struct offline_lists *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		status_list_release(&l->l[i]);
	free(l->l);
	free(l);
}

static int add_list(struct offline_lists *ls, struct trust *t, const char *path,
		    struct buf *err)
{
	struct buf text = BUF_INIT;
	struct status_list l;
	int rc = buf_read_file(&text, path, STATUS_TEXT_MAX, err);
	if (rc == 0 && (rc = status_parse(text.data, text.len, &l, err)) == 0 &&
	    (rc = trust_status_check(t, &l, text.data, err)) < 0)
		status_list_release(&l);
	buf_release(&text);
	if (rc < 0) {
		/* Which file, whatever the reason. */
		struct buf why = BUF_INIT;
		buf_adds(&why, err->data);
		tb_err(err, rc, "%s: %s", path, why.data);
		buf_release(&why);
		return rc;
	}
	for (size_t i = 0; i < ls->n; i++) {
		if (ls->l[i].issuer != l.issuer)
			continue;
		/* One list per issuer: keep the newer. */
		if (l.made > ls->l[i].made) {
			status_list_release(&ls->l[i]);
			ls->l[i] = l;
		} else {
			status_list_release(&l);
		}
		return 0;
	}
	if (vec_reserve(&ls->l, &ls->cap, ls->n, sizeof *ls->l, 4) < 0) {
		status_list_release(&l);
		return tb_err(err, TB_ENOMEM, "memori habis");
	}
	ls->l[ls->n++] = l;
	return 0;
}

int offline_lists_load(struct trust *t, const char *path,
		       struct offline_lists **out, struct buf *err)
{
	struct stat st;
	int rc = 0;
	struct offline_lists *ls = calloc(1, sizeof *ls);
	if (!ls)
		return tb_err(err, TB_ENOMEM, "memori habis");
	if (path && stat(path, &st) != 0) {
		rc = tb_err(err, TB_ENOTFOUND, "daftar status %s tidak ditemukan",
			    path);
	} else if (path && S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		struct buf file = BUF_INIT;
		if (!d)
			rc = tb_err(err, TB_EIO, "tidak dapat membaca %s", path);
		while (rc == 0 && d && (e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			buf_reset(&file);
			if (buf_addf(&file, "%s/%s", path, e->d_name) < 0)
				rc = tb_err(err, TB_ENOMEM, "memori habis");
			else if (stat(file.data, &st) == 0 && S_ISREG(st.st_mode))
				rc = add_list(ls, t, file.data, err);
		}
		if (d)
			closedir(d);
		buf_release(&file);
	} else if (path) {
		rc = add_list(ls, t, path, err);
	}
	if (rc < 0) {
		offline_lists_free(ls);
		return rc;
	}
	*out = ls;
	return 0;
}

static const struct status_list *list_of(const struct offline_lists *ls,
					 uint32_t issuer)
{
	for (size_t i = 0; ls && issuer && i < ls->n; i++)
		if (ls->l[i].issuer == issuer)
			return &ls->l[i];
	return NULL;
}

int64_t offline_now(void)
{
	int64_t now = (int64_t)time(NULL), today = date_today();
	return today == now / 86400 ? now : today * 86400 + now % 86400;
}

static void verdict(struct offline_result *o, enum verify_state st,
		    const char *detail)
{
	o->r.state = st;
	snprintf(o->r.detail, sizeof o->r.detail, "%s", detail);
}

static void day_text(char *out, size_t n, int64_t day)
{
	int y, m, d;
	days_to_date(day, &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

/* The registry's answer for a serial, from the issuer's list. */
static void decide(const struct offline_lists *ls, const unsigned char *serial,
		   int64_t expires, struct offline_result *o)
{
	const struct status_list *l = list_of(ls, o->issuer);
	char msg[200], day[11];
	if (l) {
		o->have_list = 1;
		o->list_made = l->made;
		o->list_next = l->next;
		const struct status_entry *e = status_find(l, serial);
		if (e) {
			day_text(day, sizeof day, e->day);
			snprintf(msg, sizeof msg, "%s %s (menurut daftar status)",
				 e->code == STATUS_REVOKED ? "dicabut"
				 : e->code == STATUS_SUPERSEDED ? "diganti"
								: "tidak berlaku sejak",
				 day);
			verdict(o, e->code == STATUS_REVOKED ? VERIFY_REVOKED
				   : e->code == STATUS_SUPERSEDED ? VERIFY_SUPERSEDED
								  : VERIFY_EXPIRED,
				msg);
			return;
		}
	}
	if (expires >= 0 && expires < o->now / 86400) {
		verdict(o, VERIFY_EXPIRED, "masa berlaku sudah habis");
		return;
	}
	if (!l) {
		snprintf(msg, sizeof msg, "tanda tangan sah, tetapi tidak ada "
			 "daftar status penerbit %u: pencabutan tidak diketahui",
			 o->issuer);
		verdict(o, VERIFY_STALE, msg);
		return;
	}
	if (o->now > l->next) {
		verdict(o, VERIFY_STALE, "daftar status sudah lewat waktu "
			"pembaruannya: pencabutan sesudahnya tidak diketahui; "
			"perbarui daftar atau periksa daring");
		return;
	}
	verdict(o, VERIFY_VALID, "");
}

void verify_offline_token(const struct trust *t, const struct offline_lists *l,
			  const char *in, int64_t now, struct offline_result *o)
{
	struct token tok;
	if (!in || token_parse_url(in, &tok, NULL) < 0) {
		memset(o, 0, sizeof *o);
		o->now = now;
		verdict(o, VERIFY_FORGED, "kode tidak terbaca");
		return;
	}
	verify_offline_parsed(t, l, &tok, now, o);
}

void verify_offline_parsed(const struct trust *t, const struct offline_lists *l,
			   const struct token *tok, int64_t now,
			   struct offline_result *o)
{
	const struct trust_issuer *who = NULL;
	memset(o, 0, sizeof *o);
	o->now = now;
	o->tok = *tok;
	o->have_token = 1;
	switch (trust_verify_token(t, &o->tok, &who)) {
	case TOKEN_OK:
		break;
	case TOKEN_UNKNOWN_KEY:
		verdict(o, VERIFY_FORGED, "kunci penanda tangan tidak dikenal");
		return;
	default:
		verdict(o, VERIFY_FORGED, "tanda tangan tidak sah");
		return;
	}
	/* Format 1 names no issuer: it is its key's. */
	o->issuer = o->tok.version == TOKEN_V2 ? o->tok.issuer : who->code;
	snprintf(o->issuer_name, sizeof o->issuer_name, "%s", who->name);
	decide(l, o->tok.serial, o->tok.expires, o);
}

/* ---- PDFs ---- */

/*
 * The serial printed on the document ("Nomor seri dokumen: X" on the
 * letter, "No. seri X" on the card): 16 upper-case hex digits within a
 * few characters after "seri", in a page content stream. The streams
 * are deflated: each one that inflates is searched.
 */
static int find_serial(const unsigned char *text, size_t n,
		       unsigned char serial[STATUS_SERIAL_LEN])
{
	for (size_t i = 0; i + 4 <= n; i++) {
		if (memcmp(text + i, "seri", 4))
			continue;
		for (size_t k = i + 4; k < i + 24 && k + 16 <= n; k++) {
			if (str_unhex_upper(serial, (const char *)text + k,
					    STATUS_SERIAL_LEN) == 0 &&
			    (k + 16 == n || !strchr("0123456789ABCDEF",
						    text[k + 16] ? text[k + 16] : 'x')))
				return 1;
		}
	}
	return 0;
}

static int pdf_serial(const unsigned char *pdf, size_t n,
		      unsigned char serial[STATUS_SERIAL_LEN])
{
	static const char open_tag[] = "stream";
	unsigned char *out = malloc(1u << 20);
	int found = 0;
	if (!out)
		return TB_ENOMEM;
	for (size_t i = 0; !found && i + sizeof open_tag < n; i++) {
		if (memcmp(pdf + i, open_tag, sizeof open_tag - 1) ||
		    (i >= 3 && memcmp(pdf + i - 3, "end", 3) == 0))
			continue;
		size_t s = i + sizeof open_tag - 1;
		if (s < n && pdf[s] == '\r')
			s++;
		if (s >= n || pdf[s] != '\n')
			continue;
		s++;
		z_stream z = { 0 };
		if (inflateInit(&z) != Z_OK)
			break;
		z.next_in = (unsigned char *)pdf + s;
		z.avail_in = (uInt)(n - s);
		z.next_out = out;
		z.avail_out = (1u << 20) - 1;
		int zr = inflate(&z, Z_FINISH);
		size_t got = (size_t)z.total_out;
		inflateEnd(&z);
		if (zr == Z_STREAM_END || zr == Z_BUF_ERROR)
			found = find_serial(out, got, serial);
	}
	free(out);
	return found;
}

int verify_offline_pdf(const struct keyring *pub, const struct trust *t,
		       const struct offline_lists *l, const void *pdf, size_t n,
		       int64_t now, struct offline_result *o, struct buf *err)
{
	struct pades_info info;
	struct buf why = BUF_INIT, msg = BUF_INIT;
	unsigned char serial[STATUS_SERIAL_LEN];
	memset(o, 0, sizeof *o);
	o->now = now;
	int rc = pades_verify(pub, pdf, n, &info, &why);
	if (rc < 0) {
		tb_err(err, rc, "%s", why.data);
		goto out;
	}
	if (info.status != PADES_VALID) {
		buf_setf(&msg, "tanda tangan PDF tidak sah (%s)%s%s",
			 pades_status_name(info.status), why.len ? ": " : "",
			 why.data);
		verdict(o, VERIFY_FORGED, msg.data);
		goto out;
	}
	if ((rc = pdf_serial(pdf, n, serial)) < 0) {
		tb_err(err, rc, "memori habis");
		goto out;
	}
	if (rc == 0) {
		verdict(o, VERIFY_UNKNOWN, "tanda tangan PDF sah, tetapi nomor "
			"seri dokumen tidak terbaca");
		goto out;
	}
	rc = 0;
	memcpy(o->tok.serial, serial, sizeof serial);
	/* An export-public directory is one office: its issuer is the one
	 * its status list named (trust_status_check). */
	o->issuer = l && l->n == 1 ? l->l[0].issuer : 0;
	(void)t;
	decide(l, serial, -1, o);
out:
	buf_release(&why);
	buf_release(&msg);
	return rc;
}

/* ---- output ---- */

static int add_time(struct buf *out, int64_t t)
{
	char iso[32];
	fmt_iso_utc(t, iso);
	return fmt_datetime_id(out, iso);
}

int offline_result_text(const struct offline_result *o, struct buf *out)
{
	char serial[2 * TOKEN_SERIAL_LEN + 1];
	int rc = buf_addf(out, "%s\nStatus       : %s - diperiksa tanpa "
			  "sambungan%s%s\n",
			  verify_state_name(o->r.state),
			  verify_state_label(o->r.state), o->r.detail[0] ? "; " : "",
			  o->r.detail);
	if (rc == 0 && o->have_list) {
		rc = buf_adds(out, "Status per   : ");
		if (rc == 0)
			rc = add_time(out, o->list_made);
		if (rc == 0)
			rc = buf_adds(out, " (");
		if (rc == 0)
			rc = fmt_wait_id(out, o->now - o->list_made);
		if (rc == 0)
			rc = buf_adds(out, " lalu); pembaruan berikut ");
		if (rc == 0)
			rc = add_time(out, o->list_next);
		if (rc == 0)
			rc = buf_addc(out, '\n');
	}
	if (rc == 0 && o->issuer)
		rc = buf_addf(out, "Penerbit     : %u%s%s\n", o->issuer,
			      o->issuer_name[0] ? " " : "", o->issuer_name);
	if (rc == 0 && (o->have_token || o->issuer) &&
	    o->r.state != VERIFY_FORGED)
		rc = buf_addf(out, "Seri         : %s\n",
			      str_hex_upper(serial, o->tok.serial,
					    TOKEN_SERIAL_LEN));
	if (rc == 0 && o->have_token && o->r.state != VERIFY_FORGED) {
		rc = buf_addf(out, "Jenis        : %s\nDiterbitkan  : ",
			      verify_kind_label(o->tok.kind == TOKEN_CARD ? "card"
									: "letter"));
		if (rc == 0)
			rc = fmt_days_id(out, o->tok.issued);
		if (rc == 0)
			rc = buf_adds(out, "\nBerlaku s.d. : ");
		if (rc == 0)
			rc = fmt_days_id(out, o->tok.expires);
		if (rc == 0)
			rc = buf_addc(out, '\n');
	}
	return rc;
}

int offline_result_json(const struct offline_result *o, struct buf *out)
{
	struct json j;
	char serial[2 * TOKEN_SERIAL_LEN + 1], made[21], next[21];
	json_init(&j, out);
	json_obj_open(&j, NULL);
	json_str(&j, "state", verify_state_name(o->r.state));
	json_str(&j, "label", verify_state_label(o->r.state));
	json_str(&j, "detail", o->r.detail);
	json_bool(&j, "offline", 1);
	if (o->issuer)
		json_int(&j, "issuer", o->issuer);
	if (o->issuer_name[0])
		json_str(&j, "issuer_name", o->issuer_name);
	if ((o->have_token || o->issuer) && o->r.state != VERIFY_FORGED)
		json_str(&j, "serial", str_hex_upper(serial, o->tok.serial,
						       TOKEN_SERIAL_LEN));
	if (o->have_token && o->r.state != VERIFY_FORGED) {
		json_str(&j, "kind", o->tok.kind == TOKEN_CARD ? "card" : "letter");
		json_int(&j, "token_version", o->tok.version);
	}
	if (o->have_list) {
		status_time_format(o->list_made, made);
		status_time_format(o->list_next, next);
		json_str(&j, "status_made", made);
		json_str(&j, "status_next", next);
		json_bool(&j, "status_stale", o->now > o->list_next);
	}
	json_obj_close(&j);
	return json_finish(&j);
}
