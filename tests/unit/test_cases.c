/*
 * cases: the operations against a real database with the shipped regions
 * and policy. Imports (all or nothing, every bad line reported), users and
 * tokens, role and region checks, the walk from draft to approved, and
 * that every refusal leaves the database as it was (compared through a
 * raw connection's view of every table).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "cases/cases.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/str.h"
#include "sign/passwd.h"

#define VILLAGE "3510052001"   /* Muncar, desa 2001 */
#define OTHER "3510092002"     /* Genteng */
#define WOMAN "3510054506900001" /* 5 June 1990, P */
#define MAN "3510051203850002"   /* 12 March 1985, L */
#define OUTSIDER "3510054101800003" /* lives in Jember */

static const char residents_csv[] =
	"nik,kk,name,birth_place,birth_date,sex,address,rt,rw,village_code\n"
	WOMAN ",3510050101200001,Siti Rahayu,Banyuwangi,1990-06-05,P,"
	"\"Dusun Krajan, No. 3\",1,2,35.10.05.2001\n"
	MAN ",3510050101200002,Slamet Santoso,Muncar,1985-03-12,L,"
	"Dusun Krajan,001,002," VILLAGE "\n"
	OUTSIDER ",3509050101200003,Sri Wahyuni,Jember,1980-01-01,P,"
	"Jalan Melati,3,4,3509052001\n";

struct fx {
	char dir[64];
	struct store *s;
	struct policy *p;
	struct buf err, report, token;
	struct cases_actor desa, other_desa, dinkes, kec, other_kec, dinsos,
		admin;
};

static void read_file(const char *path, struct buf *b)
{
	struct buf err = BUF_INIT;
	if (buf_read_file(b, path, 0, &err) != 0)
		fail_msg("%s: %s", path, err.data);
	buf_release(&err);
}

static void mkuser(struct fx *f, const char *name, const char *role,
		   const char *region, struct cases_actor *a)
{
	buf_reset(&f->token);
	assert_int_equal(cases_user_add(f->s, NULL, name, role, region,
					&f->token, &f->err), 0);
	assert_int_equal(cases_actor_load(f->s, name, a, &f->err), 0);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct buf data = BUF_INIT;
	snprintf(f->dir, sizeof f->dir, "/tmp/terbit-cases.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	buf_init(&f->err, 0);
	buf_init(&f->report, 0);
	buf_init(&f->token, 0);
	if (store_open(f->dir, &f->s, &f->err) ||
	    policy_load("policy/banyuwangi.policy", &f->p, &f->err) ||
	    cases_password_list_load("policy/common-passwords.txt", &f->err))
		fail_msg("%s", f->err.data);
	read_file("regions/3510.csv", &data);
	assert_int_equal(cases_regions_import(f->s, data.data, data.len,
					      "3510.csv", &f->err), 108);
	buf_release(&data);
	assert_int_equal(cases_import(f->s, NULL, CASES_IMPORT_RESIDENTS,
				      residents_csv, strlen(residents_csv), 0,
				      &f->report, NULL, &f->err), 3);
	mkuser(f, "op", "desa", "35.10.05.2001", &f->desa);
	mkuser(f, "op2", "desa", OTHER, &f->other_desa);
	mkuser(f, "dinkes", "dinkes", NULL, &f->dinkes);
	mkuser(f, "camat", "kecamatan", "35.10.05", &f->kec);
	mkuser(f, "camat2", "kecamatan", "351009", &f->other_kec);
	mkuser(f, "dinsos", "dinsos", NULL, &f->dinsos);
	mkuser(f, "root", "admin", NULL, &f->admin);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[96];
	cases_clock_set(NULL);
	store_close(f->s);
	policy_free(f->p);
	buf_release(&f->err);
	buf_release(&f->report);
	buf_release(&f->token);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Every row of every table, as text: "nothing changed" means equal. */
static void db_dump(struct fx *f, struct buf *out)
{
	static const char *const tables[] = {
		"regions", "residents", "pbi", "users", "cases", "answers",
		"attachments", "audit",
	};
	char path[96], sql[96];
	sqlite3 *db;
	snprintf(path, sizeof path, "%s/terbit.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	buf_reset(out);
	for (size_t t = 0; t < ARRAY_SIZE(tables); t++) {
		sqlite3_stmt *st;
		/* A refusal writes its own audit row (the NIK or id asked
		 * for): that is the one change a refusal makes. */
		snprintf(sql, sizeof sql, "SELECT * FROM %s%s ORDER BY 1", tables[t],
			 strcmp(tables[t], "audit") ? ""
			 : " WHERE action NOT LIKE 'access.denied%'");
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
				 SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				const unsigned char *v = sqlite3_column_text(st, c);
				buf_addf(out, "%s|", v ? (const char *)v : "NULL");
			}
			buf_addc(out, '\n');
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
}

static int64_t new_case(struct fx *f, const char *nik)
{
	int64_t id = 0;
	if (cases_create(f->s, &f->desa, nik, &id, &f->err) != 0)
		fail_msg("%s", f->err.data);
	return id;
}

/* Another resident of the village (a woman born 5 June 1990 like
 * WOMAN, serial 1000 + i), for tests that need more open cases than
 * residents: a resident has one open case at a time. */
static const char *extra_resident(struct fx *f, int i, char nik[NIK_LEN + 1])
{
	struct buf csv = BUF_INIT;
	snprintf(nik, NIK_LEN + 1, "351005450690%04d", 1000 + i);
	buf_addf(&csv, "nik,kk,name,birth_place,birth_date,sex,address,rt,rw,"
		 "village_code\n%s,3510050101200009,Siti Rahayu,Banyuwangi,"
		 "1990-06-05,P,Dusun Krajan,1,2," VILLAGE "\n", nik);
	if (cases_import(f->s, NULL, CASES_IMPORT_RESIDENTS, csv.data, csv.len,
			 0, &f->report, NULL, &f->err) != 1)
		fail_msg("%s %s", f->err.data, f->report.data);
	buf_release(&csv);
	return nik;
}

static void attach(struct fx *f, int64_t id, const char *kind)
{
	static const char pdf[] = "%PDF-1.4\n%%EOF\n";
	assert_int_equal(cases_attach(f->s, &f->desa, id, kind, "x.pdf", pdf,
				      sizeof pdf - 1, NULL, &f->err), 0);
}

/* Answers every indicator of the policy (retired too) with its lowest
 * (poor) or highest value. */
static void answer_all(struct fx *f, int64_t id, int poor)
{
	size_t n = policy_indicator_count(f->p);
	struct elig_answer ans[32];
	assert_true(n <= 32);
	for (size_t i = 0; i < n; i++) {
		const struct policy_indicator *ind = policy_indicator(f->p, i);
		ans[i].code = ind->code;
		ans[i].value = ind->answers[poor ? 0 : ind->nanswers - 1].value;
	}
	assert_int_equal(cases_answers(f->s, f->p, &f->desa, id, ans, n, &f->err),
			 0);
}

static void move_ok(struct fx *f, const struct cases_actor *a, int64_t id,
		    const char *to)
{
	if (cases_move(f->s, f->p, a, id, to, NULL, &f->err) != 0)
		fail_msg("%s -> %s: %s", a->name, to, f->err.data);
}

static void assert_has(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not in '%s'", needle, hay);
}

static void import_all_or_nothing(void **state)
{
	struct fx *f = *state;
	struct buf before = BUF_INIT, after = BUF_INIT;
	size_t nbad = 0;
	static const char bad[] =
		"nik,kk,name,birth_place,birth_date,sex,address,rt,rw,village_code\n"
		"3510054506900009,3510050101200001,Ani,Bwi,1990-06-05,P,A,1,1,"
		VILLAGE "\n"                                   /* line 2: good */
		"351005450690,3510050101200001,Ani,Bwi,1990-06-05,P,A,1,1,"
		VILLAGE "\n"                                   /* 3: short NIK */
		"3510051203850010,3510050101200001,Budi,Bwi,1985-02-30,L,A,1,1,"
		VILLAGE "\n"                                   /* 4: no 30 Feb */
		"3510051203850011,3510050101200001,Budi,Bwi,1985-03-12,P,A,1,1,"
		VILLAGE "\n"                                   /* 5: sex */
		"3510051203850012,3510050101200001,Budi,Bwi,1985-03-12,L,A,1,1,"
		VILLAGE ",extra\n"                             /* 6: columns */
		"3510054506900009,3510050101200001,Ani,Bwi,1990-06-05,P,A,1,1,"
		VILLAGE "\n";                                  /* 7: duplicate */
	db_dump(f, &before);
	buf_reset(&f->report);
	assert_int_equal(cases_import(f->s, NULL, CASES_IMPORT_RESIDENTS, bad,
				      strlen(bad), 0, &f->report, &nbad, &f->err),
			 TB_EINVAL);
	assert_int_equal(nbad, 5);
	for (int line = 3; line <= 7; line++) {
		char want[32];
		snprintf(want, sizeof want, "baris %d:", line);
		assert_has(f->report.data, want);
	}
	assert_null(strstr(f->report.data, "baris 2:"));
	assert_has(f->report.data, "baris 7: NIK sama dengan baris 2");
	db_dump(f, &after);
	assert_string_equal(before.data, after.data);
	/* --skip-bad: the good row goes in, the bad are still listed. */
	buf_reset(&f->report);
	assert_int_equal(cases_import(f->s, NULL, CASES_IMPORT_RESIDENTS, bad,
				      strlen(bad), 1, &f->report, &nbad, &f->err),
			 1);
	assert_int_equal(nbad, 5);
	assert_int_equal(store_resident_count(f->s, &f->err), 4);
	/* An unterminated quote: reported, nothing imported. */
	static const char unterminated[] =
		"nik,program,status,card_number\n"
		WOMAN ",PBI-JKN,aktif,0001234567890\n"
		MAN ",\"PBI-APBD,aktif,0001234567891\n";
	buf_reset(&f->report);
	assert_int_equal(cases_import(f->s, NULL, CASES_IMPORT_PBI, unterminated,
				      strlen(unterminated), 0, &f->report, &nbad,
				      &f->err), TB_EINVAL);
	assert_has(f->report.data, "baris 3");
	assert_int_equal(store_pbi_count(f->s, &f->err), 0);
	buf_release(&before);
	buf_release(&after);
}

static void users_tokens_and_regions(void **state)
{
	struct fx *f = *state;
	struct cases_actor a;
	struct buf tok = BUF_INIT;
	assert_int_equal(cases_user_add(f->s, NULL, "nina", "desa", OTHER, &tok,
					&f->err), 0);
	assert_int_equal(tok.len, 43);
	assert_int_equal(strspn(tok.data, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
					  "opqrstuvwxyz0123456789-_"), 43);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER, tok.data,
					    &a, &f->err), 0);
	assert_string_equal(a.name, "nina");
	assert_int_equal(a.role, ROLE_DESA);
	assert_string_equal(a.region, OTHER);
	buf_reset(&tok);
	/* Regions must fit the role and exist. */
	assert_int_equal(cases_user_add(f->s, NULL, "x1", "desa", "351005", &tok,
					&f->err), TB_EINVAL);
	assert_int_equal(cases_user_add(f->s, NULL, "x2", "kecamatan", VILLAGE,
					&tok, &f->err), TB_EINVAL);
	assert_int_equal(cases_user_add(f->s, NULL, "x3", "dinsos", "351005", &tok,
					&f->err), TB_EINVAL);
	assert_int_equal(cases_user_add(f->s, NULL, "x4", "desa", "3510059999",
					&tok, &f->err), TB_EINVAL);
	assert_int_equal(cases_user_add(f->s, NULL, "x5", "lurah", NULL, &tok,
					&f->err), TB_EINVAL);
	assert_int_equal(cases_user_add(f->s, NULL, "op", "dinkes", NULL, &tok,
					&f->err), TB_ECONFLICT);
	assert_int_equal(cases_user_add(f->s, &f->desa, "x6", "dinkes", NULL, &tok,
					&f->err), TB_EPERM);
	assert_int_equal(cases_user_add(f->s, &f->admin, "x7", "dinkes", NULL,
					&tok, &f->err), 0);
	assert_int_equal(cases_actor_load(f->s, "nobody", &a, &f->err),
			 TB_ENOTFOUND);
	buf_release(&tok);
}

/* The one authentication path: only a known credential of a kind that is
 * stored gives an actor, and a refusal never says which part was wrong. */
static void authenticate_by_credential(void **state)
{
	struct fx *f = *state;
	struct cases_actor a;
	char path[96], big[CASES_SECRET_MAX + 2];
	sqlite3 *db;
	/* f->token is the last token setup made: root's. */
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER,
					    f->token.data, &a, &f->err), 0);
	assert_string_equal(a.name, "root");
	assert_int_equal(a.role, ROLE_ADMIN);
	assert_string_equal(a.region, "");
	/* Unknown: one letter off, a prefix, another user's name. */
	f->token.data[0] ^= 1;
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER,
					    f->token.data, &a, &f->err), TB_EAUTH);
	f->token.data[0] ^= 1;
	f->token.data[f->token.len - 1] = '\0';
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER,
					    f->token.data, &a, &f->err), TB_EAUTH);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER, "root",
					    &a, &f->err), TB_EAUTH);
	/* Malformed: absent, empty, longer than any token. */
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER, NULL, &a,
					    &f->err), TB_EAUTH);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER, "", &a,
					    &f->err), TB_EAUTH);
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER, big, &a,
					    &f->err), TB_EAUTH);
	/* A bearer token is not a session id, and no session is made from
	 * one. */
	buf_reset(&f->token);
	assert_int_equal(cases_user_add(f->s, NULL, "sesi", "dinsos", NULL,
					&f->token, &f->err), 0);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION,
					    f->token.data, &a, &f->err), TB_EAUTH);
	/* A stored role the workflow does not know is a server fault, not
	 * a refusal. */
	snprintf(path, sizeof path, "%s/terbit.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE users SET role = 'lurah' "
					  "WHERE name = 'sesi'",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER,
					    f->token.data, &a, &f->err), TB_EDB);
}

static void walk_draft_to_approved(void **state)
{
	struct fx *f = *state;
	struct store_case c;
	struct elig_decision d;
	struct buf json = BUF_INIT;
	int64_t id = new_case(f, WOMAN);
	assert_int_equal(cases_get(f->s, NULL, id, &c, &f->err), 0);
	assert_string_equal(c.state, "draft");
	assert_string_equal(c.faskes, "Puskesmas Muncar");
	assert_int_equal(cases_move(f->s, f->p, &f->desa, id, "submitted", NULL,
				    &f->err), TB_EREFUSED);
	attach(f, id, "rujukan");
	move_ok(f, &f->desa, id, "submitted");
	move_ok(f, &f->dinkes, id, "health_checked");
	assert_int_equal(cases_move(f->s, f->p, &f->desa, id, "surveyed", NULL,
				    &f->err), TB_EREFUSED);
	answer_all(f, id, 1);
	move_ok(f, &f->desa, id, "surveyed");
	assert_int_equal(cases_move(f->s, f->p, &f->other_kec, id, "recommended",
				    NULL, &f->err), TB_EPERM);
	move_ok(f, &f->kec, id, "recommended");
	attach(f, id, "verifikasi");
	move_ok(f, &f->desa, id, "verified");
	assert_int_equal(cases_decide(f->s, f->p, &f->dinsos, id, &d, &f->err), 0);
	assert_true(d.eligible);
	move_ok(f, &f->dinsos, id, "approved");
	/* Final: no more moves, answers or attachments. */
	assert_int_equal(cases_move(f->s, f->p, &f->dinsos, id, "returned", "x",
				    &f->err), TB_ECONFLICT);
	static const char pdf[] = "%PDF-1.4\n";
	assert_int_equal(cases_attach(f->s, &f->desa, id, "survei", "x.pdf", pdf,
				      sizeof pdf - 1, NULL, &f->err), TB_ECONFLICT);
	assert_int_equal(cases_show_json(f->s, f->p, &f->desa, id, &json, &f->err),
			 0);
	assert_has(json.data, "\"state\":\"approved\"");
	assert_has(json.data, "\"eligible\":true");
	assert_has(json.data, "\"action\":\"case.move\"");
	assert_has(json.data, "\"code\":\"punya_hp\"");
	buf_release(&json);
}

static void refusals_leave_database_unchanged(void **state)
{
	struct fx *f = *state;
	struct buf before = BUF_INIT, after = BUF_INIT;
	int64_t id = new_case(f, WOMAN), nid;
	struct elig_answer unknown = { "tidak_ada", 1 }, badval = { "luas_lantai", 9 };
	static const char gif[] = "GIF89a...";
	db_dump(f, &before);
	/* An unknown NIK and a resident of another village get the same
	 * answer (finding 7 of issue 11: it was 404 against 403). */
	assert_int_equal(cases_create(f->s, &f->desa, "3510050000000099", &nid,
				      &f->err), TB_EPERM);
	assert_string_equal(f->err.data, "NIK tidak ditemukan di wilayah Anda");
	assert_int_equal(cases_create(f->s, &f->other_desa, MAN, &nid, &f->err),
			 TB_EPERM);
	assert_int_equal(cases_create(f->s, &f->desa, OUTSIDER, &nid, &f->err),
			 TB_EPERM);
	assert_int_equal(cases_create(f->s, &f->dinsos, MAN, &nid, &f->err),
			 TB_EPERM);
	assert_int_equal(cases_answers(f->s, f->p, &f->desa, id, &unknown, 1,
				       &f->err), TB_EINVAL);
	assert_int_equal(cases_answers(f->s, f->p, &f->desa, id, &badval, 1,
				       &f->err), TB_EINVAL);
	assert_int_equal(cases_answers(f->s, f->p, &f->other_desa, id, &badval, 1,
				       &f->err), TB_EINVAL);
	assert_int_equal(cases_attach(f->s, &f->desa, id, "rujukan", "a.gif", gif,
				      sizeof gif - 1, NULL, &f->err), TB_EMEDIA);
	assert_int_equal(cases_attach(f->s, &f->desa, id, "foto", "a.pdf", "%PDF-1",
				      6, NULL, &f->err), TB_EINVAL);
	assert_int_equal(cases_attach(f->s, &f->other_desa, id, "rujukan", "a.pdf",
				      "%PDF-1", 6, NULL, &f->err), TB_EPERM);
	assert_int_equal(cases_attach(f->s, &f->dinkes, id, "rujukan", "a.pdf",
				      "%PDF-1", 6, NULL, &f->err), TB_EPERM);
	assert_int_equal(cases_move(f->s, f->p, &f->desa, id + 50, "submitted",
				    NULL, &f->err), TB_EPERM);
	assert_int_equal(cases_move(f->s, f->p, &f->desa, id, "approved", NULL,
				    &f->err), TB_ECONFLICT);
	assert_int_equal(cases_move(f->s, f->p, &f->desa, id, "nowhere", NULL,
				    &f->err), TB_EINVAL);
	assert_int_equal(cases_move(f->s, f->p, &f->dinkes, id, "submitted", NULL,
				    &f->err), TB_EPERM);
	assert_int_equal(cases_move(f->s, f->p, &f->other_desa, id, "submitted",
				    NULL, &f->err), TB_EPERM);
	assert_int_equal(cases_move(f->s, f->p, NULL, id, "submitted", NULL,
				    &f->err), TB_EPERM);
	assert_int_equal(cases_move(f->s, f->p, &f->desa, id, "submitted", NULL,
				    &f->err), TB_EREFUSED);
	db_dump(f, &after);
	assert_string_equal(before.data, after.data);
	buf_release(&before);
	buf_release(&after);
}

/* The change and its audit row go together: when the audit insert fails
 * (here a trigger plays a full disk), the move is rolled back too. */
static void audit_failure_rolls_back_the_change(void **state)
{
	struct fx *f = *state;
	struct buf before = BUF_INIT, after = BUF_INIT;
	struct store_case c;
	char path[96];
	sqlite3 *db;
	int64_t id = new_case(f, WOMAN);
	attach(f, id, "rujukan");
	snprintf(path, sizeof path, "%s/terbit.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TRIGGER fail_move BEFORE INSERT "
					  "ON audit WHEN NEW.action = 'case.move' "
					  "BEGIN SELECT RAISE(ABORT, 'disk full'); END",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	db_dump(f, &before);
	assert_int_equal(cases_move(f->s, f->p, &f->desa, id, "submitted", NULL,
				    &f->err), TB_EDB);
	assert_has(f->err.data, "disk full");
	assert_int_equal(cases_get(f->s, NULL, id, &c, &f->err), 0);
	assert_string_equal(c.state, "draft");
	db_dump(f, &after);
	assert_string_equal(before.data, after.data);
	buf_release(&before);
	buf_release(&after);
}

static void retired_answers_kept_not_counted(void **state)
{
	struct fx *f = *state;
	struct cases_facts facts;
	struct elig_decision d;
	int64_t id = new_case(f, MAN);
	answer_all(f, id, 0);
	assert_int_equal(cases_facts_load(f->s, id, &facts, &f->err), 0);
	assert_int_equal(facts.nanswers, policy_indicator_count(f->p));
	int found = 0;
	for (size_t i = 0; i < facts.nanswers; i++)
		found |= !strcmp(facts.answers[i].code, "punya_hp");
	assert_true(found);
	cases_facts_release(&facts);
	assert_int_equal(cases_decide(f->s, f->p, &f->desa, id, &d, &f->err), 0);
	assert_false(d.eligible);
	assert_int_equal(d.answered, d.required);
	assert_false(elig_rule_find(&d, "score_below")->passed);
	/* Out of scope for the decision too. */
	assert_int_equal(cases_decide(f->s, f->p, &f->other_desa, id, &d, &f->err),
			 TB_EPERM);
}

static int count_case(const struct store_case *c, void *arg)
{
	(void)c;
	++*(int *)arg;
	return 0;
}

static void list_respects_scope(void **state)
{
	struct fx *f = *state;
	int n = 0;
	struct store_case_filter all = { 0 }, drafts = { .state = "draft" },
				 muncar = { .region = "351005" };
	new_case(f, WOMAN);
	new_case(f, MAN);
	assert_int_equal(cases_list(f->s, NULL, &all, count_case, &n, &f->err), 0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(cases_list(f->s, &f->other_desa, &all, count_case, &n,
				    &f->err), 0);
	assert_int_equal(n, 0);
	n = 0;
	assert_int_equal(cases_list(f->s, &f->kec, &drafts, count_case, &n,
				    &f->err), 0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(cases_list(f->s, &f->dinsos, &muncar, count_case, &n,
				    &f->err), 0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(cases_list(f->s, &f->admin, &all, count_case, &n,
				    &f->err), 0);
	assert_int_equal(n, 0);
}

/* ---- accounts ----------------------------------------------------- */

static int64_t fake_now = 1790000000; /* 2026-09-21, a Monday */

static int64_t fake_clock(void)
{
	return fake_now;
}

/* One integer from the test's own connection. */
static int64_t db_int(struct fx *f, const char *sql)
{
	char path[96];
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;
	snprintf(path, sizeof path, "%s/terbit.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

#define PW "kopi-tubruk-pagi"
#define PW2 "sawah-hijau-di-ijen"

/* Sets name's password as the console and signs in: returns the rc, sid
 * gets the raw id. */
static int login(struct fx *f, const char *name, const char *pw,
		 const char *addr, struct buf *sid, struct cases_actor *a,
		 unsigned *retry)
{
	buf_reset(sid);
	buf_reset(&f->err);
	return cases_login(f->s, name, pw, addr, sid, a, retry, &f->err);
}

static void password_rules(void **state)
{
	struct fx *f = *state;
	static char big[PASSWD_MAX + 2];
	assert_int_equal(cases_password_ok(PW, "dinsos", &f->err), 0);
	assert_int_equal(cases_password_ok("pendek123", "dinsos", &f->err),
			 TB_EINVAL);
	assert_string_equal(f->err.data, "Kata sandi minimal 10 karakter");
	assert_int_equal(cases_password_ok(NULL, "dinsos", &f->err), TB_EINVAL);
	/* Characters, not bytes: nine é's are 18 bytes but too short. */
	assert_int_equal(cases_password_ok("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
					   "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
					   "\xc3\xa9", NULL, &f->err),
			 TB_EINVAL);
	assert_int_equal(cases_password_ok("BanyuWangi123", "dinsos", &f->err),
			 TB_EINVAL);
	assert_non_null(strstr(f->err.data, "terlalu umum"));
	assert_int_equal(cases_password_ok("Qwertyuiop", NULL, &f->err),
			 TB_EINVAL);
	assert_int_equal(cases_password_ok("Kecamatan-Muncar", "kecamatan-muncar",
					   &f->err), TB_EINVAL);
	assert_non_null(strstr(f->err.data, "nama pengguna"));
	memset(big, 'x', sizeof big - 1);
	assert_int_equal(cases_password_ok(big, NULL, &f->err), TB_EINVAL);
	assert_non_null(strstr(f->err.data, "terlalu panjang"));
	/* Through the admin operation too, and only for admins. */
	assert_int_equal(cases_password_set(f->s, NULL, "dinsos", "password123",
					    &f->err), TB_EINVAL);
	assert_int_equal(cases_password_set(f->s, &f->dinkes, "dinsos", PW,
					    &f->err), TB_EPERM);
	assert_int_equal(cases_password_set(f->s, &f->admin, "siapa", PW,
					    &f->err), TB_ENOTFOUND);
	assert_int_equal(cases_password_set(f->s, &f->admin, "dinsos", PW,
					    &f->err), 0);
}

/* Success gives a session the one authentication function accepts; every
 * failure says the same thing, is audited with the address, and no
 * password reaches the database in clear. */
static void login_success_and_failures(void **state)
{
	struct fx *f = *state;
	struct buf sid = BUF_INIT, msg = BUF_INIT;
	struct cases_actor a, b;
	unsigned retry = 7;
	cases_clock_set(fake_clock);
	assert_int_equal(cases_password_set(f->s, NULL, "dinsos", PW, &f->err), 0);
	assert_int_equal(login(f, "dinsos", PW, "10.0.0.1", &sid, &a, &retry), 0);
	assert_int_equal(retry, 0);
	assert_int_equal(sid.len, 43);
	assert_string_equal(a.name, "dinsos");
	assert_int_equal(a.must_change_password, 0);
	assert_int_equal(strlen(a.session_sha256), 64);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION, sid.data,
					    &b, &f->err), 0);
	assert_string_equal(b.name, "dinsos");
	assert_string_equal(b.session_sha256, a.session_sha256);
	/* The raw id is not stored; its hash is. */
	assert_int_equal(db_int(f, "SELECT count(*) FROM sessions"), 1);

	assert_int_equal(login(f, "dinsos", PW "x", "10.0.0.1", &sid, &a, NULL),
			 TB_EAUTH);
	assert_int_equal(sid.len, 0);
	buf_adds(&msg, f->err.data);
	assert_int_equal(login(f, "tidakada", PW, "10.0.0.1", &sid, &a, NULL),
			 TB_EAUTH);
	assert_string_equal(f->err.data, msg.data);
	/* op has no password yet: the same refusal. */
	assert_int_equal(login(f, "op", "", "10.0.0.1", &sid, &a, NULL), TB_EAUTH);
	assert_string_equal(f->err.data, msg.data);
	assert_int_equal(login(f, NULL, NULL, NULL, &sid, &a, NULL), TB_EAUTH);
	assert_string_equal(f->err.data, msg.data);

	assert_int_equal(db_int(f, "SELECT count(*) FROM audit WHERE action ="
				   " 'auth.login' AND actor = 'dinsos' AND note"
				   " = 'alamat 10.0.0.1'"), 1);
	assert_int_equal(db_int(f, "SELECT count(*) FROM audit WHERE action ="
				   " 'auth.login.failed' AND note LIKE"
				   " 'alamat 10.0.0.1;%'"), 3);
	assert_int_equal(db_int(f, "SELECT count(*) FROM audit WHERE action ="
				   " 'auth.login.failed' AND note LIKE"
				   " 'alamat -;%'"), 1);
	/* Neither the password nor an unknown name typed is kept. */
	assert_int_equal(db_int(f, "SELECT count(*) FROM audit WHERE note LIKE"
				   " '%kopi%' OR object LIKE '%tidakada%'"
				   " OR actor = 'tidakada'"), 0);
	assert_int_equal(db_int(f, "SELECT count(*) FROM login_failures WHERE"
				   " key LIKE '%tidakada%'"), 0);
	buf_release(&sid);
	buf_release(&msg);
}

/* From the 3rd failure on an account the next try waits 2^(k-3) s; the
 * 10th locks it for 15 minutes, during which even the right password is
 * refused without being checked; a success clears the count. */
static void login_throttle_and_lock(void **state)
{
	struct fx *f = *state;
	struct buf sid = BUF_INIT;
	struct cases_actor a;
	unsigned retry;
	cases_clock_set(fake_clock);
	assert_int_equal(cases_password_set(f->s, NULL, "dinsos", PW, &f->err), 0);
	int64_t t0 = fake_now;
	for (int k = 1; k <= 10; k++) {
		assert_int_equal(login(f, "dinsos", "salah-salah-salah", "10.0.0.2",
				       &sid, &a, &retry), TB_EAUTH);
		if (k < 3 || k >= 10)
			continue;
		unsigned want = 1u << (k - 3);
		assert_int_equal(login(f, "dinsos", PW, "10.0.0.2", &sid, &a,
				       &retry), TB_ERATE);
		assert_int_equal(retry, want);
		assert_non_null(strstr(f->err.data, "Coba lagi dalam"));
		fake_now += want;
	}
	/* Locked: the right password from another address is refused too. */
	assert_int_equal(login(f, "dinsos", PW, "10.9.9.9", &sid, &a, &retry),
			 TB_ERATE);
	assert_int_equal(retry, 15 * 60);
	fake_now += 15 * 60 - 1;
	assert_int_equal(login(f, "dinsos", PW, "10.9.9.9", &sid, &a, &retry),
			 TB_ERATE);
	assert_int_equal(retry, 1);
	fake_now += 1;
	assert_int_equal(login(f, "dinsos", PW, "10.9.9.9", &sid, &a, &retry), 0);
	assert_true(fake_now > t0);
	/* Cleared: two more failures do not delay. */
	assert_int_equal(login(f, "dinsos", "x", "10.9.9.9", &sid, &a, &retry),
			 TB_EAUTH);
	assert_int_equal(login(f, "dinsos", "x", "10.9.9.9", &sid, &a, &retry),
			 TB_EAUTH);
	assert_int_equal(login(f, "dinsos", PW, "10.9.9.9", &sid, &a, &retry), 0);
	/* Every refused attempt is audited too. */
	assert_int_equal(db_int(f, "SELECT count(*) FROM audit WHERE action ="
				   " 'auth.login.failed' AND note LIKE"
				   " '%terlalu banyak%'"), 9);
	buf_release(&sid);
}

/* An address that fails 10 times (each time a different name, so no
 * account is throttled) waits before its next try, whoever it names;
 * other addresses do not. */
static void login_throttle_by_address(void **state)
{
	struct fx *f = *state;
	struct buf sid = BUF_INIT;
	struct cases_actor a;
	unsigned retry;
	char name[32];
	cases_clock_set(fake_clock);
	assert_int_equal(cases_password_set(f->s, NULL, "dinsos", PW, &f->err), 0);
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof name, "tamu%d", i);
		assert_int_equal(login(f, name, PW, "10.0.0.3", &sid, &a, &retry),
				 TB_EAUTH);
	}
	assert_int_equal(login(f, "dinsos", PW, "10.0.0.3", &sid, &a, &retry),
			 TB_ERATE);
	assert_int_equal(retry, 1);
	assert_int_equal(login(f, "dinsos", PW, "10.0.0.4", &sid, &a, &retry), 0);
	buf_release(&sid);
}

/* Idle 30 minutes or 12 hours old: gone. last_seen is written at most
 * once a minute. */
static void session_expiry(void **state)
{
	struct fx *f = *state;
	struct buf sid = BUF_INIT;
	struct cases_actor a;
	cases_clock_set(fake_clock);
	assert_int_equal(cases_password_set(f->s, NULL, "dinsos", PW, &f->err), 0);
	int64_t t0 = fake_now;
	assert_int_equal(login(f, "dinsos", PW, "10.0.0.5", &sid, &a, NULL), 0);
	fake_now = t0 + 30;
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION, sid.data,
					    &a, &f->err), 0);
	assert_int_equal(db_int(f, "SELECT last_seen_at FROM sessions"), t0);
	fake_now = t0 + 61;
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION, sid.data,
					    &a, &f->err), 0);
	assert_int_equal(db_int(f, "SELECT last_seen_at FROM sessions"), t0 + 61);
	/* Used every 29 minutes it lives just short of 12 hours. */
	while (fake_now + 29 * 60 < t0 + CASES_SESSION_MAX_S) {
		fake_now += 29 * 60;
		assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION,
						    sid.data, &a, &f->err), 0);
	}
	fake_now = t0 + CASES_SESSION_MAX_S;
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION, sid.data,
					    &a, &f->err), TB_EAUTH);
	assert_int_equal(db_int(f, "SELECT count(*) FROM sessions"), 0);

	t0 = fake_now;
	assert_int_equal(login(f, "dinsos", PW, "10.0.0.5", &sid, &a, NULL), 0);
	fake_now = t0 + CASES_SESSION_IDLE_S - 1;
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION, sid.data,
					    &a, &f->err), 0);
	fake_now += CASES_SESSION_IDLE_S;
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION, sid.data,
					    &a, &f->err), TB_EAUTH);
	fake_now -= 5; /* a clock stepping back does not bring it back */
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION, sid.data,
					    &a, &f->err), TB_EAUTH);
	buf_release(&sid);
}

/* Sign-out ends that session only; each sign-in gets a new id. */
static void logout_ends_one_session(void **state)
{
	struct fx *f = *state;
	struct buf s1 = BUF_INIT, s2 = BUF_INIT;
	struct cases_actor a;
	cases_clock_set(fake_clock);
	assert_int_equal(cases_password_set(f->s, NULL, "dinsos", PW, &f->err), 0);
	assert_int_equal(login(f, "dinsos", PW, "10.0.0.6", &s1, &a, NULL), 0);
	assert_int_equal(login(f, "dinsos", PW, "10.0.0.6", &s2, &a, NULL), 0);
	assert_string_not_equal(s1.data, s2.data);
	assert_int_equal(cases_logout(f->s, s1.data, &f->err), 0);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION, s1.data,
					    &a, &f->err), TB_EAUTH);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION, s2.data,
					    &a, &f->err), 0);
	assert_int_equal(cases_logout(f->s, s1.data, &f->err), 0);
	assert_int_equal(cases_logout(f->s, NULL, &f->err), 0);
	assert_int_equal(db_int(f, "SELECT count(*) FROM audit WHERE action ="
				   " 'auth.logout' AND actor = 'dinsos'"), 1);
	buf_release(&s1);
	buf_release(&s2);
}

/* Disabling stops the session, the token, sign-in and --by at once. */
static void disable_stops_everything(void **state)
{
	struct fx *f = *state;
	struct buf sid = BUF_INIT, tok = BUF_INIT, msg = BUF_INIT;
	struct cases_actor a;
	cases_clock_set(fake_clock);
	assert_int_equal(cases_password_set(f->s, NULL, "dinsos", PW, &f->err), 0);
	assert_int_equal(login(f, "dinsos", PW, "10.0.0.7", &sid, &a, NULL), 0);
	assert_int_equal(cases_token_new(f->s, &f->admin, "dinsos", 0, &tok,
					 &f->err), 0);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER, tok.data,
					    &a, &f->err), 0);
	assert_int_equal(cases_user_disable(f->s, &f->dinkes, "dinsos", &f->err),
			 TB_EPERM);
	assert_int_equal(cases_user_disable(f->s, &f->admin, "root", &f->err),
			 TB_ECONFLICT);
	assert_int_equal(cases_user_disable(f->s, &f->admin, "dinsos", &f->err), 0);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION, sid.data,
					    &a, &f->err), TB_EAUTH);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER, tok.data,
					    &a, &f->err), TB_EAUTH);
	assert_int_equal(cases_actor_load(f->s, "dinsos", &a, &f->err), TB_EAUTH);
	assert_int_equal(login(f, "dinsos", PW "x", "10.0.0.7", &sid, &a, NULL),
			 TB_EAUTH);
	buf_adds(&msg, f->err.data);
	assert_int_equal(login(f, "dinsos", PW, "10.0.0.7", &sid, &a, NULL),
			 TB_EAUTH);
	assert_string_equal(f->err.data, msg.data);
	assert_int_equal(db_int(f, "SELECT count(*) FROM audit WHERE action ="
				   " 'user.disable' AND actor = 'root' AND"
				   " object = 'user:dinsos'"), 1);
	buf_release(&sid);
	buf_release(&tok);
	buf_release(&msg);
}

/* A token made with an expiry works until that second on the account
 * clock, then is refused like an unknown one; one without never ends. */
static void token_expires(void **state)
{
	struct fx *f = *state;
	struct buf tok = BUF_INIT, forever = BUF_INIT;
	struct cases_actor a;
	cases_clock_set(fake_clock);
	int64_t t0 = fake_now;
	assert_int_equal(cases_token_new(f->s, &f->admin, "dinkes",
					 CASES_TOKEN_DAYS_MAX + 1, &tok, &f->err),
			 TB_EINVAL);
	assert_int_equal(cases_token_new(f->s, &f->admin, "dinkes", 7, &tok,
					 &f->err), 0);
	assert_int_equal(cases_token_new(f->s, &f->admin, "dinsos", 0, &forever,
					 &f->err), 0);
	assert_int_equal(db_int(f, "SELECT count(*) FROM audit WHERE action ="
				   " 'user.token.new' AND object = 'user:dinkes'"
				   " AND note LIKE '%berlaku 7 hari%'"), 1);
	fake_now = t0 + 7 * 86400 - 1;
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER, tok.data,
					    &a, &f->err), 0);
	assert_string_equal(a.name, "dinkes");
	fake_now = t0 + 7 * 86400;
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER, tok.data,
					    &a, &f->err), TB_EAUTH);
	assert_string_equal(f->err.data, "token tidak dikenal");
	fake_now = t0 + 20 * 365 * 86400LL;
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER,
					    forever.data, &a, &f->err), 0);
	/* A new token without --expires lifts the old expiry. */
	buf_reset(&tok);
	assert_int_equal(cases_token_new(f->s, NULL, "dinkes", 0, &tok, &f->err),
			 0);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER, tok.data,
					    &a, &f->err), 0);
	fake_now = t0;
	buf_release(&tok);
	buf_release(&forever);
}

/* A new token replaces the old one at once. */
static void token_new_replaces(void **state)
{
	struct fx *f = *state;
	struct buf tok = BUF_INIT, old = BUF_INIT;
	struct cases_actor a;
	assert_int_equal(cases_token_new(f->s, &f->admin, "dinkes", 0, &old,
					 &f->err), 0);
	assert_int_equal(cases_token_new(f->s, &f->dinsos, "dinkes", 0, &tok,
					 &f->err), TB_EPERM);
	assert_int_equal(cases_token_new(f->s, NULL, "dinkes", 0, &tok, &f->err), 0);
	assert_int_equal(tok.len, 43);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER, old.data,
					    &a, &f->err), TB_EAUTH);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER, tok.data,
					    &a, &f->err), 0);
	assert_string_equal(a.name, "dinkes");
	assert_int_equal(db_int(f, "SELECT count(*) FROM audit WHERE action ="
				   " 'user.token.new'"), 2);
	buf_release(&tok);
	buf_release(&old);
}

/* A reset ends sessions and gives a one-time password that signs in with
 * must_change set; changing it keeps this session, ends the others and
 * clears the flag. */
static void reset_then_change(void **state)
{
	struct fx *f = *state;
	struct buf s1 = BUF_INIT, s2 = BUF_INIT, s3 = BUF_INIT, once = BUF_INIT;
	struct cases_actor a, b;
	cases_clock_set(fake_clock);
	assert_int_equal(cases_password_set(f->s, NULL, "dinsos", PW, &f->err), 0);
	assert_int_equal(login(f, "dinsos", PW, "10.0.0.8", &s1, &a, NULL), 0);
	assert_int_equal(cases_password_reset(f->s, &f->dinkes, "dinsos", &once,
					      &f->err), TB_EPERM);
	assert_int_equal(cases_password_reset(f->s, &f->admin, "dinsos", &once,
					      &f->err), 0);
	assert_int_equal(once.len, 14);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION, s1.data,
					    &a, &f->err), TB_EAUTH);
	assert_int_equal(login(f, "dinsos", PW, "10.0.0.8", &s1, &a, NULL),
			 TB_EAUTH);
	assert_int_equal(login(f, "dinsos", once.data, "10.0.0.8", &s2, &a, NULL),
			 0);
	assert_int_equal(a.must_change_password, 1);
	assert_int_equal(login(f, "dinsos", once.data, "10.0.0.9", &s3, &b, NULL),
			 0);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION, s2.data,
					    &a, &f->err), 0);
	assert_int_equal(a.must_change_password, 1);

	assert_int_equal(cases_password_change(f->s, &a, "salah", PW2, &f->err),
			 TB_EAUTH);
	assert_int_equal(cases_password_change(f->s, &a, once.data, "indonesia123",
					       &f->err), TB_EINVAL);
	assert_non_null(strstr(f->err.data, "terlalu umum"));
	assert_int_equal(cases_password_change(f->s, &a, once.data, "pendek",
					       &f->err), TB_EINVAL);
	assert_int_equal(cases_password_change(f->s, NULL, once.data, PW2,
					       &f->err), TB_EPERM);
	assert_int_equal(cases_password_change(f->s, &a, once.data, PW2, &f->err),
			 0);
	/* This session stays, without the flag; the other one ended. */
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION, s2.data,
					    &a, &f->err), 0);
	assert_int_equal(a.must_change_password, 0);
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_SESSION, s3.data,
					    &b, &f->err), TB_EAUTH);
	assert_int_equal(cases_password_change(f->s, &a, PW2, PW2, &f->err),
			 TB_EINVAL);
	assert_int_equal(login(f, "dinsos", once.data, "10.0.0.8", &s1, &b, NULL),
			 TB_EAUTH);
	assert_int_equal(login(f, "dinsos", PW2, "10.0.0.8", &s1, &b, NULL), 0);
	assert_int_equal(db_int(f, "SELECT count(*) FROM audit WHERE action IN"
				   " ('user.password.reset', 'user.password')"
				   " AND object = 'user:dinsos'"), 3);
	buf_release(&s1);
	buf_release(&s2);
	buf_release(&s3);
	buf_release(&once);
}

static int count_user(const struct store_user *u, void *arg)
{
	int *n = arg;
	*n += 1 + 100 * u->disabled;
	return 0;
}

static void user_each_admin_only(void **state)
{
	struct fx *f = *state;
	int n = 0;
	assert_int_equal(cases_user_each(f->s, &f->desa, count_user, &n, &f->err),
			 TB_EPERM);
	assert_int_equal(cases_user_disable(f->s, NULL, "op2", &f->err), 0);
	assert_int_equal(cases_user_each(f->s, &f->admin, count_user, &n, &f->err),
			 0);
	assert_int_equal(n, 7 + 100);
}

/* ---- web pages: residents, queues, home, timeline ----------------- */

/* Runs one SQL statement on a raw connection (timestamps the tests set). */
static void raw_sql(struct fx *f, const char *sql)
{
	char path[96];
	sqlite3 *db;
	char *msg = NULL;
	snprintf(path, sizeof path, "%s/terbit.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

static int raw_count(struct fx *f, const char *sql)
{
	char path[96];
	sqlite3 *db;
	sqlite3_stmt *st;
	snprintf(path, sizeof path, "%s/terbit.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static size_t find(struct fx *f, const struct cases_actor *a, const char *q,
		   int64_t *open_case)
{
	struct store_resident_hit *h = NULL;
	size_t n = 0, total = 0;
	if (cases_resident_find(f->s, a, q, 0, &h, &n, &total, &f->err) != 0)
		fail_msg("find %s: %s", q, f->err.data);
	assert_int_equal(n, total);
	if (open_case)
		*open_case = n ? h[0].open_case : -1;
	free(h);
	return n;
}

static void resident_find_in_scope(void **state)
{
	struct fx *f = *state;
	struct store_resident_hit *h = NULL;
	size_t n = 9, total = 9;
	int64_t open = -1;
	assert_int_equal(find(f, &f->desa, "351005", NULL), 2); /* not the outsider */
	assert_int_equal(find(f, &f->desa, WOMAN, &open), 1);
	assert_int_equal(open, 0);
	assert_int_equal(find(f, &f->desa, "SITI r", NULL), 1);
	assert_int_equal(find(f, &f->desa, "santoso", NULL), 1);
	assert_int_equal(find(f, &f->desa, "S%", NULL), 0); /* no wildcards */
	assert_int_equal(find(f, &f->desa, "_i", NULL), 0);
	assert_int_equal(find(f, &f->desa, "Sri", NULL), 0); /* Jember */
	assert_int_equal(find(f, &f->other_desa, "351005", NULL), 0);
	assert_int_equal(find(f, &f->other_desa, "siti", NULL), 0);
	assert_int_equal(find(f, &f->kec, "3510", NULL), 2);
	assert_int_equal(find(f, &f->other_kec, "3510", NULL), 0);
	assert_int_equal(find(f, &f->dinsos, "Sri", NULL), 1);
	assert_int_equal(find(f, NULL, "35", NULL), 3);
	int64_t id = new_case(f, WOMAN);
	assert_int_equal(find(f, &f->desa, WOMAN, &open), 1);
	assert_int_equal(open, id);
	assert_int_equal(cases_resident_find(f->s, &f->admin, "siti", 0, &h, &n,
					     &total, &f->err), TB_EPERM);
	assert_int_equal(cases_resident_find(f->s, &f->desa, " s ", 0, &h, &n,
					     &total, &f->err), TB_EINVAL);
	assert_null(h);
	assert_int_equal(n, 0);
}

static void resident_register_checks_each_field(void **state)
{
	struct fx *f = *state;
	struct cases_field_errors fe;
	struct store_resident r;
	struct buf before = BUF_INIT, after = BUF_INIT;
	struct cases_resident_in in = {
		.nik = "35100545069", .kk = "123", .name = "",
		.birth_place = "Muncar", .birth_date = "1990-02-30", .sex = "X",
		.address = "Dusun Krajan", .rt = "1234", .rw = "2",
		.village_code = "35.10.05",
	};
	db_dump(f, &before);
	assert_int_equal(cases_resident_register(f->s, &f->desa, &in, &r, &fe,
						 &f->err), TB_EINVAL);
	assert_string_equal(cases_field_error_msg(&fe, "nik"), "NIK harus 16 digit");
	assert_string_equal(cases_field_error_msg(&fe, "kk"), "No. KK harus 16 digit");
	assert_string_equal(cases_field_error_msg(&fe, "name"), "nama kosong");
	assert_has(cases_field_error_msg(&fe, "birth_date"), "bukan tanggal");
	assert_string_equal(cases_field_error_msg(&fe, "sex"),
			    "jenis kelamin harus L atau P");
	assert_string_equal(cases_field_error_msg(&fe, "rt"),
			    "RT harus 1 sampai 3 digit");
	assert_has(cases_field_error_msg(&fe, "village_code"), "harus 10 digit");
	assert_null(cases_field_error_msg(&fe, "rw"));
	assert_null(cases_field_error_msg(&fe, "address"));
	assert_string_equal(fe.e[0].field, "nik"); /* the import's order */
	assert_has(f->err.data, "NIK harus 16 digit");
	/* NIK against birth date and sex */
	in = (struct cases_resident_in){
		.nik = "3510054506900077", .kk = "3510050101200009",
		.name = "Ani", .birth_place = "Muncar", .birth_date = "1990-06-05",
		.sex = "L", .address = "Dusun Krajan", .rt = "1", .rw = "2",
		.village_code = OTHER,
	};
	assert_int_equal(cases_resident_register(f->s, &f->desa, &in, &r, &fe,
						 &f->err), TB_EINVAL);
	assert_int_equal(fe.n, 1);
	assert_has(cases_field_error_msg(&fe, "sex"), "NIK menunjukkan jenis kelamin P");
	in.sex = "P";
	in.birth_date = "1990-06-06";
	assert_int_equal(cases_resident_register(f->s, &f->desa, &in, &r, &fe,
						 &f->err), TB_EINVAL);
	assert_non_null(cases_field_error_msg(&fe, "nik"));
	in.birth_date = "1990-06-05";
	/* a village outside the operator's, then one not in regions */
	assert_int_equal(cases_resident_register(f->s, &f->desa, &in, &r, &fe,
						 &f->err), TB_EINVAL);
	assert_has(cases_field_error_msg(&fe, "village_code"), "di luar wilayah");
	in.village_code = "3510059999";
	assert_int_equal(cases_resident_register(f->s, &f->desa, &in, &r, &fe,
						 &f->err), TB_EINVAL);
	assert_has(cases_field_error_msg(&fe, "village_code"), "tidak dikenal");
	/* only the village registers */
	in.village_code = "35.10.05.2001";
	assert_int_equal(cases_resident_register(f->s, &f->dinsos, &in, &r, &fe,
						 &f->err), TB_EPERM);
	/* an existing NIK is never replaced */
	in.nik = WOMAN;
	assert_int_equal(cases_resident_register(f->s, &f->desa, &in, &r, &fe,
						 &f->err), TB_ECONFLICT);
	assert_has(cases_field_error_msg(&fe, "nik"), "sudah terdaftar");
	db_dump(f, &after);
	assert_string_equal(before.data, after.data);
	in.nik = "3510054506900077";
	assert_int_equal(cases_resident_register(f->s, &f->desa, &in, &r, &fe,
						 &f->err), 0);
	assert_string_equal(r.rt, "001");
	assert_string_equal(r.village_code, VILLAGE);
	assert_int_equal(find(f, &f->desa, "3510054506900077", NULL), 1);
	assert_int_equal(raw_count(f, "SELECT count(*) FROM audit WHERE action ="
				   " 'resident.add' AND object ="
				   " 'resident:3510054506900077' AND actor = 'op'"), 1);
	buf_release(&before);
	buf_release(&after);
}

static int correct(struct fx *f, const struct cases_actor *a, const char *nik,
		   const struct cases_resident_in *in, const char *reason,
		   struct cases_field_errors *fe)
{
	return cases_resident_correct(f->s, a, nik, in, reason, fe, NULL, &f->err);
}

static void resident_corrections_by_stage(void **state)
{
	struct fx *f = *state;
	struct cases_field_errors fe, lk;
	struct store_resident r;
	struct store_correction *c = NULL;
	size_t n = 0, changed = 0;
	struct cases_resident_in name = { .name = "Siti Rahayu Ningsih" };
	struct cases_resident_in village = { .village_code = "3510052002" };
	struct cases_resident_in nik = { .nik = "3510054506900009" };
	/* no case: all but the NIK */
	assert_int_equal(correct(f, &f->desa, WOMAN, &name, " ", &fe), TB_EINVAL);
	assert_non_null(cases_field_error_msg(&fe, "reason"));
	assert_int_equal(correct(f, &f->desa, WOMAN, &nik, "salah ketik", &fe),
			 TB_ECONFLICT);
	assert_has(cases_field_error_msg(&fe, "nik"), "penduduk baru");
	assert_int_equal(correct(f, &f->other_desa, WOMAN, &name, "x", &fe),
			 TB_EPERM);
	assert_int_equal(correct(f, &f->desa, WOMAN, &village, "pindah", &fe),
			 TB_EINVAL); /* another village: outside the operator's */
	assert_has(cases_field_error_msg(&fe, "village_code"), "di luar wilayah");
	assert_int_equal(cases_resident_correct(f->s, &f->desa, WOMAN, &name,
						"salah ketik di KK", &fe,
						&changed, &f->err), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(correct(f, &f->desa, WOMAN, &name, "lagi", &fe), TB_EINVAL);
	/* a draft: not the village code */
	assert_int_equal(cases_resident_locked(f->s, WOMAN, &lk, &f->err), 0);
	assert_int_equal(lk.n, 1); /* the NIK only */
	int64_t id = new_case(f, WOMAN);
	assert_int_equal(cases_resident_locked(f->s, WOMAN, &lk, &f->err), 0);
	assert_int_equal(lk.n, 2);
	assert_has(cases_field_error_msg(&lk, "village_code"), "masih di desa");
	assert_null(cases_field_error_msg(&lk, "name"));
	struct cases_resident_in rt = { .rt = "7", .rw = "08" };
	assert_int_equal(correct(f, &f->desa, WOMAN, &rt, "RT baru", &fe), 0);
	struct cases_resident_in same_village = { .village_code = "35.10.05.2001",
						  .address = "Dusun Kidul" };
	assert_int_equal(correct(f, &f->desa, WOMAN, &same_village, "alamat", &fe),
			 0); /* same village as typed with dots: not a change */
	/* under review: nothing */
	attach(f, id, "rujukan");
	move_ok(f, &f->desa, id, "submitted");
	struct cases_resident_in kk = { .kk = "3510050101200099" };
	assert_int_equal(correct(f, &f->desa, WOMAN, &kk, "KK baru", &fe),
			 TB_ECONFLICT);
	assert_has(cases_field_error_msg(&fe, "kk"), "sedang diperiksa");
	/* the form offers the same: every field locked, with the reason */
	assert_int_equal(cases_resident_locked(f->s, WOMAN, &lk, &f->err), 0);
	assert_int_equal(lk.n, 10);
	assert_has(cases_field_error_msg(&lk, "kk"), "sedang diperiksa");
	assert_has(cases_field_error_msg(&lk, "nik"), "penduduk baru");
	/* returned: the village fixes it */
	assert_int_equal(cases_move(f->s, f->p, &f->dinkes, id, "returned",
				    "No. KK salah", &f->err), 0);
	assert_int_equal(correct(f, &f->desa, WOMAN, &kk, "KK baru", &fe), 0);
	assert_int_equal(cases_resident_get(f->s, &f->desa, WOMAN, &r, &c, &n,
					    &f->err), 0);
	assert_string_equal(r.name, "Siti Rahayu Ningsih");
	assert_string_equal(r.rt, "007");
	assert_string_equal(r.kk, "3510050101200099");
	assert_int_equal(n, 5); /* name, rt, rw, address, kk */
	assert_string_equal(c[0].field, "name");
	assert_string_equal(c[0].old_value, "Siti Rahayu");
	assert_string_equal(c[0].new_value, "Siti Rahayu Ningsih");
	assert_string_equal(c[0].reason, "salah ketik di KK");
	assert_string_equal(c[0].by, "op");
	assert_string_equal(c[1].field, "rt");
	assert_string_equal(c[1].old_value, "001");
	assert_string_equal(c[4].field, "kk");
	free(c);
	assert_int_equal(raw_count(f, "SELECT count(*) FROM audit WHERE action ="
				   " 'resident.correct' AND object = 'resident:"
				   WOMAN "'"), 4);
	assert_int_equal(cases_resident_get(f->s, &f->other_desa, WOMAN, &r, &c,
					    &n, &f->err), TB_EPERM);
	/* approved, no document yet: nothing */
	move_ok(f, &f->desa, id, "submitted");
	move_ok(f, &f->dinkes, id, "health_checked");
	answer_all(f, id, 1);
	move_ok(f, &f->desa, id, "surveyed");
	move_ok(f, &f->kec, id, "recommended");
	attach(f, id, "verifikasi");
	move_ok(f, &f->desa, id, "verified");
	move_ok(f, &f->dinsos, id, "approved");
	assert_int_equal(correct(f, &f->desa, WOMAN, &name, "x", &fe), TB_EINVAL);
	struct cases_resident_in addr = { .address = "Dusun Wetan" };
	assert_int_equal(correct(f, &f->desa, WOMAN, &addr, "x", &fe),
			 TB_ECONFLICT);
	assert_has(cases_field_error_msg(&fe, "address"), "sudah disetujui");
	/* the corrections table is append-only */
	char path[96];
	sqlite3 *db;
	snprintf(path, sizeof path, "%s/terbit.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM resident_corrections",
					  NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static size_t queue(struct fx *f, const struct cases_actor *a,
		    const char *state, enum cases_wait_sort sort, size_t offset,
		    struct cases_queue_item **out, size_t *total)
{
	size_t n = 0;
	if (cases_queue(f->s, a, state, sort, offset, out, &n, total, &f->err))
		fail_msg("queue: %s", f->err.data);
	return n;
}

static void queue_by_waiting_time(void **state)
{
	struct fx *f = *state;
	struct cases_queue_item *q = NULL;
	size_t total = 0;
	char nik[NIK_LEN + 1];
	int64_t a = new_case(f, WOMAN), b = new_case(f, MAN);
	int64_t c = new_case(f, extra_resident(f, 0, nik));
	char sql[256];
	snprintf(sql, sizeof sql,
		 "UPDATE cases SET state_since = CASE id"
		 " WHEN %lld THEN strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now', '-3 hours')"
		 " WHEN %lld THEN strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now', '-1 hours')"
		 " ELSE strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now', '-2 days') END",
		 (long long)a, (long long)b);
	raw_sql(f, sql);
	assert_int_equal(queue(f, &f->desa, "draft", CASES_WAIT_LONGEST, 0, &q,
			       &total), 3);
	assert_int_equal(total, 3);
	assert_int_equal(q[0].c.id, c);
	assert_int_equal(q[1].c.id, a);
	assert_int_equal(q[2].c.id, b);
	assert_true(q[0].waiting_s >= 2 * 86400 && q[0].waiting_s < 2 * 86400 + 60);
	assert_true(q[1].waiting_s >= 3 * 3600 && q[1].waiting_s < 3 * 3600 + 60);
	assert_true(q[2].waiting_s >= 3600 && q[2].waiting_s < 3600 + 60);
	assert_string_equal(q[0].c.name, "Siti Rahayu");
	assert_string_equal(q[0].moved_by, "op"); /* opened it */
	free(q);
	assert_int_equal(queue(f, &f->desa, "draft", CASES_WAIT_SHORTEST, 0, &q,
			       &total), 3);
	assert_int_equal(q[0].c.id, b);
	assert_int_equal(q[2].c.id, c);
	free(q);
	/* scope: another village and another kecamatan see nothing */
	assert_int_equal(queue(f, &f->other_desa, "draft", 0, 0, &q, &total), 0);
	assert_int_equal(total, 0);
	assert_int_equal(queue(f, &f->other_kec, NULL, 0, 0, &q, &total), 0);
	assert_int_equal(queue(f, &f->kec, NULL, 0, 0, &q, &total), 3);
	free(q);
	assert_int_equal(cases_queue(f->s, &f->admin, "draft", 0, 0, &q, &total,
				     &total, &f->err), TB_EPERM);
	assert_int_equal(cases_queue(f->s, &f->desa, "bogus", 0, 0, &q, &total,
				     &total, &f->err), TB_EINVAL);
	/* a move restarts the clock: the trigger sets state_since */
	attach(f, c, "rujukan");
	move_ok(f, &f->desa, c, "submitted");
	assert_int_equal(queue(f, &f->dinkes, "submitted", 0, 0, &q, &total), 1);
	assert_true(q[0].waiting_s < 60);
	free(q);
	/* paging: 50 a page, the rest on the next */
	for (int i = 0; i < 53; i++)
		new_case(f, extra_resident(f, i + 1, nik));
	assert_int_equal(queue(f, &f->desa, "draft", 0, 0, &q, &total), CASES_PAGE);
	assert_int_equal(total, 55);
	int64_t last = q[CASES_PAGE - 1].c.id;
	free(q);
	assert_int_equal(queue(f, &f->desa, "draft", 0, CASES_PAGE, &q, &total), 5);
	assert_true(q[0].c.id > last);
	free(q);
}

static void home_and_timeline(void **state)
{
	struct fx *f = *state;
	struct cases_home h;
	struct cases_step *st = NULL;
	size_t n = 0;
	char nik[NIK_LEN + 1];
	int64_t ret = new_case(f, WOMAN), sur = new_case(f, MAN);
	int64_t ver = new_case(f, extra_resident(f, 0, nik));
	new_case(f, extra_resident(f, 1, nik));
	attach(f, ret, "rujukan");
	move_ok(f, &f->desa, ret, "submitted");
	assert_int_equal(cases_move(f->s, f->p, &f->dinkes, ret, "returned",
				    "Rujukan tidak terbaca", &f->err), 0);
	attach(f, sur, "rujukan");
	move_ok(f, &f->desa, sur, "submitted");
	move_ok(f, &f->dinkes, sur, "health_checked");
	attach(f, ver, "rujukan");
	move_ok(f, &f->desa, ver, "submitted");
	move_ok(f, &f->dinkes, ver, "health_checked");
	answer_all(f, ver, 1);
	move_ok(f, &f->desa, ver, "surveyed");
	move_ok(f, &f->kec, ver, "recommended");
	assert_int_equal(cases_home(f->s, &f->desa, &h, &f->err), 0);
	assert_int_equal(h.total, 4);
	assert_int_equal(h.counts[ST_DRAFT], 1);
	assert_int_equal(h.counts[ST_RETURNED], 1);
	assert_int_equal(h.counts[ST_HEALTH_CHECKED], 1);
	assert_int_equal(h.counts[ST_RECOMMENDED], 1);
	assert_int_equal(h.nreturned, 1);
	assert_int_equal(h.returned[0].c.id, ret);
	assert_string_equal(h.returned[0].note, "Rujukan tidak terbaca");
	assert_string_equal(h.returned[0].moved_by, "dinkes");
	assert_int_equal(h.nsurvey, 1);
	assert_int_equal(h.survey[0].c.id, sur);
	assert_int_equal(h.nverification, 1);
	assert_int_equal(h.verification[0].c.id, ver);
	assert_int_equal(h.nready, 0);
	cases_home_release(&h);
	assert_int_equal(cases_home(f->s, &f->other_desa, &h, &f->err), 0);
	assert_int_equal(h.total, 0);
	assert_int_equal(h.nreturned + h.nsurvey + h.nverification, 0);
	cases_home_release(&h);
	assert_int_equal(cases_timeline(f->s, &f->desa, ret, &st, &n, &f->err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(st[0].from, "");
	assert_string_equal(st[0].to, "draft");
	assert_string_equal(st[1].from, "draft");
	assert_string_equal(st[1].to, "submitted");
	assert_string_equal(st[1].note, "");
	assert_string_equal(st[2].to, "returned");
	assert_string_equal(st[2].actor, "dinkes");
	assert_string_equal(st[2].role, "dinkes");
	assert_string_equal(st[2].note, "Rujukan tidak terbaca");
	assert_int_equal(strlen(st[2].at), 24);
	free(st);
	assert_int_equal(cases_timeline(f->s, &f->other_desa, ret, &st, &n,
					&f->err), TB_EPERM);
	assert_null(st);
}

/* ---- issue 11: enumeration, one open case, duplicated answers ----- */

/* Outside a scoped actor's region, what exists and what does not get
 * the same code and the same words; regency-wide readers keep 404. */
static void scope_answers_alike(void **state)
{
	struct fx *f = *state;
	struct store_case c;
	struct store_resident r;
	struct store_correction *corr = NULL;
	struct cases_field_errors fe;
	struct cases_resident_in in = { .name = "Siti Rahayu Baru" };
	size_t n = 0;
	char other_msg[128];
	int64_t id = new_case(f, WOMAN);
	/* a case of another village, and one that does not exist */
	assert_int_equal(cases_get(f->s, &f->other_desa, id, &c, &f->err), TB_EPERM);
	snprintf(other_msg, sizeof other_msg, "%s", f->err.data);
	assert_null(strstr(other_msg, VILLAGE));
	assert_int_equal(cases_get(f->s, &f->other_desa, id + 1000, &c, &f->err),
			 TB_EPERM);
	/* same words but for the id itself */
	char want[128];
	snprintf(want, sizeof want, "kasus %lld tidak ditemukan di wilayah Anda",
		 (long long)id);
	assert_string_equal(other_msg, want);
	assert_int_equal(cases_get(f->s, &f->other_kec, id + 1000, &c, &f->err),
			 TB_EPERM);
	assert_int_equal(cases_get(f->s, &f->dinkes, id + 1000, &c, &f->err),
			 TB_ENOTFOUND);
	assert_int_equal(cases_get(f->s, NULL, id + 1000, &c, &f->err),
			 TB_ENOTFOUND);
	/* residents: a NIK of another village, and an unknown one */
	assert_int_equal(cases_create(f->s, &f->other_desa, MAN, NULL, &f->err),
			 TB_EPERM);
	snprintf(other_msg, sizeof other_msg, "%s", f->err.data);
	assert_int_equal(cases_create(f->s, &f->other_desa, "3510050000000099",
				      NULL, &f->err), TB_EPERM);
	assert_string_equal(f->err.data, other_msg);
	assert_null(strstr(other_msg, VILLAGE));
	assert_int_equal(cases_resident_get(f->s, &f->other_desa, MAN, &r, &corr,
					    &n, &f->err), TB_EPERM);
	assert_string_equal(f->err.data, other_msg);
	assert_int_equal(cases_resident_get(f->s, &f->other_desa, "3510050000000099",
					    &r, &corr, &n, &f->err), TB_EPERM);
	assert_string_equal(f->err.data, other_msg);
	assert_int_equal(cases_resident_correct(f->s, &f->other_desa, MAN, &in,
						"salah ketik", &fe, NULL, &f->err),
			 TB_EPERM);
	assert_string_equal(f->err.data, other_msg);
	assert_int_equal(cases_resident_correct(f->s, &f->other_desa,
						"3510050000000099", &in,
						"salah ketik", &fe, NULL, &f->err),
			 TB_EPERM);
	assert_string_equal(f->err.data, other_msg);
	assert_int_equal(cases_resident_get(f->s, &f->dinsos, "3510050000000099",
					    &r, &corr, &n, &f->err), TB_ENOTFOUND);
	/* each refusal audited with the NIK asked for */
	assert_int_equal(db_int(f, "SELECT count(*) FROM audit WHERE action = "
				    "'access.denied.nik' AND actor = 'op2' AND "
				    "object = 'resident:" MAN "'"), 3);
	assert_int_equal(db_int(f, "SELECT count(*) FROM audit WHERE action = "
				    "'access.denied.nik' AND object = "
				    "'resident:3510050000000099'"), 3);
}

static void one_open_case_per_resident(void **state)
{
	struct fx *f = *state;
	int64_t id = new_case(f, WOMAN), id2 = 0;
	char want[96];
	long long before = db_int(f, "SELECT count(*) FROM cases");
	assert_int_equal(cases_create(f->s, &f->desa, WOMAN, &id2, &f->err),
			 TB_ECONFLICT);
	snprintf(want, sizeof want, "sudah ada kasus terbuka #%lld untuk "
		 "penduduk ini", (long long)id);
	assert_string_equal(f->err.data, want);
	assert_int_equal(db_int(f, "SELECT count(*) FROM cases"), before);
	/* once the case is final, a new one may be opened */
	attach(f, id, "rujukan");
	move_ok(f, &f->desa, id, "submitted");
	assert_int_equal(cases_move(f->s, f->p, &f->dinkes, id, "rejected",
				    "bukan warga miskin", &f->err), 0);
	assert_int_equal(cases_create(f->s, &f->desa, WOMAN, &id2, &f->err), 0);
	assert_true(id2 > id);
}

static void duplicated_indicator_refused(void **state)
{
	struct fx *f = *state;
	int64_t id = new_case(f, WOMAN);
	struct elig_answer dup[] = {
		{ "luas_lantai", 1 }, { "jenis_lantai", 1 }, { "luas_lantai", 2 },
	};
	assert_int_equal(cases_answers(f->s, f->p, &f->desa, id, dup,
				       ARRAY_SIZE(dup), &f->err), TB_EINVAL);
	assert_string_equal(f->err.data, "indikator luas_lantai dijawab dua kali "
			    "(jawaban ke-1 dan ke-3)");
	assert_int_equal(db_int(f, "SELECT count(*) FROM answers"), 0);
	assert_int_equal(cases_answers(f->s, f->p, &f->desa, id, dup, 2, &f->err),
			 0);
}

static void attachment_list_in_scope(void **state)
{
	struct fx *f = *state;
	struct store_attachment *at = NULL;
	size_t n = 9;
	int64_t id = new_case(f, WOMAN);
	assert_int_equal(cases_attachment_list(f->s, &f->desa, id, &at, &n,
					       &f->err), 0);
	assert_int_equal(n, 0);
	free(at);
	attach(f, id, "rujukan");
	attach(f, id, "verifikasi");
	assert_int_equal(cases_attachment_list(f->s, &f->dinkes, id, &at, &n,
					       &f->err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(at[0].kind, "rujukan");
	assert_string_equal(at[0].mime, "application/pdf");
	assert_string_equal(at[1].kind, "verifikasi");
	free(at);
	assert_int_equal(cases_attachment_list(f->s, &f->other_desa, id, &at, &n,
					       &f->err), TB_EPERM);
	assert_null(at);
	assert_int_equal(n, 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(import_all_or_nothing),
		T(users_tokens_and_regions),
		T(authenticate_by_credential),
		T(walk_draft_to_approved),
		T(refusals_leave_database_unchanged),
		T(audit_failure_rolls_back_the_change),
		T(retired_answers_kept_not_counted),
		T(list_respects_scope),
		T(password_rules),
		T(login_success_and_failures),
		T(login_throttle_and_lock),
		T(login_throttle_by_address),
		T(session_expiry),
		T(logout_ends_one_session),
		T(disable_stops_everything),
		T(token_new_replaces),
		T(token_expires),
		T(reset_then_change),
		T(user_each_admin_only),
		T(resident_find_in_scope),
		T(resident_register_checks_each_field),
		T(resident_corrections_by_stage),
		T(queue_by_waiting_time),
		T(home_and_timeline),
		T(scope_answers_alike),
		T(one_open_case_per_resident),
		T(duplicated_indicator_refused),
		T(attachment_list_in_scope),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
