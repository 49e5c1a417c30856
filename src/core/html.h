#ifndef TERBIT_HTML_H
#define TERBIT_HTML_H
/*
 * Escaping for the places a value can sit in an HTML page. One function
 * per context, shared by the verifier page (http/page.c) and the web
 * module's templates (web/tmpl.c), so there is one escaper to get right.
 *
 * Every function appends to out and returns 0 or a buf error (TB_ENOMEM,
 * TB_ETOOBIG); a failed call may leave part of the value appended (the
 * caller abandons the page then).
 */
#include "core/buf.h"

/*
 * Text between tags, or a quoted attribute value: & < > " ' become
 * entities. The same five are enough for both because an attribute value
 * is always quoted in our pages (the template parser refuses unquoted
 * ones), and a quoted value can only be left through its quote.
 */
int html_escape(struct buf *out, const char *s);

/*
 * As html_escape, plus the Unicode bidirectional controls (U+202A..202E,
 * U+2066..2069) written as numeric references. Used for text between
 * tags, where the caller also isolates the value (see html_has_bidi).
 */
int html_escape_text(struct buf *out, const char *s);
/* 1 when s holds a bidirectional control character (an RTL override
 * could otherwise turn the rest of the line around on the page). */
int html_has_bidi(const char *s);

/*
 * A whole URL in an href/src/action value. Only a same-site path ("/x",
 * not "//host" nor "/\host") or an http(s) URL is kept; anything else
 * (javascript:, data:, a leading space or control) becomes "#". Bytes a
 * URL may not hold raw (space, quotes, < > \ ^ ` { | }, controls,
 * non-ASCII) are percent-encoded, and & is written &amp;.
 */
int html_url(struct buf *out, const char *s);
/* A piece of a URL after literal text ("/kasus/{{id}}"): every byte but
 * A-Z a-z 0-9 - . _ ~ is percent-encoded, so it cannot end the path, add
 * a query or change the scheme. The result needs no HTML escaping, so it
 * also serves outside HTML (a Location header's query value). */
int html_url_part(struct buf *out, const char *s);

#endif
