/*
 * The decision: a pure function of the policy and the facts. Every rule
 * is evaluated even when an earlier one fails, so an operator sees all
 * that is missing at once. The score is computed in integer thousandths:
 * the policy allows at most 3 decimals in weights and the threshold, so
 * the comparison is exact and the score people read is the one that
 * decided.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"
#include "core/str.h"
#include "eligibility/eligibility.h"

__attribute__((format(printf, 3, 4)))
static struct elig_rule *rule(struct elig_decision *d, int passed,
			      const char *fmt, ...)
{
	struct elig_rule *r = &d->rules[d->nrules++];
	va_list ap;
	r->passed = passed;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof r->message, fmt, ap);
	va_end(ap);
	return r;
}

/* Appends to a rule's message; a message cut at 255 bytes still says
 * what failed first. */
__attribute__((format(printf, 2, 3)))
static void more(struct elig_rule *r, const char *fmt, ...)
{
	size_t len = strlen(r->message);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->message + len, sizeof r->message - len, fmt, ap);
	va_end(ap);
}

static void rule_nik(struct elig_decision *d, const struct elig_facts *f)
{
	struct elig_rule *r;
	if (!f->birth_date || !*f->birth_date) {
		r = rule(d, 0, "Tanggal lahir penduduk belum tercatat; tanggal pada NIK tidak dapat dicocokkan");
		goto out;
	}
	struct buf why = BUF_INIT;
	struct nik_info info;
	if (nik_parse(f->nik, f->birth_date, &info, &why) != 0) {
		r = rule(d, 0, "%s", why.len ? why.data : "NIK tidak sah");
		buf_release(&why);
		goto out;
	}
	if (f->sex != 'L' && f->sex != 'P') {
		r = rule(d, 0, "Jenis kelamin penduduk belum tercatat (L atau P)");
		goto out;
	}
	if (f->sex != info.sex) {
		r = rule(d, 0, "Jenis kelamin pada NIK (%s) tidak sama dengan data penduduk (%s)",
			 info.sex == 'P' ? "perempuan" : "laki-laki",
			 f->sex == 'P' ? "perempuan" : "laki-laki");
		goto out;
	}
	r = rule(d, 1, "NIK sah; tanggal lahir dan jenis kelamin cocok dengan data penduduk");
out:
	r->code = "nik_valid";
}

static void rule_resident(struct elig_decision *d, const struct policy *p,
			  const struct elig_facts *f)
{
	struct elig_rule *r;
	const char *v = f->village_code, *reg = policy_regency(p);
	if (!str_is_digits(v, 10))
		r = rule(d, 0, "Kode desa pada alamat KK tidak sah (harus 10 digit)");
	else if (strncmp(v, reg, 4) != 0)
		r = rule(d, 0, "Alamat KK (desa %.2s.%.2s.%.2s.%.4s) di luar Kabupaten %s (%.2s.%.2s)",
			 v, v + 2, v + 4, v + 6, policy_regency_name(p), reg, reg + 2);
	else
		r = rule(d, 1, "Alamat KK di desa %.2s.%.2s.%.2s.%.4s, Kabupaten %s",
			 v, v + 2, v + 4, v + 6, policy_regency_name(p));
	r->code = "resident";
}

static void rule_not_pbi(struct elig_decision *d, const struct elig_facts *f)
{
	struct elig_rule *r;
	if (f->pbi_jkn_active && f->pbi_apbd_active)
		r = rule(d, 0, "Masih peserta aktif PBI-JKN dan PBI-APBD");
	else if (f->pbi_jkn_active)
		r = rule(d, 0, "Masih peserta aktif PBI-JKN (iuran dibayar negara)");
	else if (f->pbi_apbd_active)
		r = rule(d, 0, "Masih peserta aktif PBI-APBD (iuran dibayar daerah)");
	else
		r = rule(d, 1, "Bukan peserta aktif PBI-JKN maupun PBI-APBD");
	r->code = "not_pbi";
}

static const struct elig_answer *answer_for(const struct elig_facts *f,
					    const char *code)
{
	for (size_t i = 0; i < f->nanswers; i++)
		if (f->answers[i].code && !strcmp(f->answers[i].code, code))
			return &f->answers[i];
	return NULL;
}

/* Survey and score together: both walk the same answers. */
static void rule_survey_score(struct elig_decision *d, const struct policy *p,
			      const struct elig_facts *f)
{
	int64_t num = 0, den = 0;
	int missing = 0, invalid = 0;
	struct elig_rule miss = { .message = "" }, bad = { .message = "" };
	for (size_t i = 0; i < policy_indicator_count(p); i++) {
		const struct policy_indicator *ind = policy_indicator(p, i);
		if (ind->retired)
			continue;
		d->required++;
		const struct elig_answer *a = answer_for(f, ind->code);
		if (!a) {
			more(&miss, "%s%s", missing++ ? ", " : "", ind->code);
			continue;
		}
		if (!policy_answer(ind, a->value)) {
			more(&bad, "%s%s=%d", invalid++ ? ", " : "", ind->code, a->value);
			continue;
		}
		int64_t w = llround(ind->weight * 1000);
		num += w * a->value;
		den += w;
		d->answered++;
	}
	long score_milli = den ? (long)((num * 2000 + den) / (2 * den)) : 0;
	d->score = score_milli / 1000.0;

	struct elig_rule *r;
	int complete = !missing && !invalid;
	if (complete) {
		r = rule(d, 1, "Survei lengkap: %d dari %d indikator aktif terjawab",
			 d->answered, d->required);
	} else {
		r = rule(d, 0, "Survei belum lengkap: %d dari %d indikator aktif terjawab",
			 d->answered, d->required);
		if (missing)
			more(r, "; belum dijawab: %s", miss.message);
		if (invalid)
			more(r, "; jawaban tidak sah: %s", bad.message);
	}
	r->code = "survey_complete";

	long t = lround(policy_threshold(p) * 1000);
	if (!complete)
		r = rule(d, 0, "Skor tidak dapat dihitung sebelum survei lengkap (%d dari %d indikator)",
			 d->answered, d->required);
	else if (score_milli < t)
		r = rule(d, 1, "Skor %ld,%03ld di bawah ambang %ld,%03ld",
			 score_milli / 1000, score_milli % 1000, t / 1000, t % 1000);
	else
		r = rule(d, 0, "Skor %ld,%03ld tidak di bawah ambang %ld,%03ld",
			 score_milli / 1000, score_milli % 1000, t / 1000, t % 1000);
	r->code = "score_below";
}

int elig_decide(const struct policy *p, const struct elig_facts *f,
		struct elig_decision *out)
{
	if (!p || !f || !out)
		return TB_EINVAL;
	memset(out, 0, sizeof *out);
	snprintf(out->policy_version, sizeof out->policy_version, "%s",
		 policy_version(p));
	rule_nik(out, f);
	rule_resident(out, p, f);
	rule_not_pbi(out, f);
	rule_survey_score(out, p, f);
	out->eligible = 1;
	for (size_t i = 0; i < out->nrules; i++)
		out->eligible &= out->rules[i].passed;
	return 0;
}

const struct elig_rule *elig_rule_find(const struct elig_decision *d,
				       const char *code)
{
	for (size_t i = 0; code && i < d->nrules; i++)
		if (!strcmp(d->rules[i].code, code))
			return &d->rules[i];
	return NULL;
}

int elig_to_json(const struct elig_decision *d, struct buf *out)
{
	struct json j;
	json_init(&j, out);
	json_obj_open(&j, NULL);
	json_bool(&j, "eligible", d->eligible);
	json_num(&j, "score", d->score);
	json_str(&j, "policy", d->policy_version);
	json_int(&j, "answered", d->answered);
	json_int(&j, "required", d->required);
	json_arr_open(&j, "rules");
	for (size_t i = 0; i < d->nrules; i++) {
		json_obj_open(&j, NULL);
		json_str(&j, "code", d->rules[i].code);
		json_bool(&j, "passed", d->rules[i].passed);
		json_str(&j, "message", d->rules[i].message);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_obj_close(&j);
	return json_finish(&j);
}
