#ifndef TERBIT_DEMO_H
#define TERBIT_DEMO_H
/*
 * demo: synthetic residents, users and cases for trying terbit out
 * (`terbit demo-data`, and through it `make demo` and the benchmarks).
 * Not a production rule, so it sits beside cases rather than inside it;
 * it writes only through the cases operations the faces use (reading
 * regions and residents from the store), so the demo also exercises the
 * rules it shows.
 */
#include <stdint.h>

#include "cases/cases.h"
#include "core/buf.h"
#include "eligibility/eligibility.h"
#include "store/store.h"

#define DEMO_MAX 200000u /* residents; NIKs stay unique up to here */

/*
 * Deterministic synthetic residents and PBI CSVs (docs/data-formats.md)
 * for n residents from seed, appended to residents and pbi: valid NIKs
 * (women day + 40) registered across the 25 kecamatan, names built from
 * Javanese, Osing and Indonesian name parts, about one in eight a PBI
 * member, a few living outside the regency. Same (n, seed), same bytes.
 */
int demo_csv(unsigned n, uint64_t seed, struct buf *residents,
	     struct buf *pbi, struct buf *err);

/*
 * Fills a fresh database that has its regions (TB_ECONFLICT when it
 * already has residents): imports demo_csv(n, seed), adds admin,
 * dinkes, dinsos and faskes users, an operator desa-<village> for every
 * village and an officer kecamatan-<kecamatan> for every kecamatan of the
 * regions table, then opens cases and walks them through the
 * real operations to every workflow stage, with answers giving both
 * outcomes, generated PDF/PNG attachments, approved eligible cases and
 * approved cases made ineligible afterwards (a PBI membership that became
 * active). Appends "name<TAB>role<TAB>region<TAB>token\n" per user to
 * tokens. n >= 100 gives every stage.
 */
int demo_populate(struct store *s, const struct policy *p, unsigned n,
		  uint64_t seed, struct buf *tokens, struct buf *err);

/*
 * A year (or any span) of history instead of the fixed plan, for the
 * dashboard and its benchmark: `cases` cases (at most one per eligible
 * resident) opened at times spread evenly over the `days` days before
 * `now`, each walked through the workflow with the delays of the
 * regency's offices (minutes to days a stage, some returns and
 * resubmissions, rejections of the households that are not poor) until
 * it ends or reaches now, so the recent ones wait, some beyond their
 * stage's limit. Every audit row carries the time the step happened:
 * the store's clock (store_clock_set) is set before each step, because
 * the log is append-only and hash-chained and cannot be fixed later.
 * For approved cases `issue` (NULL: no documents) is called with the
 * clock at the moment the letter (card 0) and, for most, the card
 * (card 1) are issued; it issues through the gate. Written in
 * transactions of a few hundred cases.
 */
struct demo_history {
	unsigned cases;
	unsigned days;
	int64_t now;                /* unix seconds */
	int (*issue)(void *arg, int64_t case_id, int card, struct buf *err);
	void *issue_arg;
};
/* demo_populate with the history h instead of the plan's cases. */
int demo_populate_history(struct store *s, const struct policy *p,
			  unsigned n, uint64_t seed,
			  const struct demo_history *h, struct buf *tokens,
			  struct buf *err);

/*
 * Gives every user the demo password of its role, "<role>-contoh-2026"
 * (published by `make demo`, so for demo databases only), through
 * cases_password_set: the password list must be loaded. About 70 ms per
 * user (the scrypt hash), so `terbit demo-data` does it only when asked
 * (--passwords). Appends "name<TAB>role<TAB>password\n" per user to out.
 */
int demo_passwords(struct store *s, struct buf *out, struct buf *err);

#endif
