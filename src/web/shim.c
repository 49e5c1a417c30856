/* TEMPORARY stand-ins for the accounts branch (see shim.h). */
#include "web/shim.h"

#include "core/err.h"

int cases_login(struct store *s, const char *name, const char *password,
		const char *addr, struct buf *sid, struct cases_actor *actor,
		unsigned *retry_s, struct buf *err)
{
	(void)s; (void)name; (void)password; (void)addr; (void)sid;
	(void)actor; (void)retry_s;
	return tb_err(err, TB_EINTERNAL, "akun belum tersedia");
}

int cases_logout(struct store *s, const char *sid, struct buf *err)
{
	(void)s; (void)sid;
	return tb_err(err, TB_EINTERNAL, "akun belum tersedia");
}

int cases_password_change(struct store *s, const struct cases_actor *a,
			  const char *old_pw, const char *new_pw,
			  struct buf *err)
{
	(void)s; (void)a; (void)old_pw; (void)new_pw;
	return tb_err(err, TB_EINTERNAL, "akun belum tersedia");
}
