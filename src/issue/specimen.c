/*
 * Specimens: the fields of an unsigned document for a case, so a layout
 * can be checked against real data before anything is issued.
 */
#include "issue/issue.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "issue/fields.h"
#include "workflow/workflow.h"

/* Numbers that cannot be mistaken for issued ones: no letter number is
 * a word, and no card has regency 0000 or sequence 0. */
#define SPECIMEN_NUMBER "CONTOH"
#define SPECIMEN_CARD_NUMBER "0000000000000"

/* The verifier URL's shape with filler in place of the token: an issued
 * payload's characters, so the code is encoded the same way. */
static int specimen_qr(const struct policy *p, struct buf *out)
{
	const char *host = policy_setting(p, "verifier_host");
	int rc = buf_addf(out, "HTTPS://%s/V/", host ? host : "VERIFIKASI");
	while (rc == 0 && out->len < ISSUE_SPECIMEN_QR_LEN)
		rc = buf_addc(out, "CONTOH"[out->len % 6]);
	return rc;
}

int issue_specimen(struct store *s, const struct policy *p, int64_t case_id,
		   struct render_fields *out, struct buf *err)
{
	struct cases_facts facts;
	struct elig_decision d;
	struct buf qr = BUF_INIT;
	int loaded = 0;
	int rc = cases_facts_load(s, case_id, &facts, err);
	if (rc < 0)
		goto out;
	loaded = 1;
	if (strcmp(facts.c.state, state_name(ST_APPROVED)) != 0) {
		rc = tb_err(err, TB_EREFUSED, "kasus %lld belum disetujui "
			    "(status: %s)", (long long)case_id, facts.c.state);
		goto out;
	}
	/* For the score the letter prints; the gate, not a specimen,
	 * refuses a case that is no longer eligible. */
	elig_decide(p, &facts.facts, &d);
	if ((rc = specimen_qr(p, &qr)) < 0) {
		rc = tb_err(err, rc, "memori habis");
		goto out;
	}
	struct issue_doc_info doc = { .letter_number = SPECIMEN_NUMBER,
				      .serial = SPECIMEN_NUMBER,
				      .card_number = SPECIMEN_CARD_NUMBER,
				      .qr = qr.data };
	rc = issue_fields_build(s, p, &facts, &d, &doc, out, err);
out:
	if (loaded)
		cases_facts_release(&facts);
	buf_release(&qr);
	return rc;
}
