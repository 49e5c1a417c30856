/*
 * When a document is in force, and the words people read for its state:
 * in one place, so the gate, printing, the verifier and the CLI cannot
 * drift apart (they once each spelled it out).
 */
#include "issue/issue.h"

int issue_doc_in_force(const struct store_document *d, int64_t today)
{
	return issue_doc_state(d, today) == DOC_VALID;
}

enum doc_state issue_doc_state(const struct store_document *d, int64_t today)
{
	/* The last day counts: a card valid until the 22nd works on the
	 * 22nd. Revoked and superseded outrank expired: they say why. */
	if (d->state == DOC_VALID && d->expires_day < today)
		return DOC_EXPIRED;
	return d->state;
}

const char *issue_doc_state_word(enum doc_state s)
{
	static const char *const words[] = {
		[DOC_VALID] = "berlaku",
		[DOC_REVOKED] = "dicabut",
		[DOC_SUPERSEDED] = "diganti",
		[DOC_EXPIRED] = "kedaluwarsa",
	};
	return s >= DOC_VALID && s <= DOC_EXPIRED ? words[s] : "";
}
