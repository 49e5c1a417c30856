#ifndef TERBIT_ISSUE_H
#define TERBIT_ISSUE_H
/*
 * issue: the one gate through which a document comes to exist, and the
 * document registry's operations (revoke, reissue, get, list, check).
 * The CLI and the HTTP handlers call these and nothing below them: every
 * rule (who may, which state, which checks) is here. docs/issuance.md
 * tells the whole story and how it fails.
 *
 * Set-up, once per thread (the store handle is per thread; the policy,
 * render context and keyring are read-only and may be shared):
 *
 *   struct issue_ctx ctx = { .store = s, .policy = p, .render = r,
 *                            .keys = kr };
 *
 * Who may: issuing, revoking and reissuing need an actor of role dinsos
 * (the social office decides and signs). A NULL actor (the console) is
 * refused for those: every document names the officer who issued it, so
 * the CLI requires --by. Reading (get, list) follows case visibility
 * (wf_can_see); a NULL actor there sees everything.
 *
 * The token binds these printed fields (token_field_digest), exactly as
 * the render fields hold them: name, nik, birth_date, and letter_number
 * (letters) or card_number (cards). Issue and expiry days are in the
 * token itself.
 */
#include <stdint.h>

#include "cases/cases.h"
#include "core/buf.h"
#include "core/ids.h"
#include "eligibility/eligibility.h"
#include "render/render.h"
#include "sign/keys.h"
#include "store/store.h"

enum issue_kind {
	ISSUE_LETTER = 1, /* same values as enum token_kind */
	ISSUE_CARD = 2,
};

/* "letter" / "card" (the store's and the API's names). */
const char *issue_kind_name(enum issue_kind k);
/* "letter" or "surat" -> ISSUE_LETTER, "card" or "kartu" -> ISSUE_CARD;
 * else TB_EINVAL with an Indonesian message. */
int issue_kind_parse(const char *s, struct buf *err);

/*
 * The one rule of a document's life: it is in force when its stored
 * state is DOC_VALID and today (days since 1970-01-01, date_today()) is
 * on or before its expires_day, the last day it is valid. Only a
 * document in force is returned again by the gate, printed, or answered
 * VALID by the verifier. store_doc_in_force is the same rule in SQL, for
 * its indexed lookup; a unit test holds the two together.
 */
int issue_doc_in_force(const struct store_document *d, int64_t today);
/* What the document is today, for people: its stored state, or
 * DOC_EXPIRED for a valid one past its expires_day. */
enum doc_state issue_doc_state(const struct store_document *d, int64_t today);
/* The Indonesian word for a state, as in "kartu ... sudah %s": "berlaku",
 * "dicabut", "diganti", "kedaluwarsa"; "" for anything else. */
const char *issue_doc_state_word(enum doc_state s);

/*
 * Card numbers are 13 digits: the regency code (4), the two-digit year of
 * issue, the six-digit (kind, year) sequence, and a Luhn check digit over
 * those 12 (the ISO/IEC 7812 method: from the rightmost of the 12, double
 * every other digit), so any single mistyped digit shows.
 */
#define ISSUE_CARD_NUMBER_LEN 13
/* The card number of sequence seq (1..999999) of year into out.
 * TB_ECONFLICT when the year's sequence is used up, TB_EINTERNAL for a
 * regency that is not 4 digits. */
int issue_card_number(const char *regency, int year, int64_t seq,
		      char out[ISSUE_CARD_NUMBER_LEN + 1], struct buf *err);
/* The check digit 0..9 of digits12, or TB_EINVAL unless it is exactly 12
 * ASCII digits. */
int issue_card_check_digit(const char *digits12);
/* 1 when card13 is 13 digits whose last is the check digit; else 0. */
int issue_card_number_ok(const char *card13);

/* Everything borrowed: the caller keeps ownership and lifetime. */
struct issue_ctx {
	struct store *store;
	const struct policy *policy;
	const struct render_ctx *render;
	const struct keyring *keys;
	const char *verifier_host;  /* NULL: the policy's verifier_host */
	int64_t signing_time;       /* 0: now (PDF signing time) */
};

struct issue_result {
	struct store_document doc;  /* the document, new or existing */
	int existing;               /* 1: the case already had it in force */
	int decided;                /* 1: decision below was computed */
	struct elig_decision decision; /* the gate's re-run of the engine */
};

/*
 * The gate. Inside one store transaction: role check; if the case already
 * has a document of this kind in force, returns it (res->existing = 1,
 * nothing written, return 0); else loads the case facts, refuses
 * (TB_ECONFLICT) unless the case is approved, re-runs the engine and
 * refuses (TB_EREFUSED, every failed rule's message in err, the decision
 * in res) unless eligible, refuses (TB_ECONFLICT) when the NIK holds a
 * document of this kind in force from another case, then allocates the
 * serial and number, makes the token, renders, signs, stores the row and
 * its audit entry, and commits. On any failure nothing is written.
 * pdf (may be NULL) gets the signed bytes appended (existing ones too).
 */
int issue_document(struct issue_ctx *ctx, const struct cases_actor *a,
		   int64_t case_id, enum issue_kind kind,
		   struct issue_result *res, struct buf *pdf, struct buf *err);

/*
 * Many documents in one transaction (one fsync instead of one per
 * document: batch printing). Each item is the gate for its case, with the
 * gate's answer in items[i] (rc 0 or the refusal code, its message in
 * err, the document in res). A refusal skips that case only: the gate
 * refuses before it writes anything. A fault after a case took its
 * number (render, sign, database) rolls the whole batch back and is
 * returned. Returns the number of new documents; the PDFs stay in the
 * registry (issue_get).
 */
struct issue_batch_item {
	int64_t case_id;            /* in */
	int rc;                     /* out */
	char err[512];
	struct issue_result res;
};
int issue_batch(struct issue_ctx *ctx, const struct cases_actor *a,
		enum issue_kind kind, struct issue_batch_item *items, size_t n,
		struct buf *err);

/* Marks a valid document revoked (reason required), audited. */
int issue_revoke(struct issue_ctx *ctx, const struct cases_actor *a,
		 const char *serial, const char *reason, struct buf *err);

/*
 * A new document for the same case and kind, running every check of the
 * gate again (approved, eligible, no other document in force for the
 * NIK), with the old one marked superseded and linked to the new serial,
 * in one transaction. The old one must be "valid" (expired is allowed:
 * that is a renewal); TB_ECONFLICT for revoked or superseded ones.
 */
int issue_reissue(struct issue_ctx *ctx, const struct cases_actor *a,
		  const char *serial, const char *reason,
		  struct issue_result *res, struct buf *pdf, struct buf *err);

/*
 * Length of a specimen's stand-in QR payload. An issued payload is
 * "HTTPS://" + verifier host + "/V/" + the 152-character token (format
 * 2, docs/token.md): 186 characters with the sample policy's
 * SPM.BANYUWANGIKAB.GO.ID, 203 with a 40-character host. Every host
 * from 16 to 58 characters, and 190, encode as QR version 8 (49 modules)
 * at the level M that qr.c uses, so a specimen's code is drawn at the
 * size and density of an issued one, which is what a layout check
 * needs. A fixed length, not the exact one for the host, so that
 * specimens stay byte-for-byte the same (tests/render_case.sh reads 190
 * back from the printed code). It was 160 (version 7) for format 1.
 */
#define ISSUE_SPECIMEN_QR_LEN 190

/*
 * The fields of an unsigned specimen of case_id (`terbit render`), for
 * render_doc with RENDER_SPECIMEN. Refuses (TB_EREFUSED) unless the case
 * is approved; re-runs the engine for the score it prints but does not
 * refuse an ineligible case (a specimen is not a document: the gate
 * decides at issue). Numbers that cannot be mistaken for issued ones
 * (letter number and serial "CONTOH", card 0000000000000) and a QR
 * payload of the verifier URL's shape padded to ISSUE_SPECIMEN_QR_LEN.
 * No actor, no transaction, nothing written. out as in
 * issue_fields_build; TB_ENOTFOUND for an unknown case or region.
 */
int issue_specimen(struct store *s, const struct policy *p, int64_t case_id,
		   struct render_fields *out, struct buf *err);

/* Serial as typed (hex, any case, optional spaces or dashes) -> 16
 * upper-case hex digits. TB_EINVAL otherwise. */
int issue_serial_parse(const char *in, char out[SERIAL_LEN + 1], struct buf *err);

/* One document and (pdf not NULL) its bytes, when the actor may see the
 * case. TB_EPERM outside the actor's scope; an unknown serial is
 * TB_ENOTFOUND for the regency-wide readers and the same TB_EPERM for
 * everyone else (cases_sees_all). */
int issue_get(struct store *s, const struct cases_actor *a,
	      const char *serial, struct store_document *out, struct buf *pdf,
	      struct buf *err);

/* issue_get with the bytes, plus an audit row ("document.download") in
 * the same transaction: what the API's download route calls, so every
 * copy handed out is on record. pdf must not be NULL. */
int issue_fetch(struct store *s, const struct cases_actor *a,
		const char *serial, struct store_document *out,
		struct buf *pdf, struct buf *err);

/*
 * Cards on A4 sheets of ten as a file (docs/printing.md): the cards
 * named by serials (as issue_serial_parse takes them), render_card_sheet,
 * each card drawn from the fields stored when it was issued, so the
 * printed card is the issued one, same QR token. The social office
 * prints: role dinsos, cases it may see (TB_EPERM). Every card must be
 * in force: a letter (TB_EINVAL), a revoked, superseded or expired card
 * (TB_ECONFLICT), an unknown serial (TB_ENOTFOUND) or one named twice
 * (TB_EINVAL) refuses the whole batch with its serial in err. One audit
 * row "document.sheet" per sheet (object "sheet:K/M", the card count and
 * serials in the note). A file is not a print: the cards stay in the
 * print queue until a CUPS job carrying them completes
 * (issue_print_submit). The PDF is appended to pdf (unchanged on
 * failure); it is unsigned and not stored. Returns the number of sheets.
 */
int issue_card_sheet(struct issue_ctx *ctx, const struct cases_actor *a,
		     const char *const *serials, size_t n, struct buf *pdf,
		     struct buf *err);

/* Documents the actor may see, oldest first. */
int issue_list(struct store *s, const struct cases_actor *a,
	       const struct store_doc_filter *f,
	       int (*fn)(const struct store_document *d, void *arg), void *arg,
	       struct buf *err);

/*
 * Staff view of a document (full NIK: for the office, never the public
 * verifier): {"serial","kind","case_id","nik","name","number","state",
 *  "issued","expires","sha256","size","policy_version","score","office",
 *  "faskes","issued_by","issued_at","revoked_at","revoked_by","reason",
 *  "superseded_by","replaces","token"}
 */
int issue_doc_json(const struct store_document *d, struct buf *out);
/* [issue_doc_json, ...] of issue_list. */
int issue_list_json(struct store *s, const struct cases_actor *a,
		    const struct store_doc_filter *f, struct buf *out,
		    struct buf *err);

/*
 * Seals (docs/issuance.md, "Seals"): every registry row carries an
 * HMAC-SHA256 under the keyring's seal key (keys/seal.key, never in the
 * database) over store_doc_canon's encoding. The gate seals each row it
 * writes, and revocation and reissue seal the changed row again, in the
 * same transaction. 1 when d's seal is right; 0 when it is missing or
 * wrong, or cannot be computed (no seal key): never 1 on a failure. The
 * verifier answers FORGED for a row that is not 1 here.
 */
int issue_doc_seal_ok(const struct keyring *kr,
		      const struct store_document *d);

/*
 * Seals the rows that have no seal: those written before migration 6
 * (`terbit document seal`, run once after the upgrade). A row whose seal
 * is present but wrong is never sealed again: that would launder an edit.
 * One transaction and one audit row ("document.seal"). Returns the number
 * sealed; TB_ENOTFOUND when the keyring has no seal key.
 */
int issue_seal_unsealed(struct store *s, const struct keyring *kr,
			struct buf *err);

/*
 * Registry self-check, for operators and the crash test: first PRAGMA
 * integrity_check (a damaged file stops the check there); then for every row,
 * the SHA-256 of the stored bytes equals the stored hash, the PDF
 * signature verifies against the keyring, the stored token parses,
 * verifies and names the row's serial, its seal is right and the stored
 * fields hash to fields_sha256; per year the letter numbers run 1..N
 * without gap or duplicate and the counter stands at N; the audit log's
 * hash chain holds; every document.issue/reissue entry names a row and
 * every row has one (a deleted last document shows even with its counter
 * turned back). Each problem is appended to report as one line, naming
 * the serial or audit id. Returns the number of rows checked, or a TB_E
 * code. *nbad gets the number of problems.
 */
int issue_check(struct store *s, const struct keyring *kr,
		struct buf *report, size_t *nbad, struct buf *err);

/* ---- web pages: print queue and document search (lists.c) -------- */

/*
 * Documents of kind in force and never printed (document_prints,
 * migration 5), of cases the actor may see, CASES_PAGE rows from offset,
 * oldest issue first (newest_first 0) or the reverse. Printing belongs
 * to the social office: role dinsos (TB_EPERM otherwise). *out malloc'd
 * (free()); *total (may be NULL) counts them all.
 */
int issue_print_queue(struct store *s, const struct cases_actor *a,
		      enum issue_kind kind, int newest_first, size_t offset,
		      struct store_document **out, size_t *n, size_t *total,
		      struct buf *err);


/*
 * Documents in any state of cases the actor may see (a NULL actor: all),
 * newest first, CASES_PAGE rows from offset. query: a serial (16 hex
 * digits, spaces or dashes allowed), digits (a NIK prefix; 16 digits
 * that match no NIK are tried as a serial), or else part of the holder's
 * name (at least 2 characters, case-insensitive). *out malloc'd
 * (free()); *total (may be NULL) counts every match.
 */
int issue_doc_search(struct store *s, const struct cases_actor *a,
		     const char *query, size_t offset,
		     struct store_document **out, size_t *n, size_t *total,
		     struct buf *err);

/* ---- printing through CUPS (printjob.c, docs/printing.md) -------- */

/* A print request: documents of one kind, by serial. */
struct issue_print_req {
	const char *const *serials;
	size_t n;                 /* 1..STORE_PRINT_DOCS_MAX */
	const char *printer;      /* NULL: the one set up for the kind */
	int copies;               /* 0 is 1; at most PRINT_COPIES_MAX */
	int reprint;              /* documents printed (or in a job) before */
	const char *reason;       /* a reprint's reason, required with it */
	int dry_run;              /* every check, nothing sent or written:
				   * may a page offer this request? */
};

/*
 * Sends documents to a printer through CUPS. Role dinsos, cases it may
 * see. Every document in force and sealed, all letters or all cards,
 * none twice. A document already printed, or in a job not ended yet, is
 * refused unless reprint is set with a reason (TB_ECONFLICT / TB_EINVAL);
 * reprint of a document never printed is refused too, so a reprint in
 * the log always is one. The printer: req->printer, else the one set
 * up (issue_print_setup; TB_ENOTFOUND when none); it must exist in CUPS
 * and accept jobs, and have what the kind needs: A4 for letters and
 * sheets, CR80 for one card a page, long-edge duplex for cards (front
 * and back) (TB_EREFUSED, saying what is missing). Letters go one job
 * each as their signed PDF, one-sided; cards one job each as their
 * signed one-card PDF on a card printer, or all in one job as A4 sheets
 * of ten on an A4 printer; cards two-sided long edge. The job name is
 * the serials. Each job accepted is recorded (store_print_job_add) with
 * an audit row "print.submit" (object "print:ID", note CUPS id,
 * printer, serials, reprint reason), in one transaction with the
 * checks; when anything fails the jobs already sent are cancelled.
 * Nothing counts as printed yet: issue_print_follow does that. *jobs
 * gets the rows (malloc'd), *njobs their count. Returns 0.
 */
int issue_print_submit(struct issue_ctx *ctx, const struct cases_actor *a,
		       const struct issue_print_req *req,
		       struct store_print_job **jobs, size_t *njobs,
		       struct buf *err);

/*
 * Follows the jobs not ended (only job_id when it is not 0): asks CUPS
 * each one's state and stores it. A completed job counts its documents
 * printed (document_prints) with one audit row each, "document.print"
 * or "document.reprint", actor the officer who sent it, object
 * "document:SERIAL", note "pekerjaan ID (CUPS N) printer P selesai"
 * (and the reprint's reason); a cancelled or aborted one (or one CUPS
 * no longer knows) ends with CUPS's reason in the row and one audit row
 * "print.failed", its documents unprinted. One transaction per job
 * that changed. Returns how many jobs ended.
 */
int issue_print_follow(struct store *s, int64_t job_id, struct buf *err);

/* Which printer prints letters (kind ISSUE_LETTER: an A4 printer) or
 * cards (ISSUE_CARD; sheets 1: A4 sheets of ten on an A4 printer, 0:
 * one card a page on a CR80 printer); checked with CUPS as the submit
 * checks it (TB_ENOTFOUND, TB_EREFUSED), stored, audited
 * "print.setup". Role dinsos or the console (NULL). */
int issue_print_setup(struct store *s, const struct cases_actor *a,
		      enum issue_kind kind, const char *printer, int sheets,
		      struct buf *err);

/* The latest limit jobs, newest first, for the social office (dinsos;
 * TB_EPERM otherwise); *out malloc'd. */
int issue_print_jobs(struct store *s, const struct cases_actor *a,
		     size_t limit, struct store_print_job **out, size_t *n,
		     struct buf *err);
/* The printer set up for kind; TB_ENOTFOUND when none. Then asks CUPS
 * whether it can take the kind's jobs now, as issue_print_submit would
 * (TB_EREFUSED: unsuitable or rejecting jobs, TB_ENOTFOUND: gone from
 * CUPS, TB_EIO: CUPS unreachable; out is filled in all three), so a
 * page offers the send button only when the send would be taken. */
int issue_print_printer(struct store *s, enum issue_kind kind,
			struct store_print_setup *out, struct buf *err);

/* A document's print record: how many times its jobs completed and
 * when (document_prints), and its jobs newest first (up to limit). */
int issue_print_history(struct store *s, const struct cases_actor *a,
			const char *serial, size_t limit,
			struct store_print_job **jobs, size_t *njobs,
			int *count, char last_at[32], struct buf *err);

#endif
