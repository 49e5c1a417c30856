#ifndef TERBIT_WEB_SHIM_H
#define TERBIT_WEB_SHIM_H
/* TEMPORARY: the accounts functions of the shared plan, until h-web (the
 * accounts branch) is merged; deleted then. */
#include "cases/cases.h"

#define CASES_SESSION_IDLE_S (30 * 60)
#define CASES_SESSION_MAX_S (12 * 3600)
#define CASES_PASSWORD_MIN 10
int cases_login(struct store *s, const char *name, const char *password,
		const char *addr, struct buf *sid, struct cases_actor *actor,
		unsigned *retry_s, struct buf *err);
int cases_logout(struct store *s, const char *sid, struct buf *err);
int cases_password_change(struct store *s, const struct cases_actor *a,
			  const char *old_pw, const char *new_pw,
			  struct buf *err);
#define WEB_MUST_CHANGE(a) 0

#endif
