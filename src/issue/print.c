/*
 * Cards on sheets of ten (render_card_sheet) drawn from the registry's
 * stored fields, so that every printed card is the issued one, QR token
 * included. A sheet made here is a file: it is audited as made
 * ("document.sheet"), never counted as printed. A card counts as
 * printed only when a CUPS job carrying it completes (printjob.c, which
 * draws its sheets through issue__sheet_render).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/ids.h"
#include "core/jsonread.h"
#include "issue/issue.h"
#include "issue/print_int.h"

/* The fields a card was rendered from, as the gate stored them: the hash
 * the row's seal covers must match, or the card would be printed from
 * fields edited behind the gate's back. */
static int stored_fields(struct store *s, const struct store_document *d,
			 struct render_fields *out, struct buf *err)
{
	struct buf json = BUF_INIT, hex = BUF_INIT;
	struct jsonread jr = { 0 };
	const char *serial = d->serial;
	int rc = store_doc_blob(s, serial, NULL, &json, err);
	if (rc < 0)
		goto out;
	if ((rc = digest_sha256_hex(&hex, json.data, json.len)) < 0) {
		tb_err(err, rc, "memori habis");
		goto out;
	}
	if (strcmp(hex.data, d->fields_sha256) != 0) {
		rc = tb_err(err, TB_ECONFLICT, "data kartu %s diubah di luar "
			    "terbit; tidak dicetak", serial);
		goto out;
	}
	if (jsonread_parse(&jr, json.data, json.len, err) < 0) {
		rc = tb_err(err, TB_EINTERNAL, "data kartu %s rusak", serial);
		goto out;
	}
	for (const struct jr_val *v = jsonread_first(&jr, jsonread_root(&jr));
	     v && rc == 0; v = jsonread_next(&jr, v)) {
		if (v->type != JR_STR)
			rc = tb_err(err, TB_EINTERNAL, "data kartu %s: field %s "
				    "bukan teks", serial, v->key);
		else if ((rc = render_fields_set(out, v->key, v->str)) < 0)
			tb_err(err, rc, "memori habis");
	}
out:
	jsonread_release(&jr);
	buf_release(&json);
	buf_release(&hex);
	return rc;
}

/* Only a card in force, and sealed, is printed. */
static int printable(const struct keyring *kr, const struct store_document *d,
		     int64_t today, struct buf *err)
{
	if (!issue_doc_seal_ok(kr, d))
		return tb_err(err, TB_ECONFLICT, "kartu %s: catatan registri "
			      "diubah di luar terbit atau belum disegel; tidak "
			      "dicetak", d->serial);
	if (strcmp(d->kind, "card") != 0)
		return tb_err(err, TB_EINVAL, "dokumen %s adalah surat, bukan "
			      "kartu; hanya kartu yang dicetak per lembar",
			      d->serial);
	enum doc_state st = issue_doc_state(d, today);
	if (st != DOC_VALID)
		return tb_err(err, TB_ECONFLICT, "kartu %s sudah %s; tidak "
			      "dicetak", d->serial, issue_doc_state_word(st));
	return 0;
}

/* One audit row per sheet: which cards were put on it. */
static int audit_sheets(struct store *s, const struct cases_actor *a,
			const struct render_fields *cards, size_t n,
			struct buf *err)
{
	int nsheets = (int)((n + RENDER_SHEET_CARDS - 1) / RENDER_SHEET_CARDS);
	struct buf note = BUF_INIT;
	int rc = 0;
	for (int k = 0; k < nsheets && rc == 0; k++) {
		size_t first = (size_t)k * RENDER_SHEET_CARDS;
		size_t m = n - first < RENDER_SHEET_CARDS ? n - first
							  : RENDER_SHEET_CARDS;
		char object[32];
		snprintf(object, sizeof object, "sheet:%d/%d", k + 1, nsheets);
		buf_reset(&note);
		rc = buf_addf(&note, "%zu kartu:", m);
		for (size_t i = 0; rc == 0 && i < m; i++)
			rc = buf_addf(&note, " %s", render_fields_get(
					      &cards[first + i], "serial"));
		if (rc < 0)
			rc = tb_err(err, TB_ENOMEM, "memori habis");
		else
			rc = store_audit_add(s, a->name, role_name(a->role),
					     "document.sheet", object,
					     note.data, err);
	}
	buf_release(&note);
	return rc;
}

int issue__sheet_render(struct issue_ctx *ctx, const struct cases_actor *a,
			const char *const *serials, size_t n,
			struct render_fields **out, struct buf *pdf,
			struct buf *err)
{
	struct render_fields *cards = NULL;
	struct store_document d;
	int64_t today = date_today();
	int y, m, dd, rc = 0;
	char iso[DATE_LEN + 1];
	size_t before = pdf->len;
	*out = NULL;
	if (!a || a->role != ROLE_DINSOS)
		return tb_err(err, TB_EPERM, "hanya petugas Dinas Sosial yang "
			      "boleh mencetak kartu (--by PENGGUNA)");
	if (n == 0)
		return tb_err(err, TB_EINVAL, "tidak ada kartu untuk dicetak");
	if (n > RENDER_SHEET_MAX_CARDS)
		return tb_err(err, TB_ETOOBIG, "paling banyak %d kartu sekali "
			      "cetak (diminta %zu)", RENDER_SHEET_MAX_CARDS, n);
	if (!(cards = calloc(n, sizeof *cards)))
		return tb_err(err, TB_ENOMEM, "memori habis");
	for (size_t i = 0; i < n; i++)
		render_fields_init(&cards[i]);
	for (size_t i = 0; i < n; i++) {
		rc = issue_get(ctx->store, a, serials[i], &d, NULL, err);
		if (rc == TB_ENOTFOUND)
			tb_err(err, rc, "kartu %s tidak ditemukan", serials[i]);
		if (rc < 0 ||
		    (rc = printable(ctx->keys, &d, today, err)) < 0 ||
		    (rc = stored_fields(ctx->store, &d, &cards[i], err)) < 0)
			goto out;
		/* the serial is what the audit rows name */
		const char *sn = render_fields_get(&cards[i], "serial");
		if (!sn || strcmp(sn, d.serial) != 0) {
			rc = tb_err(err, TB_EINTERNAL, "data kartu %s tanpa "
				    "nomor seri yang cocok", d.serial);
			goto out;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(render_fields_get(&cards[j], "serial"), sn)) {
				rc = tb_err(err, TB_EINVAL, "kartu %s disebut "
					    "dua kali", sn);
				goto out;
			}
	}
	days_to_date(today, &y, &m, &dd);
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, dd);
	rc = render_card_sheet(ctx->render, cards, n, iso, 0, pdf, err);
out:
	if (rc < 0) {
		buf_truncate(pdf, before);
		for (size_t i = 0; i < n; i++)
			render_fields_release(&cards[i]);
		free(cards);
		return rc;
	}
	*out = cards;
	return 0;
}

void issue__sheet_release(struct render_fields *cards, size_t n)
{
	for (size_t i = 0; cards && i < n; i++)
		render_fields_release(&cards[i]);
	free(cards);
}

int issue_card_sheet(struct issue_ctx *ctx, const struct cases_actor *a,
		     const char *const *serials, size_t n, struct buf *pdf,
		     struct buf *err)
{
	struct render_fields *cards = NULL;
	size_t before = pdf->len;
	int rc = store_begin(ctx->store, err);
	if (rc < 0)
		return rc;
	if ((rc = issue__sheet_render(ctx, a, serials, n, &cards, pdf,
				      err)) < 0 ||
	    (rc = audit_sheets(ctx->store, a, cards, n, err)) < 0) {
		store_rollback(ctx->store);
		buf_truncate(pdf, before);
		issue__sheet_release(cards, n);
		return rc;
	}
	issue__sheet_release(cards, n);
	/* a failed commit has ended the transaction itself */
	if ((rc = store_commit(ctx->store, err)) < 0) {
		buf_truncate(pdf, before);
		return rc;
	}
	return (int)((n + RENDER_SHEET_CARDS - 1) / RENDER_SHEET_CARDS);
}
