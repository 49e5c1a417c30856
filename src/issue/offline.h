#ifndef TERBIT_OFFLINE_H
#define TERBIT_OFFLINE_H
/*
 * Verification without the registry (`terbit verify --offline`, and a
 * server checking another issuer's tokens): trusted keys (sign/trust.h)
 * and the issuers' signed status lists (sign/statuslist.h). The answer
 * uses verify.h's states, first words and exit codes:
 *
 *   the token must parse, its kid be trusted for its issuer and its
 *   signature hold (else FORGED, as online);
 *   the issuer's status list names the serial: R REVOKED, S SUPERSEDED,
 *   X EXPIRED;
 *   the token's own expires day is before today: EXPIRED;
 *   no list for the issuer, or the list is past its "next": STALE (the
 *   revocations since are unknown; never a plain VALID);
 *   else VALID "as of" the list's made.
 *
 * Revocation is final, so an R or S is believed from any list, old or
 * not. Nothing personal is known offline: found is always 0.
 *
 * A PDF: its PAdES signature must be VALID under the CA certificates of
 * an export-public directory, then the serial printed on it (covered by
 * that signature) is looked up the same way, with the directory's
 * issuer. The QR drawing itself is not decoded: the serial it names is
 * the printed one.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "issue/verify.h"
#include "sign/keys.h"
#include "sign/trust.h"

/* The status lists a checker holds, each checked against the trust. */
struct offline_lists;

/*
 * Reads path: one status list file, or a directory of them (every
 * regular file in it). Each must parse and verify under t
 * (trust_status_check); one list per issuer (the newest made wins).
 * path NULL: no lists (every otherwise good token is STALE).
 */
int offline_lists_load(struct trust *t, const char *path,
		       struct offline_lists **out, struct buf *err);
void offline_lists_free(struct offline_lists *l);

struct offline_result {
	struct verify_result r;      /* state and detail; found is 0 */
	int have_token;
	struct token tok;
	uint32_t issuer;             /* the token's (format 1: its key's) */
	char issuer_name[TRUST_NAME_MAX];
	int have_list;               /* a list of that issuer was used */
	int64_t list_made, list_next;
	int64_t now;                 /* the time it was checked at */
};

/* The checker's clock: now, or with TERBIT_TODAY set (tests) that day at
 * the time of day it is now, as every date of the checks moves with it. */
int64_t offline_now(void);

/* A bare token or a verification URL. Every input is a verdict. */
void verify_offline_token(const struct trust *t, const struct offline_lists *l,
			  const char *in, int64_t now, struct offline_result *out);

/* The same for a token already parsed. */
void verify_offline_parsed(const struct trust *t, const struct offline_lists *l,
			   const struct token *tok, int64_t now,
			   struct offline_result *o);

/*
 * PDF bytes, with pub from keyring_load_public. 0 with a verdict, or a
 * TB_E code when it could not decide (no memory).
 */
int verify_offline_pdf(const struct keyring *pub, const struct trust *t,
		       const struct offline_lists *l, const void *pdf, size_t n,
		       int64_t now, struct offline_result *out, struct buf *err);

/* Text for people (first line the state name, like verify_result_text)
 * and JSON ({"state","label","detail","offline":true,"issuer",...}). */
int offline_result_text(const struct offline_result *o, struct buf *out);
int offline_result_json(const struct offline_result *o, struct buf *out);

#endif
