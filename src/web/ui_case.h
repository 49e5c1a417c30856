#ifndef TERBIT_UI_CASE_H
#define TERBIT_UI_CASE_H
/* Private to the case pages (ui-case.c, ui-survey.c, ui-attach.c): the
 * case page drawn again after a refused action on it. */
#include "web/web.h"

/* Renders /kasus/{id} for w->actor with what w->view already holds
 * (a problem, a field's error, what was typed). */
int ui_case_page(struct web_req *w, int64_t id);
/* The case page with message on top (field NULL) or beside field (a
 * view key such as "note_error"), status 422, or 409 for TB_ECONFLICT. */
int ui_case_refused(struct web_req *w, int64_t id, int code,
		    const char *field, const char *message);

#endif
