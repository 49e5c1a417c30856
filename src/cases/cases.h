#ifndef TERBIT_CASES_H
#define TERBIT_CASES_H
/*
 * cases: the operations on cases, users and imports that both faces (CLI
 * and HTTP API) call. Every rule lives here or below (workflow,
 * eligibility), never in a handler. Each writing operation checks the
 * actor's role and region through the workflow module, runs in one store
 * transaction, and appends to the audit log; on any failure the database
 * is left unchanged and err holds an Indonesian message.
 *
 * Actors: an actor is a user row (loaded by name for the CLI's --by, by
 * credential for the API and the browser: cases_authenticate). A NULL
 * actor means the local console (someone with the data directory in
 * hand: `terbit case show` without --by): it sees everything, may add
 * users and import data, and is audited as "console" with role "admin".
 * It never moves cases.
 *
 * Case ids are positive integers; the CLI and API accept them as text
 * (cases_parse_id).
 */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "eligibility/eligibility.h"
#include "store/store.h"
#include "workflow/workflow.h"

struct cases_actor {
	char name[64];
	enum role role;
	char region[REGION_CODE_MAX + 1]; /* digits; "" for regency-wide roles */
	/* 1 when the user signed in with a one-time password and must
	 * change it before anything else (the web module enforces it). */
	int must_change_password;
	/* The session this actor came in on (64 hex of its id's SHA-256),
	 * "" for a bearer token or the CLI: cases_password_change keeps
	 * this one session and ends the user's others. */
	char session_sha256[65];
};

/* "12" -> 12; TB_EINVAL (Indonesian message) for anything else. */
int cases_parse_id(const char *s, int64_t *out, struct buf *err);

/* ---- users -------------------------------------------------------- */

/* The actor for the CLI's --by: the user row of that name. */
int cases_actor_load(struct store *s, const char *name,
		     struct cases_actor *out, struct buf *err);

/* How a credential was presented: a bearer token on the API, a session
 * id from the browser's cookie. */
enum cases_cred { CASES_CRED_BEARER = 1, CASES_CRED_SESSION = 2 };

/* The longest credential looked up: anything longer is refused before it
 * is hashed, so a client cannot make the server hash megabytes. */
#define CASES_SECRET_MAX 512

/*
 * Who a request is: the one authentication function of both faces (the
 * API's bearer token and the browser's session both end here, so there is
 * one place that decides who a caller is).
 * secret is the credential as presented (raw bearer token, or raw session
 * id); only its SHA-256 is looked up, the secret itself is never stored.
 * TB_EAUTH when it is empty, longer than CASES_SECRET_MAX, not known,
 * the user is disabled, or (a session) idle for CASES_SESSION_IDLE_S or
 * older than CASES_SESSION_MAX_S. A session's last_seen is written at
 * most once a minute; out->session_sha256 names it.
 * TB_EDB when the user's stored role is not a workflow role.
 */
int cases_authenticate(struct store *s, enum cases_cred kind,
		       const char *secret, struct cases_actor *out,
		       struct buf *err);

/*
 * Appends an audit row for a refused attempt (action "access.denied"):
 * what was tried ("GET /api/v1/cases/{id}") and on what ("case:12",
 * "document:<serial>", "-"). The refused operation itself wrote nothing
 * (its transaction rolled back), so this is its own small transaction.
 */
int cases_audit_denied(struct store *s, const struct cases_actor *a,
		       const char *what, const char *object, struct buf *err);

/*
 * Appends an audit row for a refused API credential (action
 * "auth.denied", actor "-"): what was tried ("GET /api/v1/cases") on
 * object "addr:<client>", why in the note. Never the credential itself.
 * Its own small transaction, like cases_audit_denied.
 */
int cases_audit_unauth(struct store *s, const char *client, const char *what,
		       const char *why, struct buf *err);

/*
 * Adds a user. by: NULL (console) or an admin. role is a workflow role
 * name; region (dots optional) is required for desa (a village, 10
 * digits, present in regions) and kecamatan (6 digits, present), refused
 * for every other role. token gets the new API token (43 characters of
 * base64url from 32 random bytes); only its SHA-256 is stored, so this is
 * the one time it can be shown.
 */
int cases_user_add(struct store *s, const struct cases_actor *by,
		   const char *name, const char *role, const char *region,
		   struct buf *token, struct buf *err);

/* ---- accounts: passwords, sessions, user administration (account.c) - */

#define CASES_SESSION_IDLE_S   (30 * 60)
#define CASES_SESSION_MAX_S    (12 * 3600)
#define CASES_PASSWORD_MIN     10

/*
 * The list of common passwords (policy/common-passwords.txt: one a line,
 * '#' comments) that cases_password_ok refuses, loaded once at start-up
 * by the CLI and the server before any thread reads it. A later load
 * replaces it. Until one is loaded cases_password_ok refuses every
 * password (TB_EINTERNAL): a forgotten load must not quietly weaken the
 * rule.
 */
int cases_password_list_load(const char *path, struct buf *err);

/*
 * Sign-in. Same TB_EAUTH message and (near) same time for an unknown
 * user, a wrong password, a disabled user and a user without a password
 * (a dummy hash is verified then). Throttled per account and per address
 * (addr, may be NULL): from the 3rd failure in a row on an account the
 * next attempt waits 2^(k-3) s after the last one (k failures), and 10
 * failures lock it for 15 minutes; an address gets the same from its
 * 10th and 50th failure (an office shares one address). While throttled
 * nothing is checked: TB_ERATE with *retry_s set. Failures older than 15
 * minutes are forgotten. Every success and failure is audited with the
 * address ("auth.login" / "auth.login.failed"), never with the password.
 * On success *sid gets the new raw session id (43 chars base64url of 32
 * random bytes; only its SHA-256 is stored) and *actor the user.
 */
int cases_login(struct store *s, const char *name, const char *password,
		const char *addr, struct buf *sid, struct cases_actor *actor,
		unsigned *retry_s, struct buf *err);
/* Ends that session (raw id as in the cookie); an unknown one is not an
 * error. Audited ("auth.logout") when it existed. */
int cases_logout(struct store *s, const char *sid, struct buf *err);
/* Own password: old must match (TB_EAUTH), new must pass
 * cases_password_ok and differ from the old. Ends the user's other
 * sessions (all but a->session_sha256), clears must_change_password. */
int cases_password_change(struct store *s, const struct cases_actor *a,
			  const char *old_pw, const char *new_pw,
			  struct buf *err);
/* TB_EINVAL with the Indonesian reason when pw is shorter than
 * CASES_PASSWORD_MIN characters, longer than PASSWD_MAX bytes, the user
 * name, or on the common list (both compared ignoring ASCII case). */
int cases_password_ok(const char *pw, const char *username, struct buf *err);

/* Admin (or console when by == NULL), audited; TB_EPERM for anyone else: */
/* Sets the password (`terbit user passwd NAME`), ends the user's
 * sessions. Audited "user.password". */
int cases_password_set(struct store *s, const struct cases_actor *by,
		       const char *name, const char *new_pw, struct buf *err);
/* A one-time password into onetime (14 characters, shown once), to be
 * changed at the next sign-in; ends the user's sessions and forgets the
 * account's failed sign-ins. Audited "user.password.reset". */
int cases_password_reset(struct store *s, const struct cases_actor *by,
			 const char *name, struct buf *onetime,
			 struct buf *err);
/* Disables the user: sessions end, the API token stops at once, sign-in
 * fails. An admin cannot disable themself. Audited "user.disable". */
int cases_user_disable(struct store *s, const struct cases_actor *by,
		       const char *name, struct buf *err);
/* A new API token into token (the old one stops). expires_days: the
 * token is refused (TB_EAUTH, like an unknown one) once that many days
 * have passed on the account clock; 0: it never expires; at most
 * CASES_TOKEN_DAYS_MAX (TB_EINVAL). Audited "user.token.new", with the
 * expiry in the note. */
#define CASES_TOKEN_DAYS_MAX 3650
int cases_token_new(struct store *s, const struct cases_actor *by,
		    const char *name, unsigned expires_days, struct buf *token,
		    struct buf *err);
/* Every user, by name. */
int cases_user_each(struct store *s, const struct cases_actor *by,
		    int (*fn)(const struct store_user *u, void *arg), void *arg,
		    struct buf *err);

/* Tests only: the clock (unix seconds) the account functions read, so
 * expiry and throttling are tested without sleeping. NULL: time(). Set it
 * before any thread uses the module. */
void cases_clock_set(int64_t (*now)(void));

/* ---- regions and imports ------------------------------------------ */

/* Loads a regions CSV (docs/data-formats.md) in one transaction. Returns
 * the number of rows. */
int cases_regions_import(struct store *s, const char *data, size_t len,
			 const char *name, struct buf *err);

enum cases_import_kind { CASES_IMPORT_RESIDENTS, CASES_IMPORT_PBI };

/*
 * Validates every row of a residents or PBI CSV (docs/data-formats.md)
 * and stores them in one transaction. Each bad row is appended to report
 * as "baris N: reason\n". With skip_bad == 0 any bad row means nothing is
 * stored and TB_EINVAL is returned; with skip_bad the good rows are stored
 * and the count of stored rows returned. *nbad (may be NULL) gets the
 * number of bad rows. by: NULL (console) or an admin.
 */
int cases_import(struct store *s, const struct cases_actor *by,
		 enum cases_import_kind kind, const char *data, size_t len,
		 int skip_bad, struct buf *report, size_t *nbad,
		 struct buf *err);

/* ---- the case operations ------------------------------------------ */

/* Opens a draft case for a resident in the village of the resident's
 * address, with the kecamatan's puskesmas as primary facility. Only
 * roles that may move draft -> submitted (the village operator) and
 * only inside their scope; an unknown NIK is refused as one outside it
 * (cases_sees_all). TB_ECONFLICT "sudah ada kasus terbuka #ID untuk
 * penduduk ini" while the resident has a case that is not final. */
int cases_create(struct store *s, const struct cases_actor *a,
		 const char *nik, int64_t *id_out, struct buf *err);

/*
 * Records survey answers. Every code must be a policy indicator and every
 * value one the indicator allows, else nothing is stored (TB_EINVAL);
 * answers to retired indicators are accepted and kept (they never count).
 * One indicator twice in the same call is TB_EINVAL naming it. A later
 * call's answer to an indicator replaces the earlier one.
 */
int cases_answers(struct store *s, const struct policy *p,
		  const struct cases_actor *a, int64_t id,
		  const struct elig_answer *answers, size_t n, struct buf *err);

/* Attaches bytes (PDF, JPEG or PNG by magic bytes, at most 10 MB) of
 * kind "rujukan", "survei" or "verifikasi"; filename is for display.
 * *att_id (may be NULL) gets the attachment id. */
int cases_attach(struct store *s, const struct cases_actor *a, int64_t id,
		 const char *kind, const char *filename, const void *data,
		 size_t n, int64_t *att_id, struct buf *err);

/* One attachment's metadata and bytes (appended to data), when it
 * belongs to case id and the actor may see the case (TB_EPERM otherwise;
 * TB_ENOTFOUND when the case has no such attachment). Every download is
 * audited ("case.attachment.get"). */
int cases_attachment_get(struct store *s, const struct cases_actor *a,
			 int64_t id, int64_t att_id,
			 struct store_attachment *meta, struct buf *data,
			 struct buf *err);

/* The metadata (no bytes) of every attachment of case id, oldest first,
 * when the actor may see the case (TB_EPERM otherwise): *out malloc'd
 * (free()). For the case page, which lists and links them. */
int cases_attachment_list(struct store *s, const struct cases_actor *a,
			  int64_t id, struct store_attachment **out, size_t *n,
			  struct buf *err);

/* Moves the case to state `to` (a state name) through wf_check, with the
 * facts gathered now (attachments, survey, eligibility on p), in one
 * transaction with its audit row. note: NULL or text. */
int cases_move(struct store *s, const struct policy *p,
	       const struct cases_actor *a, int64_t id, const char *to,
	       const char *note, struct buf *err);

/*
 * 1 for the actors that see every case of the regency: the console,
 * dinkes, dinsos. For them an unknown case, NIK or document is
 * TB_ENOTFOUND. Every other actor gets, for what does not exist and for
 * what lies outside their scope alike, TB_EPERM with the same words
 * ("kasus 12 tidak ditemukan di wilayah Anda", "NIK tidak ditemukan di
 * wilayah Anda"), never naming another village: the difference would
 * let an operator enumerate case ids and residents. Each such refusal
 * is audited with what was asked for (the HTTP server audits every 403
 * with the case id or serial of its path; the NIK functions write an
 * "access.denied.nik" row with object "resident:NIK" themselves).
 */
int cases_sees_all(const struct cases_actor *a);

/* One case, when the actor may see it (TB_EPERM otherwise; see
 * cases_sees_all for an unknown id). */
int cases_get(struct store *s, const struct cases_actor *a, int64_t id,
	      struct store_case *out, struct buf *err);

/* Cases the actor may see matching the filter, by id. */
int cases_list(struct store *s, const struct cases_actor *a,
	       const struct store_case_filter *f,
	       int (*fn)(const struct store_case *c, void *arg), void *arg,
	       struct buf *err);

/* ---- facts and the decision --------------------------------------- */

/*
 * Everything the eligibility engine and the workflow need about a case,
 * loaded without a transaction of its own (the issue gate calls it inside
 * its transaction). facts points into the struct itself: do not copy a
 * loaded cases_facts; release it with cases_facts_release.
 */
struct cases_facts {
	struct store_case c;
	struct store_resident r;
	int pbi_jkn_active, pbi_apbd_active;
	struct store_answer *stored;  /* owned */
	struct elig_answer *answers;  /* owned, codes point into stored */
	size_t nanswers;
	int has_rujukan, has_verifikasi;
	struct elig_facts facts;
};
int cases_facts_load(struct store *s, int64_t id, struct cases_facts *out,
		     struct buf *err);
void cases_facts_release(struct cases_facts *f);

/* The engine's decision on the case's current data and policy p, when the
 * actor may see it. */
int cases_decide(struct store *s, const struct policy *p,
		 const struct cases_actor *a, int64_t id,
		 struct elig_decision *out, struct buf *err);

/* ---- JSON views (shared by `--json` and the API) ------------------- */

/* {"id","nik","name","village","village_name","state","state_label",
 *  "faskes","created_at","updated_at","created_by","updated_by",
 *  "resident":{...},"pbi":[...],"answers":[{"code","value","retired"}],
 *  "attachments":[{"id","kind","mime","size","sha256","filename",
 *  "created_at","created_by"}],"eligibility":{elig_to_json},
 *  "history":[{"at","actor","role","action","note"}]}
 * p may be NULL (then no "eligibility"). */
int cases_show_json(struct store *s, const struct policy *p,
		    const struct cases_actor *a, int64_t id, struct buf *out,
		    struct buf *err);
/* [{"id","nik","name","village","village_name","state","state_label",
 *   "faskes","updated_at"}, ...] */
int cases_list_json(struct store *s, const struct cases_actor *a,
		    const struct store_case_filter *f, struct buf *out,
		    struct buf *err);

/* One page of that list: the rows offset .. offset+limit-1 (limit 0: to
 * the end) of the cases the actor may see; *total (may be NULL) gets how
 * many there are in all. */
int cases_list_page_json(struct store *s, const struct cases_actor *a,
			 const struct store_case_filter *f, size_t offset,
			 size_t limit, struct buf *out, size_t *total,
			 struct buf *err);

/* ---- web pages: residents (resident.c) ---------------------------- */

#define CASES_PAGE 50 /* rows per page of every list below */

/* The actor's scope as a village-code prefix for lists (wf_scope); a
 * NULL actor (the console) sees all (""). TB_EPERM for roles that see
 * no case data (faskes, admin). */
int cases_scope(const struct cases_actor *a, char prefix[REGION_CODE_MAX + 1],
		struct buf *err);

/* A residents.csv row as typed into a form or read from the file, one
 * string per column (docs/data-formats.md); NULL counts as "". */
struct cases_resident_in {
	const char *nik, *kk, *name, *birth_place, *birth_date, *sex,
		*address, *rt, *rw, *village_code;
};

/* What was wrong, field by field, so a form can show each message next
 * to its input. field is a residents.csv column name ("nik", "kk",
 * "name", ..., "village_code") or "reason"; at most one entry per
 * field, in the order the import checks them. */
struct cases_field_error {
	const char *field;          /* static string */
	char msg[192];              /* Indonesian */
};
struct cases_field_errors {
	size_t n;
	struct cases_field_error e[12];
};
/* The message for field, NULL when it had none. */
const char *cases_field_error_msg(const struct cases_field_errors *fe,
				  const char *field);

/*
 * The residents.csv row checks, shared by the import and the web forms:
 * NIK 16 digits with a real date that equals birth_date and a sex that
 * equals sex (nik_parse); KK 16 digits; name, birth place, address
 * required and not too long; RT/RW 1 to 3 digits (stored "001"); a
 * 10-digit village code (dots optional). Fills *out when every field is
 * good (0), else TB_EINVAL with every bad field in *fe.
 */
int cases_resident_check(const struct cases_resident_in *in,
			 struct store_resident *out,
			 struct cases_field_errors *fe);

/*
 * Residents the actor may see (wf_scope on their address's village; a
 * NULL actor sees all), CASES_PAGE rows from offset in NIK order. query:
 * digits only is a NIK prefix (16 digits: that NIK), anything else a
 * case-insensitive part of the name (at least 2 characters). Each hit
 * has the newest case that is not final (open_case, 0 when none).
 * *out malloc'd (free()); *total (may be NULL) counts every match.
 * TB_EPERM for roles that see no case data, TB_EINVAL for an empty or
 * too short query.
 */
int cases_resident_find(struct store *s, const struct cases_actor *a,
			const char *query, size_t offset,
			struct store_resident_hit **out, size_t *n,
			size_t *total, struct buf *err);

/*
 * Registers a resident the import did not bring. Who: the roles that
 * open cases (the village operator), for a village inside their scope
 * that is in the regions table. Every field is checked as the import
 * checks it (cases_resident_check); a NIK already registered is refused
 * (TB_ECONFLICT, on field "nik"), never replaced. On a bad field:
 * TB_EINVAL, *fe says which, err has the first message. Audited
 * ("resident.add", object "resident:NIK"). *out (may be NULL) gets the
 * stored row.
 */
int cases_resident_register(struct store *s, const struct cases_actor *a,
			    const struct cases_resident_in *in,
			    struct store_resident *out,
			    struct cases_field_errors *fe, struct buf *err);

/*
 * Corrects a resident's data with a reason. in holds the new values
 * (NULL: keep the current one; in->nik must be NULL or the same NIK: a
 * wrong NIK is a new resident, never a correction). The whole new record
 * passes cases_resident_check; each field that changes must be
 * correctable at the resident's stage (the table in resident.c and
 * docs/workflow.md, "Correcting a resident"), else TB_ECONFLICT on that
 * field. Who: as for cases_resident_register, on a resident of their
 * scope. Each changed field gets a resident_corrections row (old, new,
 * reason, who, when); one audit row "resident.correct" names the fields.
 * *nchanged (may be NULL) gets how many fields changed; nothing changing
 * is TB_EINVAL.
 */
int cases_resident_correct(struct store *s, const struct cases_actor *a,
			   const char *nik, const struct cases_resident_in *in,
			   const char *reason, struct cases_field_errors *fe,
			   size_t *nchanged, struct buf *err);

/* The resident (when the actor may see them) and every correction of
 * their data, oldest first: *out malloc'd (free()). */
int cases_resident_get(struct store *s, const struct cases_actor *a,
		       const char *nik, struct store_resident *r,
		       struct store_correction **out, size_t *n,
		       struct buf *err);

/*
 * The fields of the resident that cases_resident_correct would refuse to
 * change now, each with the reason (the NIK always; others by where the
 * resident's cases stand), so the correction form shows them read-only
 * with why. No actor check: call it after cases_resident_get.
 */
int cases_resident_locked(struct store *s, const char *nik,
			  struct cases_field_errors *locked, struct buf *err);

/* ---- web pages: queues, home, timeline (queue.c) ------------------ */

enum cases_wait_sort {
	CASES_WAIT_LONGEST = 0,     /* oldest in the state first (default) */
	CASES_WAIT_SHORTEST = 1,
};

struct cases_queue_item {
	struct store_case c;
	char state_since[32];       /* when it entered its state, ISO UTC */
	int64_t waiting_s;          /* seconds since then */
	/* The move that brought it into its state: for a returned case the
	 * reviewer's note. "" when none (a draft). */
	char moved_by[64];
	char note[STORE_TEXT_MAX * 2];
};

/*
 * Cases in `state` (a state name; NULL: every state) that the actor may
 * see, CASES_PAGE rows from offset, by waiting time in the state. *out
 * malloc'd (free()); *total (may be NULL) counts them all. TB_EPERM for
 * roles that see no case data, TB_EINVAL for an unknown state.
 */
int cases_queue(struct store *s, const struct cases_actor *a,
		const char *state, enum cases_wait_sort sort, size_t offset,
		struct cases_queue_item **out, size_t *n, size_t *total,
		struct buf *err);
/* The same queue's count and only its first row, the case that has
 * waited longest (*n is 0 or 1): for a page that shows no more, so the
 * other 49 rows are not read. */
int cases_queue_oldest(struct store *s, const struct cases_actor *a,
		       const char *state, struct cases_queue_item **out,
		       size_t *n, size_t *total, struct buf *err);

/*
 * A village operator's home page (works for any actor with a scope):
 * cases by state, and the first page of what needs the actor:
 * returned cases with the reviewer's note, cases waiting for survey
 * answers and for the verification upload (the states whose move by the
 * actor's role needs a complete survey / the verification attachment, in
 * the workflow table), and documents in force of the scope's cases not
 * yet downloaded by a user of the actor's role, newest first. Release
 * with cases_home_release.
 */
struct cases_home {
	int counts[ST__COUNT];
	int total;
	struct cases_queue_item *returned, *survey, *verification;
	size_t nreturned, nsurvey, nverification;
	size_t total_returned, total_survey, total_verification;
	struct store_document *ready;
	size_t nready, total_ready;
};
int cases_home(struct store *s, const struct cases_actor *a,
	       struct cases_home *out, struct buf *err);
void cases_home_release(struct cases_home *h);

/* One step of a case's history: its opening (from "", to "draft") and
 * every move, oldest first. */
struct cases_step {
	char at[32];                /* ISO 8601 UTC */
	char actor[64];
	char role[16];
	char from[24], to[24];      /* state names */
	char note[STORE_TEXT_MAX * 2];
};
/* The case's steps when the actor may see it: *out malloc'd (free()). */
int cases_timeline(struct store *s, const struct cases_actor *a, int64_t id,
		   struct cases_step **out, size_t *n, struct buf *err);

/* ---- web pages: user administration (cases.c) -------------------- */

/*
 * cases_user_add for a form: every field checked first, each fault in
 * *fe under "name", "role" or "region" with the form's Indonesian words
 * (then TB_EINVAL, err the first message); a name already taken is
 * TB_EINVAL on "name" too. TB_EPERM for anyone but an admin (or the
 * console). On success token gets the new API token, as cases_user_add.
 */
int cases_user_add_form(struct store *s, const struct cases_actor *by,
			const char *name, const char *role, const char *region,
			struct buf *token, struct cases_field_errors *fe,
			struct buf *err);

#endif
