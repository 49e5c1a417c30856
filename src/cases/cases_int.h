#ifndef TERBIT_CASES_INT_H
#define TERBIT_CASES_INT_H
/*
 * Inside the cases module only: helpers cases.c owns that the module's
 * other files (account.c) use too, so there is one audit writer, one
 * token maker and one user-to-actor rule.
 */
#include "cases/cases.h"

#define CASES_CONSOLE_NAME "console"

/* Appends an audit row as actor a (NULL: the console). */
int cases__audit(struct store *s, const struct cases_actor *a,
		 const char *action, const char *object, const char *note,
		 struct buf *err);
/* The refusal of a NIK that is unknown or outside a's scope, the same
 * for both: an audit row "access.denied.nik" (object "resident:NIK",
 * note what), then TB_EPERM "NIK tidak ditemukan di wilayah Anda". Call
 * it after the operation's transaction has rolled back. */
int cases__deny_nik(struct store *s, const struct cases_actor *a,
		    const char *what, const char *nik, struct buf *err);
/* Appends 32 random bytes as unpadded base64url (43 characters). */
int cases__new_token(struct buf *out, struct buf *err);
/* The account clock (unix seconds): time(), or the tests' cases_clock_set. */
int64_t cases__now(void);
/* The actor for a user row: TB_EAUTH when the user is disabled, TB_EDB
 * when the stored role is not a workflow role. */
int cases__actor_from_user(const struct store_user *u,
			   struct cases_actor *out, struct buf *err);

/* account.c: the user row behind a session (id_sha256_hex: 64 hex of the
 * raw id's SHA-256), when the session is neither idle for
 * CASES_SESSION_IDLE_S nor older than CASES_SESSION_MAX_S; an expired one
 * is deleted. Touches last_seen at most once a minute. TB_EAUTH. */
int cases__session_user(struct store *s, const char *id_sha256_hex,
			struct store_user *out, struct buf *err);

#endif
