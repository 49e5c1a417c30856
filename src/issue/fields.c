#include "issue/fields.h"

#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/ids.h"
#include "core/str.h"

/* Policy setting -> field, for the letterhead and the signature block. */
static const struct {
	const char *setting, *field;
} office_fields[] = {
	{ "government_level", "government_level" },
	{ "office_name", "office_name" },
	{ "office_address", "office_address" },
	{ "office_city", "office_city" },
	{ "head_title", "head_title" },
	{ "head_name", "head_name" },
	{ "head_nip", "head_nip" },
};

static int set(struct render_fields *out, const char *key, const char *value,
	       struct buf *err)
{
	int rc = render_fields_set(out, key, value);
	return rc < 0 ? tb_err(err, rc, "field %s tidak dapat disimpan", key)
		      : 0;
}

static int region_name(struct store *s, const char *code, size_t digits,
		       const char *key, struct render_fields *out,
		       struct buf *err)
{
	struct store_region r;
	char prefix[REGION_CODE_MAX + 1];
	snprintf(prefix, sizeof(prefix), "%.*s", (int)digits, code);
	int rc = store_region_get(s, prefix, &r, err);
	return rc < 0 ? rc : set(out, key, r.name, err);
}

/* ISO date days after iso. */
static int date_plus(const char *iso, int days, char out[DATE_LEN + 1], struct buf *err)
{
	int y, m, d;
	if (date_parse(iso, &y, &m, &d) < 0)
		return tb_err(err, TB_EINVAL, "tanggal terbit tidak sah: %s",
			      iso);
	days_to_date(date_to_days(y, m, d) + days, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return 0;
}

static int set_dates(const struct policy *p, const char *issue,
		     struct render_fields *out, struct buf *err)
{
	char until[DATE_LEN + 1], card_until[DATE_LEN + 1];
	int rc = date_plus(issue, policy_validity_days(p), until, err);
	if (rc < 0 ||
	    (rc = date_plus(issue, policy_card_validity_days(p), card_until,
			    err)) < 0 ||
	    (rc = set(out, "issue_date", issue, err)) < 0 ||
	    (rc = set(out, "valid_until", until, err)) < 0)
		return rc;
	return set(out, "card_valid_until", card_until, err);
}

int issue_fields_build(struct store *s, const struct policy *p,
		       const struct cases_facts *f,
		       const struct elig_decision *d,
		       const struct issue_doc_info *doc,
		       struct render_fields *out, struct buf *err)
{
	const struct store_resident *r = &f->r;
	char sex[2] = { r->sex, 0 }, score[32], today[DATE_LEN + 1];
	snprintf(score, sizeof(score), "%.3f", d->score);
	const struct { const char *key, *value; } plain[] = {
		{ "name", r->name }, { "nik", r->nik }, { "kk", r->kk },
		{ "birth_place", r->birth_place },
		{ "birth_date", r->birth_date }, { "sex", sex },
		{ "address", r->address }, { "rt", r->rt }, { "rw", r->rw },
		{ "score", score }, { "faskes", f->c.faskes },
		{ "kelas", "III" }, { "regency", policy_regency_name(p) },
		{ "letter_number", doc->letter_number },
		{ "serial", doc->serial }, { "card_number", doc->card_number },
		{ "qr", doc->qr },
	};
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(plain); i++)
		if (plain[i].value)
			rc = set(out, plain[i].key, plain[i].value, err);
	for (size_t i = 0; rc == 0 &&
	     i < ARRAY_SIZE(office_fields); i++) {
		const char *v = policy_setting(p, office_fields[i].setting);
		if (v)
			rc = set(out, office_fields[i].field, v, err);
	}
	if (rc < 0 ||
	    (rc = region_name(s, f->c.village_code, 10, "village", out, err)) < 0 ||
	    (rc = region_name(s, f->c.village_code, 6, "kecamatan", out, err)) < 0)
		return rc;
	const char *issue = doc->issue_date;
	if (!issue) {
		int y, m, dd;
		days_to_date(date_today(), &y, &m, &dd);
		snprintf(today, sizeof(today), "%04d-%02d-%02d", y, m, dd);
		issue = today;
	}
	return set_dates(p, issue, out, err);
}
