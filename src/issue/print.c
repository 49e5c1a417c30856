/*
 * Batch printing of cards: sheets of ten (render_card_sheet) drawn from
 * the registry's stored fields, so that every printed card is the issued
 * one, QR token included. Writes the audit log and the print count
 * (document_prints), never a document row: a sheet is a print-out of
 * signed documents, not a document.
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

/* One audit row per sheet: which cards were printed on it. */
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
					     "document.print", object,
					     note.data, err);
	}
	buf_release(&note);
	return rc;
}

int issue_print_cards(struct issue_ctx *ctx, const struct cases_actor *a,
		      const char *const *serials, size_t n, struct buf *pdf,
		      struct buf *err)
{
	struct render_fields *cards = NULL;
	struct store_document d;
	int64_t today = date_today();
	int y, m, dd, rc;
	char iso[DATE_LEN + 1];
	size_t before = pdf->len;
	int begun = 0;
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
	if ((rc = store_begin(ctx->store, err)) < 0)
		goto out;
	begun = 1;
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
	if ((rc = render_card_sheet(ctx->render, cards, n, iso, 0, pdf,
				    err)) < 0 ||
	    (rc = audit_sheets(ctx->store, a, cards, n, err)) < 0)
		goto out;
	/* The print queue lists cards never printed (document_prints). */
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = store_doc_printed(ctx->store,
				       render_fields_get(&cards[i], "serial"),
				       a->name, err);
	if (rc < 0)
		goto out;
	begun = 0; /* a failed commit has ended the transaction itself */
	rc = store_commit(ctx->store, err);
out:
	if (rc < 0 && begun)
		store_rollback(ctx->store);
	if (rc < 0)
		buf_truncate(pdf, before);
	for (size_t i = 0; i < n; i++)
		render_fields_release(&cards[i]);
	free(cards);
	return rc < 0 ? rc : (int)((n + RENDER_SHEET_CARDS - 1) /
				   RENDER_SHEET_CARDS);
}
