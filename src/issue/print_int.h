#ifndef TERBIT_ISSUE_PRINT_INT_H
#define TERBIT_ISSUE_PRINT_INT_H
/*
 * Inside the issue module only: the card sheet drawn for a file
 * (issue_card_sheet, print.c) and for a CUPS job (printjob.c) alike.
 */
#include "issue/issue.h"

/*
 * Checks the cards (dinsos, each in force, sealed, its stored fields
 * intact, none twice) and appends their sheets to pdf. *out gets the
 * cards' fields (issue__sheet_release) for the audit rows. Inside the
 * caller's transaction; pdf unchanged on failure.
 */
int issue__sheet_render(struct issue_ctx *ctx, const struct cases_actor *a,
			const char *const *serials, size_t n,
			struct render_fields **out, struct buf *pdf,
			struct buf *err);
void issue__sheet_release(struct render_fields *cards, size_t n);

#endif
