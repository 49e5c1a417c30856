/*
 * CLI handlers for cases: parse arguments, call the cases module, print.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cli/cli.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/ids.h"
#include "store/store.h"

#define ANSWERS_MAX_ROWS 256
#define ANSWERS_FILE_MAX (1024u * 1024)

/* What most case commands need: the store, maybe the policy, the actor
 * (--by; NULL when absent and optional) and the case id. */
struct case_cmd {
	struct store *s;
	struct policy *p;
	struct cases_actor actor;
	const struct cases_actor *a;
	int64_t id;
};

static int cmd_open(struct cli *c, struct case_cmd *k, int need_policy,
		    int need_by, const char *id_arg)
{
	const char *by = cli_opt(c, "--by");
	int rc;
	memset(k, 0, sizeof *k);
	if (need_by && !by)
		return tb_err(&c->err, TB_EINVAL, "--by PENGGUNA wajib diisi");
	if (id_arg && (rc = cases_parse_id(id_arg, &k->id, &c->err)) < 0)
		return rc;
	if (need_policy && (rc = cli_load_policy(c, &k->p)) < 0)
		return rc;
	if ((rc = cli_open_store(c, &k->s)) < 0)
		return rc;
	if (by) {
		if ((rc = cases_actor_load(k->s, by, &k->actor, &c->err)) < 0)
			return rc;
		k->a = &k->actor;
	}
	return 0;
}

static void cmd_close(struct case_cmd *k)
{
	store_close(k->s);
	policy_free(k->p);
}

int cli_case_new(struct cli *c)
{
	static const char *const opts[] = { "--by", NULL };
	struct case_cmd k;
	int64_t id;
	int rc = cli_expect(c, 1, opts);
	if (rc < 0)
		return rc;
	if ((rc = cmd_open(c, &k, 0, 1, NULL)) == 0 &&
	    (rc = cases_create(k.s, k.a, cli_pos(c, 0), &id, &c->err)) == 0)
		cli_printf(stdout, "%lld\n", (long long)id);
	cmd_close(&k);
	return rc;
}

/* Reads "indicator,value" rows; a malformed row fails the whole file. */
static int read_answers(struct cli *c, const char *path, struct csv *csv,
			struct buf *data, struct elig_answer *out, char **codes,
			size_t *n)
{
	static const char *const cols[] = { "indicator", "value" };
	size_t map[2];
	int rc;
	*n = 0;
	if ((rc = buf_read_file(data, path, ANSWERS_FILE_MAX, &c->err)) < 0)
		return rc;
	csv_init(csv, data->data, data->len);
	if ((rc = csv_next(csv, &c->err)) <= 0 ||
	    (rc = csv_header(csv, cols, 2, map, &c->err)) < 0)
		return rc < 0 ? rc : tb_err(&c->err, TB_EINVAL, "%s kosong", path);
	while ((rc = csv_next(csv, &c->err)) > 0) {
		const char *v = csv->fields[map[1]];
		char *end;
		long val = strtol(v, &end, 10);
		if (csv->nfields != 2 || !*v || *end || val < 0 || val > 99)
			return tb_err(&c->err, TB_EINVAL,
				      "baris %u: harus indicator,value dengan "
				      "nilai bilangan", csv->line);
		if (*n == ANSWERS_MAX_ROWS)
			return tb_err(&c->err, TB_EINVAL, "terlalu banyak jawaban");
		if (!(codes[*n] = strdup(csv->fields[map[0]])))
			return tb_err(&c->err, TB_ENOMEM, "memori habis");
		out[*n].code = codes[*n];
		out[*n].value = (int)val;
		(*n)++;
	}
	return rc;
}

int cli_case_answers(struct cli *c)
{
	static const char *const opts[] = { "--by", "--policy", NULL };
	struct case_cmd k = { 0 };
	struct csv csv;
	struct buf data = BUF_INIT;
	struct elig_answer ans[ANSWERS_MAX_ROWS];
	char *codes[ANSWERS_MAX_ROWS] = { 0 };
	size_t n = 0;
	int rc = cli_expect(c, 2, opts);
	if (rc < 0)
		return rc;
	csv_init(&csv, "", 0);
	if ((rc = cmd_open(c, &k, 1, 1, cli_pos(c, 0))) < 0)
		goto out;
	if ((rc = read_answers(c, cli_pos(c, 1), &csv, &data, ans, codes, &n)) < 0)
		goto out;
	if ((rc = cases_answers(k.s, k.p, k.a, k.id, ans, n, &c->err)) == 0)
		cli_printf(stdout, "%zu jawaban disimpan untuk kasus %lld\n", n,
		       (long long)k.id);
out:
	for (size_t i = 0; i < ANSWERS_MAX_ROWS && codes[i]; i++)
		free(codes[i]);
	csv_release(&csv);
	buf_release(&data);
	cmd_close(&k);
	return rc;
}

int cli_case_attach(struct cli *c)
{
	static const char *const opts[] = { "--by", "--kind", NULL };
	struct case_cmd k = { 0 };
	struct buf data = BUF_INIT;
	int64_t att = 0;
	int rc = cli_expect(c, 2, opts);
	if (rc < 0)
		return rc;
	if (!cli_opt(c, "--kind"))
		return tb_err(&c->err, TB_EINVAL,
			      "--kind rujukan|survei|verifikasi wajib diisi");
	const char *path = cli_pos(c, 1);
	const char *base = strrchr(path, '/');
	/* One byte over the cap is enough to know the file is too big. */
	rc = buf_read_file(&data, path, STORE_ATTACH_MAX + 1, &c->err);
	if (rc == TB_ETOOBIG)
		rc = tb_err(&c->err, rc, "berkas %s lebih besar dari 10 MB", path);
	if (rc < 0)
		goto out;
	if ((rc = cmd_open(c, &k, 0, 1, cli_pos(c, 0))) < 0)
		goto out;
	rc = cases_attach(k.s, k.a, k.id, cli_opt(c, "--kind"),
			  base ? base + 1 : path, data.data, data.len, &att,
			  &c->err);
	if (rc == 0)
		cli_printf(stdout, "%lld\n", (long long)att);
out:
	buf_release(&data);
	cmd_close(&k);
	return rc;
}

int cli_case_move(struct cli *c)
{
	static const char *const opts[] = { "--by", "--note", "--policy", NULL };
	struct case_cmd k = { 0 };
	int rc = cli_expect(c, 2, opts);
	if (rc < 0)
		return rc;
	if ((rc = cmd_open(c, &k, 1, 1, cli_pos(c, 0))) == 0 &&
	    (rc = cases_move(k.s, k.p, k.a, k.id, cli_pos(c, 1),
			     cli_opt(c, "--note"), &c->err)) == 0)
		cli_printf(stdout, "kasus %lld: %s\n", (long long)k.id, cli_pos(c, 1));
	cmd_close(&k);
	return rc;
}

static void print_decision(const struct elig_decision *d)
{
	struct buf score = BUF_INIT;
	fmt_decimal_id(&score, d->score, 3);
	cli_printf(stdout, "Kelayakan: %s (skor %s, %d/%d indikator, kebijakan %s)\n",
	       d->eligible ? "LAYAK" : "TIDAK LAYAK", score.data, d->answered,
	       d->required, d->policy_version);
	for (size_t i = 0; i < d->nrules; i++)
		cli_printf(stdout, "  [%-5s] %-16s %s\n", d->rules[i].passed ? "ya" : "tidak",
		       d->rules[i].code, d->rules[i].message);
	buf_release(&score);
}

static int audit_line(const struct store_audit *a, void *arg)
{
	(void)arg;
	cli_printf(stdout, "  %s  %-12s %-10s %-13s %s\n", a->at, a->actor, a->role,
	       a->action, a->note);
	return 0;
}

static int show_text(struct cli *c, struct case_cmd *k)
{
	struct cases_facts f;
	struct store_attachment *att = NULL;
	struct elig_decision d;
	size_t natt = 0;
	char object[32];
	int rc = cases_get(k->s, k->a, k->id, &f.c, &c->err);
	if (rc < 0 || (rc = cases_facts_load(k->s, k->id, &f, &c->err)) < 0)
		return rc;
	int st = state_parse(f.c.state);
	cli_printf(stdout, "Kasus %lld  %s (%s)\n", (long long)f.c.id, f.c.state,
	       st < 0 ? "?" : state_label((enum case_state)st));
	cli_printf(stdout, "NIK %s  %s  lahir %s, %s  (%c)\n", f.r.nik, f.r.name,
	       f.r.birth_place, f.r.birth_date, f.r.sex);
	cli_printf(stdout, "Alamat %s RT %s/RW %s, desa %s\n", f.r.address, f.r.rt, f.r.rw,
	       f.r.village_code);
	cli_printf(stdout, "Faskes: %s\nDibuat %s oleh %s; diubah %s oleh %s\n", f.c.faskes,
	       f.c.created_at, f.c.created_by, f.c.updated_at, f.c.updated_by);
	cli_printf(stdout, "PBI-JKN aktif: %s, PBI-APBD aktif: %s\n",
	       f.pbi_jkn_active ? "ya" : "tidak",
	       f.pbi_apbd_active ? "ya" : "tidak");
	cli_printf(stdout, "Jawaban survei (%zu):\n", f.nanswers);
	for (size_t i = 0; i < f.nanswers; i++)
		cli_printf(stdout, "  %-20s %d\n", f.stored[i].code, f.stored[i].value);
	if ((rc = store_attach_list(k->s, k->id, &att, &natt, &c->err)) < 0)
		goto out;
	cli_printf(stdout, "Lampiran (%zu):\n", natt);
	for (size_t i = 0; i < natt; i++)
		cli_printf(stdout, "  #%lld %-10s %-15s %8lld bita  %s\n", (long long)att[i].id,
		       att[i].kind, att[i].mime, (long long)att[i].size,
		       att[i].filename);
	elig_decide(k->p, &f.facts, &d);
	print_decision(&d);
	cli_printf(stdout, "Riwayat:\n");
	snprintf(object, sizeof object, "case:%lld", (long long)k->id);
	rc = store_audit_each(k->s, object, audit_line, NULL, &c->err);
out:
	free(att);
	cases_facts_release(&f);
	return rc;
}

int cli_case_show(struct cli *c)
{
	static const char *const opts[] = { "--by", "--json", "--policy", NULL };
	struct case_cmd k = { 0 };
	struct buf out = BUF_INIT;
	int rc = cli_expect(c, 1, opts);
	if (rc < 0)
		return rc;
	if ((rc = cmd_open(c, &k, 1, 0, cli_pos(c, 0))) < 0)
		goto out;
	if (cli_flag(c, "--json")) {
		rc = cases_show_json(k.s, k.p, k.a, k.id, &out, &c->err);
		if (rc == 0)
			cli_printf(stdout, "%s\n", out.data);
	} else {
		rc = show_text(c, &k);
	}
out:
	buf_release(&out);
	cmd_close(&k);
	return rc;
}

static int list_line(const struct store_case *sc, void *arg)
{
	(void)arg;
	cli_printf(stdout, "%lld\t%s\t%s\t%s\t%s\n", (long long)sc->id, sc->state,
	       sc->village_code, sc->nik, sc->name);
	return 0;
}

int cli_case_list(struct cli *c)
{
	static const char *const opts[] = { "--by", "--json", "--state",
					    "--region", NULL };
	struct case_cmd k = { 0 };
	struct buf out = BUF_INIT;
	char region[REGION_CODE_MAX + 1];
	struct store_case_filter f = { .state = cli_opt(c, "--state") };
	int rc = cli_expect(c, 0, opts);
	if (rc < 0)
		return rc;
	if (f.state && state_parse(f.state) < 0)
		return tb_err(&c->err, TB_EINVAL, "status tidak dikenal: %s",
			      f.state);
	if (cli_opt(c, "--region")) {
		if (region_normalize(cli_opt(c, "--region"), region) < 0)
			return tb_err(&c->err, TB_EINVAL, "kode wilayah tidak sah: %s",
				      cli_opt(c, "--region"));
		f.region = region;
	}
	if ((rc = cmd_open(c, &k, 0, 0, NULL)) < 0)
		goto out;
	if (cli_flag(c, "--json")) {
		rc = cases_list_json(k.s, k.a, &f, &out, &c->err);
		if (rc == 0)
			cli_printf(stdout, "%s\n", out.data);
	} else {
		rc = cases_list(k.s, k.a, &f, list_line, NULL, &c->err);
	}
out:
	buf_release(&out);
	cmd_close(&k);
	return rc;
}

int cli_eligibility(struct cli *c)
{
	static const char *const opts[] = { "--by", "--json", "--policy", NULL };
	struct case_cmd k = { 0 };
	struct elig_decision d;
	struct buf out = BUF_INIT;
	int rc = cli_expect(c, 1, opts);
	if (rc < 0)
		return rc;
	if ((rc = cmd_open(c, &k, 1, 0, cli_pos(c, 0))) < 0 ||
	    (rc = cases_decide(k.s, k.p, k.a, k.id, &d, &c->err)) < 0)
		goto out;
	if (cli_flag(c, "--json")) {
		if ((rc = elig_to_json(&d, &out)) == 0)
			cli_printf(stdout, "%s\n", out.data);
	} else {
		cli_printf(stdout, "Kasus %lld\n", (long long)k.id);
		print_decision(&d);
	}
out:
	buf_release(&out);
	cmd_close(&k);
	return rc;
}
