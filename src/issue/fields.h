#ifndef TERBIT_ISSUE_FIELDS_H
#define TERBIT_ISSUE_FIELDS_H
/*
 * fields: the document fields (render.h's canonical names) built from a
 * case. The issue gate calls issue_fields_build inside its transaction,
 * after loading the facts and re-running the decision; `terbit render`
 * calls it for an unsigned specimen. It reads region names (village,
 * kecamatan, regency) from the store and office settings from the policy,
 * and formats nothing itself: values stay raw (ISO dates, score with a
 * dot) and the layouts apply the Indonesian formats.
 */
#include "core/buf.h"
#include "eligibility/eligibility.h"
#include "render/render.h"
#include "store/store.h"

struct cases_facts;

/* What only the issuer knows: numbers, dates and the QR payload. Any
 * member may be NULL; then the field is left out (a layout naming it
 * fails), except issue_date (NULL: today, date_today()). */
struct issue_doc_info {
	const char *letter_number;
	const char *serial;
	const char *issue_date;   /* ISO */
	const char *card_number;  /* 13 digits */
	const char *qr;           /* payload */
};

/*
 * Fills out (initialised by the caller with render_fields_init; it keeps
 * what is there and sets the rest) with: the resident's data (name, nik,
 * kk, birth_place, birth_date, sex, address, rt, rw), region names
 * (village, kecamatan, regency), score (3 decimals, from d), faskes,
 * kelas "III", valid_until (issue_date + policy_validity_days),
 * card_valid_until (issue_date + policy_card_validity_days), the office
 * settings (government_level, office_name, office_address, office_city,
 * head_title, head_name, head_nip) and doc's members. TB_ENOTFOUND when a
 * region is missing, TB_EINVAL for a bad issue_date, TB_ENOMEM.
 */
int issue_fields_build(struct store *s, const struct policy *p,
		       const struct cases_facts *f,
		       const struct elig_decision *d,
		       const struct issue_doc_info *doc,
		       struct render_fields *out, struct buf *err);

#endif
