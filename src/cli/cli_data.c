/*
 * CLI handlers for the data directory: init, imports, users, the policy,
 * demo data; and the helpers that find shipped files and open the store.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cases/cases.h"
#include "cli/cli.h"
#include "core/err.h"
#include "core/json.h"
#include "demo/demo.h"
#include "issue/issue.h"
#include "render/render.h"
#include "sign/keys.h"
#include "store/store.h"

/* Imports are read whole; a 1 GB residents file is ~10 million rows. */
#define IMPORT_MAX (1024u * 1024 * 1024)

int cli_open_store(struct cli *c, struct store **out)
{
	return store_open(c->data_dir, out, &c->err);
}

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The repository the binary lives in: /proc/self/exe minus "/bin/NAME". */
static int repo_dir(struct buf *out)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return -1;
	exe[n] = 0;
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(exe, '/');
		if (!slash)
			return -1;
		*slash = 0;
	}
	return buf_adds(out, exe[0] ? exe : "/");
}

int cli_resource(struct cli *c, const char *opt, const char *env,
		 const char *rel, struct buf *out)
{
	const char *given = opt ? cli_opt(c, opt) : NULL;
	if (!given && env)
		given = getenv(env);
	buf_reset(out);
	if (given && *given) {
		if (!file_exists(given))
			return tb_err(&c->err, TB_ENOTFOUND,
				      "berkas %s tidak ditemukan", given);
		return buf_adds(out, given);
	}
	if (repo_dir(out) == 0 && buf_addf(out, "/%s", rel) == 0 &&
	    file_exists(out->data))
		return 0;
	buf_reset(out);
	if (file_exists(rel))
		return buf_adds(out, rel);
	return tb_err(&c->err, TB_ENOTFOUND,
		      "berkas %s tidak ditemukan (di samping program maupun di "
		      "direktori ini)%s%s", rel, env ? "; atur " : "",
		      env ? env : "");
}

/* The directory holding layouts/ and fonts/: --root, $TERBIT_ROOT, else
 * found beside the binary or here (cli_resource). A directory given by
 * hand is checked by render_ctx_new, which names what it lacks. */
int cli_find_root(struct cli *c, struct buf *root)
{
	static const char rel[] = "layouts/spm_letter.layout";
	const char *given = cli_opt(c, "--root");
	if (!given)
		given = getenv("TERBIT_ROOT");
	if (given && *given) {
		buf_reset(root);
		return buf_adds(root, given);
	}
	int rc = cli_resource(c, NULL, NULL, rel, root);
	if (rc < 0)
		return rc;
	size_t n = strlen(rel);
	if (root->len >= n && strcmp(root->data + root->len - n, rel) == 0)
		buf_truncate(root, root->len > n ? root->len - n - 1 : 0);
	return root->len ? 0 : buf_adds(root, ".");
}

int cli_load_policy(struct cli *c, struct policy **out)
{
	struct buf path = BUF_INIT;
	int rc = cli_resource(c, "--policy", "TERBIT_POLICY",
			      "policy/banyuwangi.policy", &path);
	if (rc == 0)
		rc = policy_load(path.data, out, &c->err);
	buf_release(&path);
	return rc;
}

/* ---- init --------------------------------------------------------- */

static int load_regions(struct cli *c, struct store *s)
{
	struct buf path = BUF_INIT, data = BUF_INIT;
	int rc = cli_resource(c, "--regions", "TERBIT_REGIONS",
			      "regions/3510.csv", &path);
	if (rc == 0)
		rc = buf_read_file(&data, path.data, 0, &c->err);
	if (rc == 0)
		rc = cases_regions_import(s, data.data, data.len, path.data,
					  &c->err);
	buf_release(&path);
	buf_release(&data);
	return rc;
}

int cli_init(struct cli *c)
{
	static const char *const opts[] = { "--regions", NULL };
	struct store *s = NULL;
	int rc = cli_expect(c, 0, opts);
	if (rc < 0)
		return rc;
	if ((rc = cli_open_store(c, &s)) < 0)
		return rc;
	if ((rc = load_regions(c, s)) < 0)
		goto out;
	/* Every fresh data directory can sign: keys_init makes the local
	 * CA, the PDF signer and a QR key (returns 1 when they exist). */
	if ((rc = keys_init(c->data_dir, &c->err)) < 0)
		goto out;
	printf("Direktori data siap: %s\n"
	       "Basis data: %s/terbit.db (skema versi %d)\n"
	       "Wilayah: %d\n",
	       c->data_dir, c->data_dir, store_schema_version(s),
	       store_region_count(s, NULL));
	rc = 0;
out:
	store_close(s);
	return rc;
}

/* ---- imports ------------------------------------------------------ */

static int import(struct cli *c, enum cases_import_kind kind)
{
	static const char *const opts[] = { "--skip-bad", NULL };
	struct store *s = NULL;
	struct buf data = BUF_INIT, report = BUF_INIT;
	size_t nbad = 0;
	int rc = cli_expect(c, 1, opts);
	if (rc < 0)
		return rc;
	if ((rc = buf_read_file(&data, cli_pos(c, 0), IMPORT_MAX, &c->err)) < 0)
		goto out;
	if ((rc = cli_open_store(c, &s)) < 0)
		goto out;
	rc = cases_import(s, NULL, kind, data.data, data.len,
			  cli_flag(c, "--skip-bad"), &report, &nbad, &c->err);
	fputs(report.data, stderr);
	if (rc >= 0)
		printf("%d baris diimpor, %zu baris dilewati\n", rc, nbad);
	rc = rc < 0 ? rc : 0;
out:
	store_close(s);
	buf_release(&data);
	buf_release(&report);
	return rc;
}

int cli_import_residents(struct cli *c)
{
	return import(c, CASES_IMPORT_RESIDENTS);
}

int cli_import_pbi(struct cli *c)
{
	return import(c, CASES_IMPORT_PBI);
}

/* ---- users -------------------------------------------------------- */

int cli_user_add(struct cli *c)
{
	static const char *const opts[] = { "--role", "--region", NULL };
	struct store *s = NULL;
	struct buf token = BUF_INIT;
	int rc = cli_expect(c, 1, opts);
	if (rc < 0)
		return rc;
	if (!cli_opt(c, "--role"))
		return tb_err(&c->err, TB_EINVAL, "--role wajib diisi");
	if ((rc = cli_open_store(c, &s)) < 0)
		return rc;
	rc = cases_user_add(s, NULL, cli_pos(c, 0), cli_opt(c, "--role"),
			    cli_opt(c, "--region"), &token, &c->err);
	if (rc == 0)
		printf("%s\n", token.data);
	store_close(s);
	buf_release(&token);
	return rc;
}

/* ---- policy ------------------------------------------------------- */

static void policy_text(const struct policy *p)
{
	printf("Kebijakan %s (kabupaten %s %s), layak bila skor < %g\n",
	       policy_version(p), policy_regency(p), policy_regency_name(p),
	       policy_threshold(p));
	for (size_t i = 0; i < policy_indicator_count(p); i++) {
		const struct policy_indicator *ind = policy_indicator(p, i);
		printf("\n%s  bobot %g%s\n  %s\n", ind->code, ind->weight,
		       ind->retired ? "  [tidak berlaku]" : "", ind->label);
		for (size_t k = 0; k < ind->nanswers; k++)
			printf("    %d = %s\n", ind->answers[k].value,
			       ind->answers[k].label);
	}
}

static int policy_json(const struct policy *p, struct buf *out)
{
	struct json j;
	json_init(&j, out);
	json_obj_open(&j, NULL);
	json_str(&j, "version", policy_version(p));
	json_str(&j, "regency", policy_regency(p));
	json_str(&j, "regency_name", policy_regency_name(p));
	json_num(&j, "threshold", policy_threshold(p));
	json_arr_open(&j, "indicators");
	for (size_t i = 0; i < policy_indicator_count(p); i++) {
		const struct policy_indicator *ind = policy_indicator(p, i);
		json_obj_open(&j, NULL);
		json_str(&j, "code", ind->code);
		json_str(&j, "label", ind->label);
		json_num(&j, "weight", ind->weight);
		json_bool(&j, "retired", ind->retired);
		json_arr_open(&j, "answers");
		for (size_t k = 0; k < ind->nanswers; k++) {
			json_obj_open(&j, NULL);
			json_int(&j, "value", ind->answers[k].value);
			json_str(&j, "label", ind->answers[k].label);
			json_obj_close(&j);
		}
		json_arr_close(&j);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_obj_close(&j);
	return json_finish(&j);
}

int cli_policy_show(struct cli *c)
{
	static const char *const opts[] = { "--policy", "--json", NULL };
	struct policy *p = NULL;
	struct buf out = BUF_INIT;
	int rc = cli_expect(c, 0, opts);
	if (rc < 0 || (rc = cli_load_policy(c, &p)) < 0)
		return rc;
	if (cli_flag(c, "--json")) {
		rc = policy_json(p, &out);
		if (rc == 0)
			printf("%s\n", out.data);
	} else {
		policy_text(p);
	}
	policy_free(p);
	buf_release(&out);
	return rc;
}

/* ---- demo data ---------------------------------------------------- */

static int parse_count(struct cli *c, const char *opt, unsigned long dflt,
		       unsigned long max, unsigned long *out)
{
	const char *v = cli_opt(c, opt);
	char *end;
	*out = dflt;
	if (!v)
		return 0;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (!*v || *end || errno || n > max)
		return tb_err(&c->err, TB_EINVAL,
			      "%s harus bilangan 0 sampai %lu", opt, max);
	*out = n;
	return 0;
}

static int export_csv(struct cli *c, const char *dir, unsigned long n,
		      unsigned long seed)
{
	struct buf res = BUF_INIT, pbi = BUF_INIT, path = BUF_INIT;
	int rc;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return tb_err(&c->err, TB_EIO, "tidak dapat membuat %s: %s", dir,
			      strerror(errno));
	rc = demo_csv((unsigned)n, seed, &res, &pbi, &c->err);
	if (rc == 0 && (rc = buf_addf(&path, "%s/residents.csv", dir)) == 0)
		rc = buf_write_file(path.data, res.data, res.len, 0600, &c->err);
	buf_reset(&path);
	if (rc == 0 && (rc = buf_addf(&path, "%s/pbi.csv", dir)) == 0)
		rc = buf_write_file(path.data, pbi.data, pbi.len, 0600, &c->err);
	if (rc == 0)
		printf("%s/residents.csv\n%s/pbi.csv\n", dir, dir);
	buf_release(&res);
	buf_release(&pbi);
	buf_release(&path);
	return rc;
}

/* The documents of a demo history: through the gate, as dinsos. */
struct history_docs {
	struct issue_ctx ctx;
	struct cases_actor dinsos;
	int loaded;
};

static int history_issue(void *arg, int64_t case_id, int card,
			 struct buf *err)
{
	struct history_docs *h = arg;
	struct issue_result res;
	int rc;
	if (!h->loaded) {
		if ((rc = cases_actor_load(h->ctx.store, "dinsos", &h->dinsos,
					   err)) < 0)
			return rc;
		h->loaded = 1;
	}
	rc = issue_document(&h->ctx, &h->dinsos, case_id,
			    card ? ISSUE_CARD : ISSUE_LETTER, &res, NULL, err);
	/* An approved case the engine now refuses is part of the story
	 * (its refusal is audited), not a failure of the demo. */
	return rc == TB_EREFUSED || rc == TB_ECONFLICT ? 0 : rc;
}

/* --history-days: cases spread over that many days before now, with the
 * documents when the keys and layouts are there (`terbit init`). */
static int demo_history(struct cli *c, struct store *s, struct policy *p,
			unsigned long n, unsigned long seed,
			struct buf *tokens)
{
	unsigned long days, ncases;
	struct history_docs docs = { 0 };
	struct render_ctx *r = NULL;
	struct keyring *kr = NULL;
	struct buf root = BUF_INIT, why = BUF_INIT;
	int rc;
	if ((rc = parse_count(c, "--history-days", 365, 3660, &days)) < 0 ||
	    (rc = parse_count(c, "--cases", n * 4 / 5, DEMO_MAX, &ncases)) < 0)
		return rc;
	struct demo_history h = { .cases = (unsigned)ncases,
				  .days = (unsigned)days,
				  .now = (int64_t)time(NULL) };
	if (keyring_load(c->data_dir, &kr, &why) == 0 &&
	    cli_find_root(c, &root) == 0 &&
	    render_ctx_new(&r, root.data, &why) == 0) {
		docs.ctx = (struct issue_ctx){ .store = s, .policy = p,
					       .render = r, .keys = kr };
		h.issue = history_issue;
		h.issue_arg = &docs;
	} else {
		fprintf(stderr, "terbit: tanpa dokumen (%s)\n",
			why.len ? why.data : "tata letak tidak ditemukan");
	}
	rc = demo_populate_history(s, p, (unsigned)n, seed, &h, tokens,
				   &c->err);
	render_ctx_free(r);
	keyring_free(kr);
	buf_release(&root);
	buf_release(&why);
	return rc;
}

int cli_demo_data(struct cli *c)
{
	static const char *const opts[] = { "--residents", "--seed",
					    "--export-csv", "--policy",
					    "--passwords", "--root",
					    "--history-days", "--cases", NULL };
	struct store *s = NULL;
	struct policy *p = NULL;
	struct buf tokens = BUF_INIT, path = BUF_INIT, pws = BUF_INIT;
	unsigned long n, seed;
	int rc = cli_expect(c, 0, opts);
	if (rc < 0 ||
	    (rc = parse_count(c, "--residents", 2000, DEMO_MAX, &n)) < 0 ||
	    (rc = parse_count(c, "--seed", 1, ULONG_MAX, &seed)) < 0)
		return rc;
	if (cli_opt(c, "--export-csv"))
		return export_csv(c, cli_opt(c, "--export-csv"), n, seed);
	if ((rc = cli_load_policy(c, &p)) < 0 || (rc = cli_open_store(c, &s)) < 0)
		goto out;
	rc = cli_opt(c, "--history-days")
		     ? demo_history(c, s, p, n, seed, &tokens)
		     : demo_populate(s, p, (unsigned)n, seed, &tokens, &c->err);
	if (rc < 0)
		goto out;
	/* The tokens are the only way into the API as these users. */
	if ((rc = buf_addf(&path, "%s/demo-tokens.txt", c->data_dir)) < 0 ||
	    (rc = buf_write_file(path.data, tokens.data, tokens.len, 0600,
				 &c->err)) < 0)
		goto out;
	printf("Data contoh dibuat: %lu penduduk; token pengguna di %s\n", n,
	       path.data);
	/* Known passwords for the browser, one per role; only on request:
	 * hashing them all takes seconds the tests need not spend. */
	if (cli_flag(c, "--passwords")) {
		buf_reset(&path);
		if ((rc = cli_load_password_list(c)) < 0 ||
		    (rc = demo_passwords(s, &pws, &c->err)) < 0 ||
		    (rc = buf_addf(&path, "%s/demo-passwords.txt",
				   c->data_dir)) < 0 ||
		    (rc = buf_write_file(path.data, pws.data, pws.len, 0600,
					 &c->err)) < 0)
			goto out;
		printf("Kata sandi pengguna contoh (<peran>-contoh-2026) di %s\n",
		       path.data);
	}
out:
	store_close(s);
	policy_free(p);
	buf_release(&tokens);
	buf_release(&path);
	buf_release(&pws);
	return rc;
}
