/*
 * Accounts: sign-in with throttling, browser sessions, password rules,
 * and the administrator's user operations. The writing operations follow
 * the module's shape (check, begin, write, audit, commit); the slow part
 * of a sign-in, the password hash, runs before the transaction so a
 * sign-in never holds the database's write lock for 70 ms.
 */
#include "cases/cases.h"
#include "cases/cases_int.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/digest.h"
#include "core/err.h"
#include "core/random.h"
#include "sign/passwd.h"

/* ---- the clock ---------------------------------------------------- */

static int64_t (*clock_fn)(void);

void cases_clock_set(int64_t (*now)(void))
{
	clock_fn = now;
}

static int64_t now_s(void)
{
	return clock_fn ? clock_fn() : (int64_t)time(NULL);
}

int64_t cases__now(void)
{
	return now_s();
}

/* ---- the common-password list ------------------------------------- */

/* Lower-cased words, sorted for bsearch; one allocation holds the text. */
static struct {
	char *text;
	const char **words;
	size_t n;
} common;

static int cmp_word(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void ascii_lower(char *p)
{
	for (; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}

int cases_password_list_load(const char *path, struct buf *err)
{
	struct buf text = BUF_INIT;
	const char **words = NULL;
	size_t n = 0, cap = 0;
	int rc = buf_read_file(&text, path, 1u << 20, err);
	if (rc < 0)
		goto out;
	rc = TB_ENOMEM;
	for (char *line = text.data, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		size_t len = strcspn(line, "\r");
		line[len] = 0;
		if (len == 0 || line[0] == '#')
			continue;
		ascii_lower(line);
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			const char **grown = realloc(words, cap * sizeof *words);
			if (!grown) {
				tb_err(err, rc, "memori habis");
				goto out;
			}
			words = grown;
		}
		words[n++] = line;
	}
	if (n == 0) {
		rc = tb_err(err, TB_EINVAL, "%s: daftar kata sandi umum kosong",
			    path);
		goto out;
	}
	qsort(words, n, sizeof *words, cmp_word);
	free(common.text);
	free(common.words);
	common.text = buf_detach(&text, NULL);
	common.words = words;
	common.n = n;
	words = NULL;
	rc = common.text ? 0 : tb_err(err, TB_ENOMEM, "memori habis");
out:
	free(words);
	buf_release(&text);
	return rc;
}

/* UTF-8 characters, not bytes: "ñ" is one character to the user. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int cases_password_ok(const char *pw, const char *username, struct buf *err)
{
	char low[PASSWD_MAX + 1];
	if (!common.n)
		return tb_err(err, TB_EINTERNAL,
			      "daftar kata sandi umum belum dimuat");
	if (!pw || utf8_chars(pw) < CASES_PASSWORD_MIN)
		return tb_err(err, TB_EINVAL, "Kata sandi minimal %d karakter",
			      CASES_PASSWORD_MIN);
	if (strlen(pw) > PASSWD_MAX)
		return tb_err(err, TB_EINVAL,
			      "Kata sandi terlalu panjang (paling banyak %d byte)",
			      PASSWD_MAX);
	if (username && strcasecmp(pw, username) == 0)
		return tb_err(err, TB_EINVAL,
			      "Kata sandi tidak boleh sama dengan nama pengguna");
	snprintf(low, sizeof low, "%s", pw);
	ascii_lower(low);
	const char *key = low;
	int hit = bsearch(&key, common.words, common.n, sizeof *common.words,
			  cmp_word) != NULL;
	OPENSSL_cleanse(low, sizeof low);
	if (hit)
		return tb_err(err, TB_EINVAL,
			      "Kata sandi terlalu umum dan mudah ditebak; pilih "
			      "yang lain");
	return 0;
}

/* ---- throttling --------------------------------------------------- */

#define LOCK_S (15 * 60)    /* lock time, and when failures are forgotten */
#define DELAY_CAP_S 64

/* When the delay starts and when the lock falls, per kind of key. An
 * address is shared by a whole village office behind one NAT, so it gets
 * more room than one account. */
struct throttle {
	int delay_from, lock_at;
};
static const struct throttle by_account = { 3, 10 };
static const struct throttle by_address = { 10, 50 };

/* Seconds to wait before key may try again (0: now). */
static int throttle_wait(struct store *s, const char *key,
			 const struct throttle *t, int64_t now,
			 unsigned *wait, struct buf *err)
{
	int k;
	int64_t last;
	*wait = 0;
	int rc = store_login_failures_get(s, key, &k, &last, err);
	if (rc < 0 || k == 0 || now - last >= LOCK_S)
		return rc;
	int64_t until = last;
	if (k >= t->lock_at)
		until = last + LOCK_S;
	else if (k >= t->delay_from)
		until = last + (k - t->delay_from >= 6
					? DELAY_CAP_S
					: (int64_t)1 << (k - t->delay_from));
	if (until > now)
		*wait = (unsigned)(until - now);
	return 0;
}

/* The two keys of an attempt. The account key is the SHA-256 of the name
 * as typed, known or not: a password typed into the name field must not
 * land in the table, and the throttle must not tell who exists. */
struct keys {
	struct buf user, addr;
};

static int keys_make(struct keys *k, const char *name, const char *addr)
{
	buf_init(&k->user, 0);
	buf_init(&k->addr, 0);
	if (buf_adds(&k->user, "user:") < 0 ||
	    digest_sha256_hex(&k->user, name, strlen(name)) < 0 ||
	    buf_addf(&k->addr, "addr:%s", addr) < 0)
		return TB_ENOMEM;
	return 0;
}

static void keys_release(struct keys *k)
{
	buf_release(&k->user);
	buf_release(&k->addr);
}

static int throttled(struct store *s, const struct keys *k, int64_t now,
		     unsigned *wait, struct buf *err)
{
	unsigned w1, w2;
	int rc = throttle_wait(s, k->user.data, &by_account, now, &w1, err);
	if (rc == 0)
		rc = throttle_wait(s, k->addr.data, &by_address, now, &w2, err);
	*wait = rc < 0 ? 0 : w1 > w2 ? w1 : w2;
	return rc;
}

/* ---- sign-in ------------------------------------------------------ */

/*
 * Verified when there is no real hash to check, so an unknown user costs
 * the same scrypt as a known one. Any well-formed string at the current
 * parameters will do: it can never match, nobody knows a preimage.
 */
#define STR_(x) #x
#define STR(x) STR_(x)
static const char dummy_hash[] =
	"$scrypt$ln=" STR(PASSWD_LN) ",r=" STR(PASSWD_R) ",p=" STR(PASSWD_P)
	"$000102030405060708090a0b0c0d0e0f"
	"$e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

#define LOGIN_FAILED "Nama pengguna atau kata sandi salah"

/* The audit row of an attempt, in its own transaction when the attempt
 * writes nothing else. u: the user when the name is known. */
static int login_audit(struct store *s, const struct store_user *u,
		       const char *action, const char *addr, const char *why,
		       struct buf *err)
{
	struct buf object = BUF_INIT, note = BUF_INIT;
	int rc = TB_ENOMEM;
	/* An unknown name is not written down: people type their password
	 * into the name field. */
	if (buf_addf(&object, "user:%s", u ? u->name : "-") < 0 ||
	    buf_addf(&note, "alamat %s%s%s", addr, why ? "; " : "",
		     why ? why : "") < 0) {
		tb_err(err, rc, "memori habis");
		goto out;
	}
	/* The row as stored, role included: a sign-in is audited even for a
	 * user whose role no longer parses. */
	rc = store_audit_add(s, u ? u->name : "-", u ? u->role : "-", action,
			     object.data, note.data, err);
out:
	buf_release(&object);
	buf_release(&note);
	return rc;
}

int cases_audit_unauth(struct store *s, const char *client, const char *what,
		       const char *why, struct buf *err)
{
	struct buf object = BUF_INIT, note = BUF_INIT;
	int rc = TB_ENOMEM;
	if (buf_addf(&object, "addr:%s", client && *client ? client : "-") < 0 ||
	    buf_addf(&note, "%s; %s", what ? what : "-", why ? why : "-") < 0) {
		tb_err(err, rc, "memori habis");
		goto out;
	}
	if ((rc = store_begin(s, err)) < 0)
		goto out;
	rc = store_audit_add(s, "-", "-", "auth.denied", object.data, note.data,
			     err);
	rc = store_end(s, rc, err);
out:
	buf_release(&object);
	buf_release(&note);
	return rc;
}

static int refuse_throttled(struct store *s, const struct store_user *u,
			    const char *addr, unsigned wait, unsigned *retry_s,
			    struct buf *err)
{
	char why[80];
	snprintf(why, sizeof why,
		 "ditolak: terlalu banyak percobaan, tunggu %u detik", wait);
	int rc = store_begin(s, err);
	if (rc < 0)
		return rc;
	if ((rc = login_audit(s, u, "auth.login.failed", addr, why, err)) < 0) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, err)) < 0)
		return rc;
	if (retry_s)
		*retry_s = wait;
	return tb_err(err, TB_ERATE,
		      "Terlalu banyak percobaan masuk. Coba lagi dalam %u detik.",
		      wait);
}

/* A failed sign-in, inside the caller's transaction: counted against
 * the account and the address, and audited. */
static int login_failure(struct store *s, const struct keys *k,
			 const struct store_user *known, const char *addr,
			 int64_t now, struct buf *err)
{
	int rc;
	if ((rc = store_login_failure_add(s, k->user.data, now, now - LOCK_S,
					  err)) < 0 ||
	    (rc = store_login_failure_add(s, k->addr.data, now, now - LOCK_S,
					  err)) < 0 ||
	    (rc = store_login_failures_purge(s, now - LOCK_S, err)) < 0)
		return rc;
	return login_audit(s, known, "auth.login.failed", addr,
			   known ? "kata sandi salah atau akun tidak aktif"
				 : "pengguna tidak dikenal",
			   err);
}

/* A successful sign-in, inside the caller's transaction: a new session
 * (raw id into *id, its digest into *idhex), the account's failures
 * forgotten, a cheaper old hash replaced, the audit row. */
static int login_success(struct store *s, const struct keys *k,
			 const struct store_user *known, const char *addr,
			 int64_t now, const struct buf *rehash,
			 struct cases_actor *actor, struct buf *id,
			 struct buf *idhex, struct buf *err)
{
	int rc;
	if ((rc = cases__actor_from_user(known, actor, err)) < 0 ||
	    (rc = cases__new_token(id, err)) < 0)
		return rc;
	if (digest_sha256_hex(idhex, id->data, id->len) < 0)
		return tb_err(err, TB_ENOMEM, "memori habis");
	if ((rc = store_login_failures_clear(s, k->user.data, err)) < 0 ||
	    (rc = store_session_purge(s, now - CASES_SESSION_IDLE_S,
				      now - CASES_SESSION_MAX_S, err)) < 0 ||
	    (rc = store_session_add(s, idhex->data, known->name, now, err)) < 0)
		return rc;
	if (rehash->len &&
	    (rc = store_user_set_password(s, known->name, rehash->data,
					  known->must_change_password, err)) < 0)
		return rc;
	return login_audit(s, known, "auth.login", addr, NULL, err);
}

int cases_login(struct store *s, const char *name, const char *password,
		const char *addr, struct buf *sid, struct cases_actor *actor,
		unsigned *retry_s, struct buf *err)
{
	struct store_user u, *known = NULL;
	struct buf hash = BUF_INIT, rehash = BUF_INIT, id = BUF_INIT,
		   idhex = BUF_INIT;
	struct keys k;
	unsigned wait = 0;
	int64_t now = now_s();
	int rc = TB_EAUTH, ok = 0;
	if (retry_s)
		*retry_s = 0;
	if (!addr || !*addr)
		addr = "-";
	if (!password)
		password = "";
	/* An empty or absurd name is just an unknown user: same path, same
	 * time, same audit row, same throttle. */
	if (!name)
		name = "";
	if ((rc = keys_make(&k, name, addr)) < 0) {
		tb_err(err, rc, "memori habis");
		goto out;
	}
	if ((rc = throttled(s, &k, now, &wait, err)) < 0)
		goto out;
	rc = store_user_get(s, name, &u, err);
	if (rc == 0)
		known = &u;
	else if (rc != TB_ENOTFOUND)
		goto out;
	if (wait) {
		rc = refuse_throttled(s, known, addr, wait, retry_s, err);
		goto out;
	}
	if (known && (rc = store_user_password(s, name, &hash, err)) < 0)
		goto out;
	/* Disabled users and users without a password go through the same
	 * hash as everyone else and fail the same way. */
	int real = known && !known->disabled && hash.len > 0;
	rc = passwd_verify(password, real ? hash.data : dummy_hash, err);
	if (rc == 0 && real)
		ok = 1;
	else if (rc != TB_EAUTH && rc != 0 && rc != TB_EINVAL)
		goto out;
	if (ok && passwd_needs_rehash(hash.data) &&
	    passwd_hash(password, &rehash, err) < 0)
		buf_reset(&rehash); /* keep the old hash; still signed in */

	if ((rc = store_begin(s, err)) < 0)
		goto out;
	/* Again under the write lock: attempts that ran in parallel may
	 * have used up the allowance while this one was hashing. Its result
	 * is then not revealed, nor counted. */
	if ((rc = throttled(s, &k, now, &wait, err)) < 0 || wait) {
		store_rollback(s);
		if (wait)
			rc = refuse_throttled(s, known, addr, wait, retry_s, err);
		goto out;
	}
	rc = ok ? login_success(s, &k, known, addr, now, &rehash, actor, &id,
				&idhex, err)
		: login_failure(s, &k, known, addr, now, err);
	if ((rc = store_end(s, rc, err)) < 0)
		goto out;
	if (!ok) {
		rc = tb_err(err, TB_EAUTH, LOGIN_FAILED);
		goto out;
	}
	snprintf(actor->session_sha256, sizeof actor->session_sha256, "%s",
		 idhex.data);
	if ((rc = buf_add(sid, id.data, id.len)) < 0)
		rc = tb_err(err, rc, "memori habis");
out:
	keys_release(&k);
	buf_release(&hash);
	buf_release(&rehash);
	OPENSSL_cleanse(id.data, id.len);
	buf_release(&id);
	buf_release(&idhex);
	return rc;
}

/* ---- sessions ----------------------------------------------------- */

/* Writes to last_seen at most this often: a page view is a read. */
#define TOUCH_EVERY_S 60

int cases__session_user(struct store *s, const char *id_sha256_hex,
			struct store_user *out, struct buf *err)
{
	struct store_session ss;
	int64_t now = now_s();
	int rc = store_session_get(s, id_sha256_hex, &ss, err);
	if (rc == TB_ENOTFOUND)
		return tb_err(err, TB_EAUTH, "sesi tidak dikenal atau sudah "
					     "berakhir");
	if (rc < 0)
		return rc;
	if (now - ss.last_seen_at >= CASES_SESSION_IDLE_S ||
	    now - ss.created_at >= CASES_SESSION_MAX_S) {
		/* Gone for good: a later request with it finds nothing. */
		if ((rc = store_begin(s, err)) < 0)
			return rc;
		if ((rc = store_session_end(s, id_sha256_hex, err)) < 0) {
			store_rollback(s);
			return rc;
		}
		if ((rc = store_commit(s, err)) < 0)
			return rc;
		return tb_err(err, TB_EAUTH, "sesi berakhir; silakan masuk lagi");
	}
	if (now - ss.last_seen_at >= TOUCH_EVERY_S) {
		if ((rc = store_begin(s, err)) < 0)
			return rc;
		if ((rc = store_session_touch(s, id_sha256_hex, now, err)) < 0) {
			store_rollback(s);
			return rc;
		}
		if ((rc = store_commit(s, err)) < 0)
			return rc;
	}
	rc = store_user_get(s, ss.user, out, err);
	return rc == TB_ENOTFOUND ? tb_err(err, TB_EAUTH, "sesi tidak dikenal")
				  : rc;
}

int cases_logout(struct store *s, const char *sid, struct buf *err)
{
	struct buf hex = BUF_INIT;
	struct store_session ss;
	struct store_user u;
	int rc = TB_ENOMEM;
	size_t n = sid ? strnlen(sid, CASES_SECRET_MAX + 1) : 0;
	if (n == 0 || n > CASES_SECRET_MAX)
		return 0;
	if (digest_sha256_hex(&hex, sid, n) < 0)
		return tb_err(err, rc, "memori habis");
	if ((rc = store_begin(s, err)) < 0)
		goto out;
	/* An unknown session is already ended: nothing to do. */
	rc = store_session_get(s, hex.data, &ss, err);
	if (rc == TB_ENOTFOUND)
		rc = 0;
	else if (rc == 0 && (rc = store_user_get(s, ss.user, &u, err)) == 0 &&
		 (rc = store_session_end(s, hex.data, err)) == 0)
		rc = login_audit(s, &u, "auth.logout", "-", NULL, err);
	rc = store_end(s, rc, err);
out:
	buf_release(&hex);
	return rc;
}

/* ---- passwords ---------------------------------------------------- */

int cases_password_change(struct store *s, const struct cases_actor *a,
			  const char *old_pw, const char *new_pw,
			  struct buf *err)
{
	struct buf hash = BUF_INIT, fresh = BUF_INIT;
	char object[80];
	int rc = TB_EPERM;
	if (!a) {
		rc = tb_err(err, rc, "konsol memakai `terbit user passwd`");
		goto out;
	}
	if ((rc = store_user_password(s, a->name, &hash, err)) < 0)
		goto out;
	rc = passwd_verify(old_pw ? old_pw : "",
			   hash.len ? hash.data : dummy_hash, err);
	if (rc < 0 || !hash.len) {
		rc = tb_err(err, TB_EAUTH, "Kata sandi lama salah");
		goto out;
	}
	if ((rc = cases_password_ok(new_pw, a->name, err)) < 0)
		goto out;
	if (strcmp(old_pw ? old_pw : "", new_pw) == 0) {
		rc = tb_err(err, TB_EINVAL,
			    "Kata sandi baru harus berbeda dari yang lama");
		goto out;
	}
	if ((rc = passwd_hash(new_pw, &fresh, err)) < 0 ||
	    (rc = store_begin(s, err)) < 0)
		goto out;
	snprintf(object, sizeof object, "user:%s", a->name);
	if ((rc = store_user_set_password(s, a->name, fresh.data, 0, err)) < 0 ||
	    (rc = store_session_end_user(s, a->name,
					 *a->session_sha256 ? a->session_sha256
							    : NULL,
					 err)) < 0 ||
	    (rc = cases__audit(s, a, "user.password", object,
			       "diganti sendiri", err)) < 0) {
		store_rollback(s);
		goto out;
	}
	rc = store_commit(s, err);
out:
	buf_release(&hash);
	buf_release(&fresh);
	return rc;
}

/* Only an admin or the console administers users. */
static int admin_only(const struct cases_actor *by, struct buf *err)
{
	if (by && by->role != ROLE_ADMIN)
		return tb_err(err, TB_EPERM,
			      "hanya admin yang boleh mengelola pengguna");
	return 0;
}

/*
 * The tail every admin operation shares: in one transaction, an optional
 * new password (hash, must_change), the user's sessions ended when asked,
 * the account's failures forgotten when asked, and the audit row.
 */
struct admin_op {
	const char *action, *note;
	const char *hash;          /* NULL: password untouched */
	int must_change;
	int end_sessions, clear_failures, disable;
	const char *token_hex;     /* NULL: token untouched */
	int64_t token_expires;     /* with token_hex: unix seconds, 0 never */
};

/* The writes of one admin operation, inside the caller's transaction. */
static int admin_writes(struct store *s, const struct cases_actor *by,
			const struct store_user *u, const struct keys *k,
			const struct admin_op *op, struct buf *err)
{
	char object[80];
	int rc = 0;
	snprintf(object, sizeof object, "user:%s", u->name);
	if ((op->hash && (rc = store_user_set_password(s, u->name, op->hash,
						       op->must_change, err)) < 0) ||
	    (op->disable &&
	     (rc = store_user_set_disabled(s, u->name, 1, err)) < 0) ||
	    (op->token_hex &&
	     (rc = store_user_set_token(s, u->name, op->token_hex,
					op->token_expires, err)) < 0) ||
	    (op->end_sessions &&
	     (rc = store_session_end_user(s, u->name, NULL, err)) < 0) ||
	    (op->clear_failures &&
	     (rc = store_login_failures_clear(s, k->user.data, err)) < 0))
		return rc;
	return cases__audit(s, by, op->action, object, op->note, err);
}

static int admin_apply(struct store *s, const struct cases_actor *by,
		       const char *name, const struct admin_op *op,
		       struct buf *err)
{
	struct store_user u;
	struct keys k;
	int rc = keys_make(&k, name, "-");
	if (rc < 0) {
		rc = tb_err(err, rc, "memori habis");
		goto out;
	}
	if ((rc = store_begin(s, err)) < 0)
		goto out;
	if ((rc = store_user_get(s, name, &u, err)) == 0)
		rc = admin_writes(s, by, &u, &k, op, err);
	rc = store_end(s, rc, err);
out:
	keys_release(&k);
	return rc;
}

int cases_password_set(struct store *s, const struct cases_actor *by,
		       const char *name, const char *new_pw, struct buf *err)
{
	struct buf hash = BUF_INIT;
	int rc;
	if ((rc = admin_only(by, err)) < 0 ||
	    (rc = cases_password_ok(new_pw, name, err)) < 0 ||
	    (rc = passwd_hash(new_pw, &hash, err)) < 0)
		goto out;
	struct admin_op op = { .action = "user.password",
			       .note = "ditetapkan admin",
			       .hash = hash.data, .end_sessions = 1 };
	rc = admin_apply(s, by, name, &op, err);
out:
	buf_release(&hash);
	return rc;
}

/* 12 characters from an alphabet without look-alikes (0/o, 1/l/i), in
 * groups of four: read out over the phone, typed once. */
static int onetime_password(char out[15], struct buf *err)
{
	static const char alpha[] = "abcdefghjkmnpqrstuvwxyz23456789";
	unsigned char raw[12];
	if (rand_bytes(raw, sizeof raw) < 0)
		return tb_err(err, TB_ECRYPTO, "gagal membuat kata sandi acak");
	for (int i = 0, o = 0; i < 12; i++) {
		if (i && i % 4 == 0)
			out[o++] = '-';
		/* 256 % 31 = 8: a bias of under 4 % on a few letters, on
		 * 59 bits of a password that lives until its first use. */
		out[o++] = alpha[raw[i] % (sizeof alpha - 1)];
	}
	out[14] = 0;
	OPENSSL_cleanse(raw, sizeof raw);
	return 0;
}

int cases_password_reset(struct store *s, const struct cases_actor *by,
			 const char *name, struct buf *onetime,
			 struct buf *err)
{
	struct buf hash = BUF_INIT;
	char pw[15] = "";
	int rc;
	if ((rc = admin_only(by, err)) < 0 ||
	    (rc = onetime_password(pw, err)) < 0 ||
	    (rc = passwd_hash(pw, &hash, err)) < 0)
		goto out;
	struct admin_op op = { .action = "user.password.reset",
			       .note = "sandi sekali pakai; wajib diganti",
			       .hash = hash.data, .must_change = 1,
			       .end_sessions = 1, .clear_failures = 1 };
	if ((rc = admin_apply(s, by, name, &op, err)) < 0)
		goto out;
	if ((rc = buf_adds(onetime, pw)) < 0)
		rc = tb_err(err, rc, "memori habis");
out:
	OPENSSL_cleanse(pw, sizeof pw);
	buf_release(&hash);
	return rc;
}

int cases_user_disable(struct store *s, const struct cases_actor *by,
		       const char *name, struct buf *err)
{
	int rc = admin_only(by, err);
	if (rc < 0)
		return rc;
	if (by && name && strcmp(by->name, name) == 0)
		return tb_err(err, TB_ECONFLICT,
			      "admin tidak dapat menonaktifkan dirinya sendiri");
	struct admin_op op = { .action = "user.disable",
			       .note = "sesi diakhiri, token berhenti",
			       .disable = 1, .end_sessions = 1 };
	return admin_apply(s, by, name ? name : "", &op, err);
}

int cases_token_new(struct store *s, const struct cases_actor *by,
		    const char *name, unsigned expires_days, struct buf *token,
		    struct buf *err)
{
	struct buf tok = BUF_INIT, hex = BUF_INIT;
	char note[96];
	int64_t expires = 0;
	int rc;
	if ((rc = admin_only(by, err)) < 0)
		goto out;
	if (expires_days > CASES_TOKEN_DAYS_MAX) {
		rc = tb_err(err, TB_EINVAL,
			    "masa berlaku token paling lama %d hari",
			    CASES_TOKEN_DAYS_MAX);
		goto out;
	}
	if ((rc = cases__new_token(&tok, err)) < 0)
		goto out;
	if (digest_sha256_hex(&hex, tok.data, tok.len) < 0) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	if (expires_days) {
		struct tm tm;
		char day[16];
		expires = now_s() + (int64_t)expires_days * 86400;
		time_t t = (time_t)expires;
		gmtime_r(&t, &tm);
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
		snprintf(note, sizeof note,
			 "token lama berhenti; token baru berlaku %u hari, "
			 "sampai %s UTC", expires_days, day);
	} else {
		snprintf(note, sizeof note,
			 "token lama berhenti; token baru tanpa batas waktu");
	}
	struct admin_op op = { .action = "user.token.new", .note = note,
			       .token_hex = hex.data, .token_expires = expires };
	if ((rc = admin_apply(s, by, name ? name : "", &op, err)) < 0)
		goto out;
	if ((rc = buf_add(token, tok.data, tok.len)) < 0)
		rc = tb_err(err, rc, "memori habis");
out:
	OPENSSL_cleanse(tok.data, tok.len);
	buf_release(&tok);
	buf_release(&hex);
	return rc;
}

int cases_user_each(struct store *s, const struct cases_actor *by,
		    int (*fn)(const struct store_user *u, void *arg), void *arg,
		    struct buf *err)
{
	int rc = admin_only(by, err);
	return rc < 0 ? rc : store_user_each(s, fn, arg, err);
}
