#ifndef TERBIT_VERIFY_H
#define TERBIT_VERIFY_H
/*
 * verify: what a health facility asks of a QR code or a PDF. The answer is
 * one of six states and the document's public view (masked personal data
 * only). Used by `terbit verify` and by the HTTP verifier.
 *
 * Threads: the keyring is read-only and shared; each thread passes its
 * own store handle. Every lookup is one SELECT (its own short read
 * transaction), so a verification never blocks the gate for longer than
 * that statement and never sees half a document.
 *
 * A token is checked in this order: it must parse (token_parse_url), its
 * key id must be in the keyring and its signature good (token_verify);
 * then the registry decides: serial absent -> UNKNOWN; the stored token
 * not byte-for-byte the presented one -> FORGED; revoked -> REVOKED;
 * superseded -> SUPERSEDED; expiry day before today (date_today(),
 * TERBIT_TODAY in tests) -> EXPIRED; else VALID.
 *
 * A PDF: pades_verify against the keyring's CAs must say VALID (anything
 * else: FORGED, with the reason in detail), then the SHA-256 of the whole
 * file must be a registry row's (else UNKNOWN: a good signature on bytes
 * we never issued), then that row's state as above. A sound signature
 * whose certificate the office's CRL revokes (PADES_REVOKED) answers
 * REVOKED for a row in force, superseded or expired, naming the
 * certificate in detail (UNKNOWN without a row; a revoked or forged row
 * keeps its own answer).
 */
#include <stddef.h>

#include "core/buf.h"
#include "sign/keys.h"
#include "store/store.h"

/*
 * The largest PDF verify_pdf is handed, by the API (413 past it) and by
 * `terbit verify FILE`. A signed letter or card is about 50 KB, so
 * anything much bigger cannot be bytes we issued. 5 MB still lets a copy
 * re-saved by other tools be read and answered (FORGED or UNKNOWN, with
 * the reason) instead of refused unread, and bounds what a public,
 * unauthenticated upload makes the server hash and parse. One limit for
 * both faces, so the CLI and the API answer the same file the same way
 * (the CLI took 20 MB before).
 */
#define VERIFY_PDF_MAX (5u * 1024 * 1024)

enum verify_state {
	VERIFY_VALID = 0,
	VERIFY_REVOKED,
	VERIFY_SUPERSEDED,
	VERIFY_EXPIRED,
	VERIFY_UNKNOWN,
	VERIFY_FORGED,
	/*
	 * Only without the registry (issue/offline.h): the signature holds
	 * and the status list does not name the document, but the list is
	 * past its "next" (or there is none for the token's issuer), so
	 * whether it is still in force is not known: never a plain VALID.
	 */
	VERIFY_STALE,
};

/* "VALID", "REVOKED", ...: the stable names (CLI first word, JSON). */
const char *verify_state_name(enum verify_state s);
/* Indonesian label for people: "SAH", "DICABUT", ... */
const char *verify_state_label(enum verify_state s);

struct verify_result {
	enum verify_state state;
	char detail[256];         /* Indonesian: why, for non-VALID states */
	int found;                /* 1: doc below is a registry row */
	struct store_document doc;
	/* verify_host_check: the host of the URL presented ("" for a bare
	 * token) and 1 when it is not the office's verifier host. */
	char host[80];
	int host_mismatch;
	/* SUPERSEDED: the replacing document's number (letter number, or
	 * the 13-digit card number), read from the registry; "" when its
	 * row is missing. */
	char superseded_number[64];
};

enum {
	/*
	 * The hot path for the HTTP verifier: when the serial is in the
	 * registry and the presented token is byte-for-byte the stored one
	 * (constant-time compare), the Ed25519 check is skipped: the stored
	 * token was made and signed by the gate and the registry is the
	 * authority anyway. Any other case takes the full path, so the
	 * answer is the same with or without the flag.
	 */
	VERIFY_FAST = 1,
};

/*
 * Verifies a bare token or a verification URL. Returns 0 with a verdict
 * in *out (every malformed input is a verdict: FORGED), or a negative
 * TB_E code when it could not decide (database failure, no memory).
 */
int verify_token(struct store *s, const struct keyring *kr, const char *in,
		 int flags, struct verify_result *out, struct buf *err);

/*
 * Other issuers a server vouches for (`trust` in its configuration,
 * docs/trust.md): their keys and the status lists it holds for them.
 */
struct trust;
struct offline_lists;
struct verify_others {
	const struct trust *trust;
	const struct offline_lists *lists;  /* may be NULL: STALE answers */
};
/*
 * verify_token, but a token whose kid is not the office's is checked
 * against others (issue/offline.h: its issuer's key and status list,
 * STALE without a current list) instead of being FORGED at once. Only
 * a kid the keyring lacks takes that path: the office's own tokens cost
 * nothing more. others NULL: verify_token.
 */
int verify_token_with(struct store *s, const struct keyring *kr,
		      const struct verify_others *others, const char *in,
		      int flags, struct verify_result *out, struct buf *err);

/*
 * verify_token_with, reading registry rows from ix (issue/vindex.h) when
 * it holds them, their seals checked when they were read, and from s
 * otherwise: the same answer, without a database read or an HMAC for
 * the rows the index holds. ix NULL: verify_token_with.
 */
struct vindex;
int verify_token_indexed(struct store *s, struct vindex *ix,
			 const struct keyring *kr,
			 const struct verify_others *others, const char *in,
			 int flags, struct verify_result *out, struct buf *err);

/*
 * A token is valid wherever it is shown, but one printed under another
 * host is suspicious: someone made a QR code that sends people to their
 * own page (which can say anything) with a real token in it. Fills
 * out->host from in when in is a URL ("https://HOST/v/TOKEN", any case)
 * and sets out->host_mismatch when HOST (port included) is not expected
 * (the policy's verifier_host or TERBIT_VERIFIER_HOST), ignoring case.
 * The verdict is not changed. expected NULL or "": nothing is compared.
 */
void verify_host_check(struct verify_result *out, const char *in,
		       const char *expected);

/* Verifies PDF bytes. Returns as verify_token. */
int verify_pdf(struct store *s, const struct keyring *kr, const void *pdf,
	       size_t n, struct verify_result *out, struct buf *err);

/*
 * The public view as JSON (what `terbit verify --json` prints and the API
 * returns):
 *   {"state":"VALID","label":"SAH","detail":"...",
 *    "document":{"serial","kind","kind_label","number","name","nik",
 *      "issued","expires","issued_label","expires_label","office",
 *      "faskes","revoked_at","reason","superseded_by",
 *      "superseded_by_number"}}
 * plus "host" and "host_mismatch":true when verify_host_check found a
 * foreign host;
 * name and nik masked (mask_name, mask_nik); dates ISO plus the Indonesian
 * labels; "document" is null when no registry row was found; revocation
 * members only when revoked, superseded_by (the serial) and
 * superseded_by_number (the new document's number, when its row is there)
 * only when superseded.
 */
int verify_result_json(const struct verify_result *r, struct buf *out);

/* Indonesian name of a document kind ("letter", "card") for people: the
 * name the document itself carries in its title (the card's title band
 * says "KARTU INDONESIA SEHAT" over "Jaminan Kesehatan Daerah";
 * tests/verifier_page.sh holds the two together). */
const char *verify_kind_label(const char *kind);

/* A document's number as the document prints it: a card number in its
 * groups of four (fmt_card_number, the layouts' `|card`), a letter
 * number as it is. 0 or TB_ENOMEM. */
int verify_number_label(struct buf *out, const char *kind,
			const char *number);

/*
 * The public, masked values of a found document, as the JSON and text
 * views show them (and the HTML verifier page): masked name and NIK, ISO
 * dates and their Indonesian labels, the number as printed
 * (verify_number_label) and, when superseded, the new document's number
 * as printed ("" otherwise). The strings live in one buffer (a
 * verification makes one allocation for them, not eight) until
 * verify_view_release. verify_view_init always leaves v releasable, its
 * strings "" on failure; 0 or TB_ENOMEM.
 */
struct verify_view {
	const char *name, *nik, *issued, *expires, *issued_label, *expires_label;
	const char *number, *successor;
	struct buf text_;           /* private: the fields, NUL-separated */
};
int verify_view_init(struct verify_view *v, const struct verify_result *r);
void verify_view_release(struct verify_view *v);

/* The same as Indonesian text lines, the state name first. */
int verify_result_text(const struct verify_result *r, struct buf *out);

/*
 * "Does this NIK belong to the document's holder?" for a facility that
 * typed the NIK from the KTP in front of it. The token must verify to a
 * registry row (any state); *match is then 1 or 0 (constant-time
 * comparison of the 16 digits). TB_ENOTFOUND when the token does not name
 * a row we issued (FORGED or UNKNOWN), TB_EINVAL for a NIK that is not 16
 * digits. The answer leaks one bit per call: the HTTP layer rate-limits.
 */
int verify_nik_match(struct store *s, const struct keyring *kr,
		     const char *token, const char *nik, int *match,
		     struct buf *err);

#endif
