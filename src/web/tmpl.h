#ifndef TERBIT_TMPL_H
#define TERBIT_TMPL_H
/*
 * Page templates: files under templates/ (data, like layouts/: an office
 * can change a page's wording without a rebuild), parsed once when the
 * server starts, rendered per request from a view built in the request's
 * pool.
 *
 * The language is a small Mustache:
 *   {{name}}            the value, escaped for where it sits (below)
 *   {{#name}}..{{/name}} a list: once per row, the row's keys in scope;
 *                       a sub-view: once, its keys in scope; a string,
 *                       number or boolean: once when non-empty/non-zero
 *   {{^name}}..{{/name}} once when name is missing, empty, 0 or false
 *   {{>other}}          the template other.html, in the same scope
 *   {{! comment }}      nothing
 * A name is looked up in the innermost scope first, then outwards; a
 * missing name renders as nothing.
 *
 * Escaping is chosen by WHERE a placeholder sits, decided at parse time,
 * so no page can forget it:
 *   text between tags        & < > " ' as entities; a value holding a
 *                            bidirectional control (RTL override) is
 *                            wrapped in <bdi> so it cannot turn the rest
 *                            of the line around
 *   <title>, <textarea>      & < > " ' as entities
 *   a quoted attribute value & < > " ' as entities
 *   href/src/action/... value at its start: a same-site path or an
 *                            http(s) URL, percent-encoded, else "#";
 *                            after literal text ("/kasus/{{id}}"): every
 *                            byte but A-Z a-z 0-9 - . _ ~ percent-encoded
 * and refused (a parse error naming file and line): a placeholder in a
 * tag name, an attribute name, an unquoted attribute value, a comment, a
 * style/on* /srcdoc/srcset attribute or a <meta>/<base> tag; any <script>
 * or <style> element and any style= or on*= attribute (the pages'
 * Content-Security-Policy would block them anyway: a template that needs
 * them is a mistake found at start, not in a browser); a section that
 * ends in another context than it began (`<a {{#x}}href="{{/x}}`).
 *
 * Raw markup only from a value made by code with tmpl_put_html (never
 * from user input), and only in text context; elsewhere it is escaped
 * like a string.
 */
#include <stdint.h>

#include "core/buf.h"

struct pool;
struct tmpl_set;
struct tmpl_view;

/* ---- loading ----------------------------------------------------- */

/*
 * Parses every DIR/NAME.html into a set, templates named NAME. A syntax
 * or context error is TB_EINVAL with "DIR/NAME.html:LINE: message"; an
 * {{>include}} of a template the set lacks is one too. *out is the
 * caller's to free with tmpl_set_free.
 */
int tmpl_set_load(const char *dir, struct tmpl_set **out, struct buf *err);
/* An empty set, for tmpl_set_add (tests, fuzzing). */
int tmpl_set_new(struct tmpl_set **out, struct buf *err);
/* Parses text (len bytes, copied) as template name; file names it in
 * messages. TB_EINVAL with "file:LINE: message". Includes are checked by
 * tmpl_set_check, once every template is in. */
int tmpl_set_add(struct tmpl_set *set, const char *name, const char *file,
		 const char *text, size_t len, struct buf *err);
/* TB_EINVAL when an include names a template the set lacks. */
int tmpl_set_check(const struct tmpl_set *set, struct buf *err);
/* 1 when the set has a template of that name. */
int tmpl_has(const struct tmpl_set *set, const char *name);
void tmpl_set_free(struct tmpl_set *set);

/* ---- views -------------------------------------------------------- */

/*
 * A view is a small dictionary of typed values, allocated in a pool
 * (the request's): nothing to free. Keys and values are copied into the
 * pool. Setting a key again replaces its value. The put functions return
 * 0 or TB_ENOMEM, and a failure is also remembered by the view, so a page
 * may build a whole view and let tmpl_render report the failure once.
 */
struct tmpl_view *tmpl_view_new(struct pool *p);
int tmpl_put_str(struct tmpl_view *v, const char *key, const char *val);
int tmpl_put_fmt(struct tmpl_view *v, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int tmpl_put_int(struct tmpl_view *v, const char *key, int64_t val);
int tmpl_put_bool(struct tmpl_view *v, const char *key, int val);
/* Markup made by code (a rendered sub-page, a fixed fragment): emitted
 * raw in text context. Never put user input here. */
int tmpl_put_html(struct tmpl_view *v, const char *key, const char *markup);
/* A new sub-view under key ({{#key}}...{{/key}} enters it); NULL when
 * memory runs out (the view remembers it). */
struct tmpl_view *tmpl_put_view(struct tmpl_view *v, const char *key);
/* Appends a new row to the list under key (made empty on first use) and
 * returns it; NULL when memory runs out. A list with no rows is falsy. */
struct tmpl_view *tmpl_add_row(struct tmpl_view *v, const char *key);
/* Makes key an empty list (so {{^key}} shows "nothing here"). */
int tmpl_put_list(struct tmpl_view *v, const char *key);

/* ---- rendering ----------------------------------------------------- */

/*
 * Appends template name rendered with v to out. TB_ENOTFOUND for an
 * unknown name, TB_ENOMEM when the view or out ran out (or out's cap
 * was passed: TB_ETOOBIG).
 */
int tmpl_render(const struct tmpl_set *set, const char *name,
		const struct tmpl_view *v, struct buf *out, struct buf *err);

#endif
