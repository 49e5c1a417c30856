/*
 * Templates: a parser that follows the HTML around each placeholder to
 * pick its escaping once, at load, and a renderer that walks the parsed
 * nodes. The language and the rules are in tmpl.h.
 */
#include "web/tmpl.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/html.h"
#include "core/str.h"
#include "core/utf8.h"
#include "core/vec.h"
#include "http/pool.h"

/* Deeper nesting of sections or includes is a template mistake. */
#define DEPTH_MAX 16
#define NAME_MAX_ 64
#define TEMPLATE_MAX (256u * 1024)

enum node_kind { N_TEXT, N_VAR, N_SECTION, N_INVERTED, N_INCLUDE };

/* Where a placeholder sits: its escaping. */
enum ctx { C_TEXT, C_RCDATA, C_ATTR, C_URL, C_URL_PART };

struct node {
	unsigned char kind, ctx;
	unsigned line;
	size_t off, len;    /* text, or the name, in tmpl.text */
	size_t end;         /* sections: index of the first node after */
};

struct tmpl {
	char *name, *text;
	struct node *nodes;
	size_t n, cap;
};

struct tmpl_set {
	struct tmpl *t;
	size_t n, cap;
};

/* ---- the HTML state machine ------------------------------------- */

/* The parser's idea of where it is in the page: just enough HTML to tell
 * text, a tag, an attribute value and a comment apart. */
enum hstate {
	H_TEXT, H_RCDATA, H_LT, H_BANG, H_BANG_DASH, H_COMMENT, H_DECL,
	H_TAG_NAME, H_END_TAG, H_IN_TAG, H_ATTR_NAME, H_AFTER_NAME,
	H_BEFORE_VALUE, H_VALUE_DQ, H_VALUE_SQ, H_VALUE_UQ
};

static const char *const hstate_words[] = {
	[H_TEXT] = "text", [H_RCDATA] = "text",
	[H_LT] = "a tag name", [H_BANG] = "a comment",
	[H_BANG_DASH] = "a comment", [H_COMMENT] = "a comment",
	[H_DECL] = "a declaration", [H_TAG_NAME] = "a tag name",
	[H_END_TAG] = "an end tag", [H_IN_TAG] = "a tag",
	[H_ATTR_NAME] = "an attribute name", [H_AFTER_NAME] = "a tag",
	[H_BEFORE_VALUE] = "an unquoted attribute value",
	[H_VALUE_DQ] = "an attribute value", [H_VALUE_SQ] = "an attribute value",
	[H_VALUE_UQ] = "an unquoted attribute value",
};

struct html {
	enum hstate st;
	char tag[16], attr[24];
	size_t taglen, attrlen;
	int end_tag;        /* the tag being read is </...> */
	int value_start;    /* nothing yet in the attribute value */
	int dashes;         /* '-' just before, in a comment */
	char rc_end[16];    /* the element whose end ends RCDATA */
};

/* Attributes whose value is a URL: a placeholder there is filtered. */
static const char *const url_attrs[] = {
	"href", "src", "action", "formaction", "poster", "cite", "data",
	"background", "longdesc", "manifest", "ping", "icon", "xlink:href",
};

static int in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

struct parse {
	struct tmpl *t;
	const char *file;
	unsigned line;
	struct html h;
	struct buf *err;
};

static int perr(struct parse *p, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int perr(struct parse *p, unsigned line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return tb_err(p->err, TB_EINVAL, "%s:%u: %s", p->file, line, msg);
}

/* A tag name is complete: the elements the pages' CSP would block are
 * refused here, where the mistake is cheap. */
static int tag_named(struct parse *p)
{
	struct html *h = &p->h;
	h->tag[h->taglen] = '\0';
	if (!h->end_tag && (strcmp(h->tag, "script") == 0 ||
			    strcmp(h->tag, "style") == 0))
		return perr(p, p->line, "<%s> is not allowed: the pages' "
			    "Content-Security-Policy blocks inline script and "
			    "style (use /static/terbit.css)", h->tag);
	return 0;
}

static int attr_named(struct parse *p)
{
	struct html *h = &p->h;
	h->attr[h->attrlen] = '\0';
	if (strcmp(h->attr, "style") == 0 || strncmp(h->attr, "on", 2) == 0)
		return perr(p, p->line, "attribute %s is not allowed: the pages' "
			    "Content-Security-Policy blocks inline style and "
			    "script", h->attr);
	return 0;
}

static void tag_ended(struct html *h)
{
	h->st = H_TEXT;
	if (!h->end_tag && (strcmp(h->tag, "title") == 0 ||
			    strcmp(h->tag, "textarea") == 0)) {
		memcpy(h->rc_end, h->tag, sizeof h->rc_end);
		h->st = H_RCDATA;
	}
}

static int name_char(int c)
{
	return isalnum(c) || c == '-' || c == ':' || c == '_' || c == '.';
}

/* Moves the state over literal text s[0..n). */
static int html_feed(struct parse *p, const char *s, size_t n)
{
	struct html *h = &p->h;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		int ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
		if (c == '\n')
			p->line++;
		switch (h->st) {
		case H_TEXT:
			if (c == '<')
				h->st = H_LT;
			break;
		case H_RCDATA: {
			size_t k = strlen(h->rc_end);
			if (c == '<' && i + 2 + k <= n && s[i + 1] == '/' &&
			    strncasecmp(s + i + 2, h->rc_end, k) == 0) {
				h->st = H_END_TAG;
				i += 1 + k;
			}
			break;
		}
		case H_LT:
			h->end_tag = 0;
			h->taglen = 0;
			if (isalpha(c)) {
				h->tag[h->taglen++] = (char)tolower(c);
				h->st = H_TAG_NAME;
			} else if (c == '/') {
				h->end_tag = 1;
				h->st = H_TAG_NAME;
			} else if (c == '!') {
				h->st = H_BANG;
			} else if (c == '?') {
				h->st = H_DECL;
			} else {
				h->st = H_TEXT;
			}
			break;
		case H_BANG:
			h->st = c == '-' ? H_BANG_DASH : H_DECL;
			break;
		case H_BANG_DASH:
			h->st = c == '-' ? H_COMMENT : H_DECL;
			h->dashes = 0;
			break;
		case H_COMMENT:
			if (c == '>' && h->dashes >= 2)
				h->st = H_TEXT;
			h->dashes = c == '-' ? h->dashes + 1 : 0;
			break;
		case H_DECL:
		case H_END_TAG:
			if (c == '>')
				h->st = H_TEXT;
			break;
		case H_TAG_NAME:
			if (name_char(c)) {
				if (h->taglen + 1 < sizeof h->tag)
					h->tag[h->taglen++] = (char)tolower(c);
				break;
			}
			if (tag_named(p) < 0)
				return TB_EINVAL;
			if (h->end_tag)
				h->st = c == '>' ? H_TEXT : H_END_TAG;
			else if (c == '>')
				tag_ended(h);
			else
				h->st = H_IN_TAG;
			break;
		case H_IN_TAG:
		case H_AFTER_NAME:
			if (ws || c == '/')
				break;
			if (c == '>') {
				tag_ended(h);
			} else if (c == '=' && h->st == H_AFTER_NAME) {
				h->st = H_BEFORE_VALUE;
			} else {
				h->attrlen = 0;
				h->attr[h->attrlen++] = (char)tolower(c);
				h->st = H_ATTR_NAME;
			}
			break;
		case H_ATTR_NAME:
			if (!ws && c != '=' && c != '>' && c != '/') {
				if (h->attrlen + 1 < sizeof h->attr)
					h->attr[h->attrlen++] = (char)tolower(c);
				break;
			}
			if (attr_named(p) < 0)
				return TB_EINVAL;
			if (c == '=')
				h->st = H_BEFORE_VALUE;
			else if (c == '>')
				tag_ended(h);
			else
				h->st = ws ? H_AFTER_NAME : H_IN_TAG;
			break;
		case H_BEFORE_VALUE:
			if (ws)
				break;
			h->value_start = 1;
			if (c == '"')
				h->st = H_VALUE_DQ;
			else if (c == '\'')
				h->st = H_VALUE_SQ;
			else if (c == '>')
				tag_ended(h);
			else
				h->st = H_VALUE_UQ;
			break;
		case H_VALUE_DQ:
		case H_VALUE_SQ:
			if (c == (h->st == H_VALUE_DQ ? '"' : '\''))
				h->st = H_IN_TAG;
			else
				h->value_start = 0;
			break;
		case H_VALUE_UQ:
			if (ws)
				h->st = H_IN_TAG;
			else if (c == '>')
				tag_ended(h);
			break;
		}
	}
	return 0;
}

/* The escaping for a placeholder at the current state, or a parse error
 * saying why none is safe there. */
static int var_ctx(struct parse *p, unsigned line, const char *name)
{
	struct html *h = &p->h;
	switch (h->st) {
	case H_TEXT:
		return C_TEXT;
	case H_RCDATA:
		return C_RCDATA;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		if (strcmp(h->tag, "meta") == 0 || strcmp(h->tag, "base") == 0)
			return perr(p, line, "{{%s}} in a <%s> tag: not allowed",
				    name, h->tag);
		if (strcmp(h->attr, "srcdoc") == 0 || strcmp(h->attr, "srcset") == 0)
			return perr(p, line, "{{%s}} in attribute %s: not allowed",
				    name, h->attr);
		if (in_list(h->attr, url_attrs, ARRAY_SIZE(url_attrs)))
			return h->value_start ? C_URL : C_URL_PART;
		return C_ATTR;
	default:
		return perr(p, line, "{{%s}} in %s: a value can only stand in "
			    "text or in a quoted attribute value", name,
			    hstate_words[h->st]);
	}
}

/* ---- parsing ------------------------------------------------------ */

static int push(struct tmpl *t, struct node nd)
{
	if (vec_reserve(&t->nodes, &t->cap, t->n, sizeof *t->nodes, 32) < 0)
		return TB_ENOMEM;
	t->nodes[t->n++] = nd;
	return 0;
}

/* Where a section opened: checked against where it closes. */
struct open {
	size_t node;
	unsigned line;
	enum hstate st;
	char tag[16], attr[24];
};

/* Tags of sections may stand between attributes; there an attribute name
 * ends at the tag, and H_AFTER_NAME is the same place as H_IN_TAG. */
static int section_state(struct parse *p, unsigned line, const char *what)
{
	struct html *h = &p->h;
	if (h->st == H_ATTR_NAME) {
		if (attr_named(p) < 0)
			return TB_EINVAL;
		h->st = H_IN_TAG;
	}
	if (h->st == H_AFTER_NAME)
		h->st = H_IN_TAG;
	switch (h->st) {
	case H_TEXT: case H_RCDATA: case H_IN_TAG: case H_VALUE_DQ:
	case H_VALUE_SQ:
		return 0;
	default:
		return perr(p, line, "{{%s}} in %s: sections may stand in text, "
			    "between attributes or in a quoted value", what,
			    hstate_words[h->st]);
	}
}

static int valid_name(const char *s, size_t n)
{
	if (n == 0 || n >= NAME_MAX_)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_-.", s[i]))
			return 0;
	return 1;
}

static int parse(struct parse *p)
{
	struct tmpl *t = p->t;
	const char *text = t->text;
	size_t len = strlen(text), at = 0;
	struct open stack[DEPTH_MAX];
	int depth = 0, rc;
	while (at < len) {
		const char *o = strstr(text + at, "{{");
		size_t lit = o ? (size_t)(o - (text + at)) : len - at, skip = 0;
		const char *c = o ? strstr(o + 2, "}}") : NULL;
		/* A section or comment tag alone on its line takes the line
		 * with it (Mustache's "standalone" rule), so the structure of
		 * a template costs no blank lines in every page. */
		if (c && strchr("#^/!", o[2])) {
			const char *b = o, *e = c + 2;
			while (b > text + at && (b[-1] == ' ' || b[-1] == '\t'))
				b--;
			while (*e == ' ' || *e == '\t')
				e++;
			size_t nl = *e == '\n' ? 1 : (e[0] == '\r' && e[1] == '\n') ? 2 : 0;
			if ((b == text || b[-1] == '\n') && (nl || !*e)) {
				lit = (size_t)(b - (text + at));
				skip = (size_t)(e - (c + 2)) + nl;
			}
		}
		if (lit) {
			unsigned line = p->line;
			if ((rc = html_feed(p, text + at, lit)) < 0)
				return rc;
			if ((rc = push(t, (struct node){ N_TEXT, 0, line, at, lit, 0 })) < 0)
				return rc;
			at += lit;
		}
		if (!o)
			break;
		unsigned line = p->line;
		if (!c)
			return perr(p, line, "'{{' without its '}}'");
		for (const char *q = o; q < c + 2 + skip; q++)
			if (*q == '\n')
				p->line++;
		at = (size_t)(c + 2 - text) + skip;
		const char *s = o + 2;
		char sig = *s;
		if (sig == '!')
			continue;
		if (strchr("#^/>", sig))
			s++;
		while (s < c && isspace((unsigned char)*s))
			s++;
		const char *e = c;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		size_t nl = (size_t)(e - s), off = (size_t)(s - text);
		char name[NAME_MAX_];
		if (!valid_name(s, nl))
			return perr(p, line, "bad name in '%.*s': letters, digits "
				    "and _ - . only", (int)(c + 2 - o) > 80 ? 80
				    : (int)(c + 2 - o), o);
		memcpy(name, s, nl);
		name[nl] = '\0';
		if (sig == '#' || sig == '^') {
			if (depth == DEPTH_MAX)
				return perr(p, line, "sections nest deeper than %d",
					    DEPTH_MAX);
			if ((rc = section_state(p, line, name)) < 0)
				return rc;
			struct open *op = &stack[depth++];
			op->node = t->n;
			op->line = line;
			op->st = p->h.st;
			memcpy(op->tag, p->h.tag, sizeof op->tag);
			memcpy(op->attr, p->h.attr, sizeof op->attr);
			rc = push(t, (struct node){ sig == '#' ? N_SECTION : N_INVERTED,
						    0, line, off, nl, 0 });
		} else if (sig == '/') {
			if (depth == 0)
				return perr(p, line, "{{/%s}} closes no section", name);
			struct open *op = &stack[--depth];
			struct node *sn = &t->nodes[op->node];
			if (sn->len != nl || memcmp(text + sn->off, name, nl) != 0)
				return perr(p, line, "{{/%s}} closes {{#%.*s}} of line %u",
					    name, (int)sn->len, text + sn->off, op->line);
			if ((rc = section_state(p, line, name)) < 0)
				return rc;
			if (p->h.st != op->st || ((op->st == H_VALUE_DQ ||
						   op->st == H_VALUE_SQ) &&
						  strcmp(op->attr, p->h.attr) != 0))
				return perr(p, line, "section %s begins in %s (line "
					    "%u) and ends in %s: both ways must "
					    "leave the page in the same place",
					    name, hstate_words[op->st], op->line,
					    hstate_words[p->h.st]);
			/* A value after the section may follow its text. */
			p->h.value_start = 0;
			sn->end = t->n;
			rc = 0;
		} else if (sig == '>') {
			if (p->h.st != H_TEXT)
				return perr(p, line, "{{>%s}} in %s: includes stand "
					    "in text only", name,
					    hstate_words[p->h.st]);
			rc = push(t, (struct node){ N_INCLUDE, 0, line, off, nl, 0 });
		} else {
			int ctx = var_ctx(p, line, name);
			if (ctx < 0)
				return ctx;
			p->h.value_start = 0;
			rc = push(t, (struct node){ N_VAR, (unsigned char)ctx, line,
						    off, nl, 0 });
		}
		if (rc < 0)
			return rc;
	}
	if (depth)
		return perr(p, stack[depth - 1].line, "{{#%.*s}} is never closed",
			    (int)t->nodes[stack[depth - 1].node].len,
			    text + t->nodes[stack[depth - 1].node].off);
	if (p->h.st != H_TEXT)
		return perr(p, p->line, "the template ends inside %s",
			    hstate_words[p->h.st]);
	return 0;
}

static void tmpl_release(struct tmpl *t)
{
	free(t->name);
	free(t->text);
	free(t->nodes);
}

int tmpl_set_new(struct tmpl_set **out, struct buf *err)
{
	*out = calloc(1, sizeof **out);
	return *out ? 0 : tb_err(err, TB_ENOMEM, "kehabisan memori");
}

void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		tmpl_release(&set->t[i]);
	free(set->t);
	free(set);
}

static const struct tmpl *find(const struct tmpl_set *set, const char *name,
			       size_t n)
{
	for (size_t i = 0; i < set->n; i++)
		if (strlen(set->t[i].name) == n && memcmp(set->t[i].name, name, n) == 0)
			return &set->t[i];
	return NULL;
}

int tmpl_has(const struct tmpl_set *set, const char *name)
{
	return find(set, name, strlen(name)) != NULL;
}

/* A template is refused for any byte it does not understand, naming the
 * line: a NUL once made a layout stop early without a word, and bad UTF-8
 * or a control character would reach every page built from it. */
static int check_bytes(const char *file, const char *text, size_t len,
		       struct buf *err)
{
	size_t line = 1, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		struct buf why = BUF_INIT;
		int rc = utf8_text_check(text + start, i - start, UTF8_MULTILINE,
					 "baris", &why);
		if (rc < 0)
			rc = tb_err(err, TB_EINVAL, "%s:%zu: %s", file, line,
				    why.data);
		buf_release(&why);
		if (rc < 0)
			return rc;
		line++;
		start = i + 1;
	}
	return 0;
}

int tmpl_set_add(struct tmpl_set *set, const char *name, const char *file,
		 const char *text, size_t len, struct buf *err)
{
	struct tmpl t = { 0 };
	int rc = TB_ENOMEM;
	if ((rc = check_bytes(file, text, len, err)) < 0)
		return rc;
	rc = TB_ENOMEM;
	if (find(set, name, strlen(name)))
		return tb_err(err, TB_EINVAL, "%s: a second template %s", file, name);
	if (vec_reserve(&set->t, &set->cap, set->n, sizeof *set->t, 16) < 0)
		goto out;
	t.name = strdup(name);
	t.text = malloc(len + 1);
	if (!t.name || !t.text)
		goto out;
	memcpy(t.text, text, len);
	t.text[len] = '\0';
	struct parse p = { .t = &t, .file = file, .line = 1, .err = err };
	rc = parse(&p);
	if (rc == TB_ENOMEM)
		tb_err(err, rc, "kehabisan memori");
	if (rc < 0)
		goto out;
	set->t[set->n++] = t;
	return 0;
out:
	tmpl_release(&t);
	return rc == TB_ENOMEM ? tb_err(err, rc, "kehabisan memori") : rc;
}

/* Follows includes depth first: a name the set lacks, or a chain deeper
 * than DEPTH_MAX (a cycle), is an error at load instead of at a request. */
static int check_includes(const struct tmpl_set *set, const struct tmpl *t,
			  int depth, struct buf *err)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct node *nd = &t->nodes[i];
		if (nd->kind != N_INCLUDE)
			continue;
		const struct tmpl *in = find(set, t->text + nd->off, nd->len);
		if (!in)
			return tb_err(err, TB_EINVAL, "%s.html:%u: {{>%.*s}}: no "
				      "template %.*s.html", t->name, nd->line,
				      (int)nd->len, t->text + nd->off,
				      (int)nd->len, t->text + nd->off);
		if (depth + 1 >= DEPTH_MAX)
			return tb_err(err, TB_EINVAL, "%s.html:%u: includes nest "
				      "deeper than %d (a cycle?)", t->name,
				      nd->line, DEPTH_MAX);
		int rc = check_includes(set, in, depth + 1, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int tmpl_set_check(const struct tmpl_set *set, struct buf *err)
{
	for (size_t i = 0; i < set->n; i++) {
		int rc = check_includes(set, &set->t[i], 0, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int tmpl_set_load(const char *dir, struct tmpl_set **out, struct buf *err)
{
	struct tmpl_set *set = NULL;
	struct buf path = BUF_INIT, text = BUF_INIT;
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *d = opendir(dir);
	int rc = TB_EIO;
	*out = NULL;
	if (!d) {
		rc = tb_err(err, TB_EIO, "tidak dapat membuka folder templat %s",
			    dir);
		goto out;
	}
	/* Sorted, so errors and duplicates come out the same on every
	 * machine. */
	for (struct dirent *e; (e = readdir(d));) {
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.' || l < 6 || strcmp(e->d_name + l - 5, ".html"))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(names, cap * sizeof *nn);
			if (!nn)
				goto nomem;
			names = nn;
		}
		if (!(names[n] = strndup(e->d_name, l - 5)))
			goto nomem;
		n++;
	}
	qsort(names, n, sizeof *names, by_name);
	if ((rc = tmpl_set_new(&set, err)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		buf_reset(&path);
		buf_reset(&text);
		if ((rc = buf_addf(&path, "%s/%s.html", dir, names[i])) < 0)
			goto nomem;
		if ((rc = buf_read_file(&text, path.data, TEMPLATE_MAX, err)) < 0 ||
		    (rc = tmpl_set_add(set, names[i], path.data, text.data,
				       text.len, err)) < 0)
			goto out;
	}
	if ((rc = tmpl_set_check(set, err)) < 0)
		goto out;
	*out = set;
	set = NULL;
	rc = 0;
	goto out;
nomem:
	rc = tb_err(err, TB_ENOMEM, "kehabisan memori");
out:
	if (d)
		closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	tmpl_set_free(set);
	buf_release(&path);
	buf_release(&text);
	return rc;
}

/* ---- views -------------------------------------------------------- */

enum vtype { V_STR, V_INT, V_BOOL, V_HTML, V_VIEW, V_LIST };

struct tval {
	const char *key;
	enum vtype type;
	union {
		const char *s;
		int64_t i;
		struct tmpl_view *view;   /* V_VIEW; V_LIST: first row */
	} u;
	struct tmpl_view *last;           /* V_LIST: last row */
	struct tval *next;
};

struct tmpl_view {
	struct pool *pool;
	struct tval *vals;
	struct tmpl_view *next_row;
	int *failed;                      /* shared by a view and its subs */
};

static struct tmpl_view *view_new(struct pool *p, int *failed)
{
	struct tmpl_view *v = pool_alloc(p, sizeof *v);
	if (!v) {
		if (failed)
			*failed = 1;
		return NULL;
	}
	v->pool = p;
	v->failed = failed ? failed : pool_alloc(p, sizeof *v->failed);
	return v->failed ? v : NULL;
}

struct tmpl_view *tmpl_view_new(struct pool *p)
{
	return view_new(p, NULL);
}

/* The slot for key (made when new); NULL on no memory or no view. */
static struct tval *slot(struct tmpl_view *v, const char *key)
{
	if (!v)
		return NULL;
	for (struct tval *t = v->vals; t; t = t->next)
		if (strcmp(t->key, key) == 0)
			return t;
	struct tval *t = pool_alloc(v->pool, sizeof *t);
	if (!t || !(t->key = pool_strdup(v->pool, key))) {
		*v->failed = 1;
		return NULL;
	}
	t->next = v->vals;
	v->vals = t;
	return t;
}

static int put_s(struct tmpl_view *v, const char *key, const char *val,
		 enum vtype type)
{
	struct tval *t = slot(v, key);
	const char *s = t ? pool_strdup(v->pool, val ? val : "") : NULL;
	if (!s) {
		if (v)
			*v->failed = 1;
		return TB_ENOMEM;
	}
	t->type = type;
	t->u.s = s;
	return 0;
}

int tmpl_put_str(struct tmpl_view *v, const char *key, const char *val)
{
	return put_s(v, key, val, V_STR);
}

int tmpl_put_html(struct tmpl_view *v, const char *key, const char *markup)
{
	return put_s(v, key, markup, V_HTML);
}

int tmpl_put_fmt(struct tmpl_view *v, const char *key, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vaddf(&b, fmt, ap);
	va_end(ap);
	rc = rc < 0 ? (v ? (*v->failed = 1, rc) : rc) : put_s(v, key, b.data, V_STR);
	buf_release(&b);
	return rc;
}

static int put_i(struct tmpl_view *v, const char *key, int64_t val,
		 enum vtype type)
{
	struct tval *t = slot(v, key);
	if (!t)
		return TB_ENOMEM;
	t->type = type;
	t->u.i = val;
	return 0;
}

int tmpl_put_int(struct tmpl_view *v, const char *key, int64_t val)
{
	return put_i(v, key, val, V_INT);
}

int tmpl_put_bool(struct tmpl_view *v, const char *key, int val)
{
	return put_i(v, key, val != 0, V_BOOL);
}

struct tmpl_view *tmpl_put_view(struct tmpl_view *v, const char *key)
{
	struct tval *t = slot(v, key);
	struct tmpl_view *sub = t ? view_new(v->pool, v->failed) : NULL;
	if (!sub)
		return NULL;
	t->type = V_VIEW;
	t->u.view = sub;
	return sub;
}

int tmpl_put_list(struct tmpl_view *v, const char *key)
{
	struct tval *t = slot(v, key);
	if (!t)
		return TB_ENOMEM;
	t->type = V_LIST;
	t->u.view = t->last = NULL;
	return 0;
}

struct tmpl_view *tmpl_add_row(struct tmpl_view *v, const char *key)
{
	struct tval *t = slot(v, key);
	if (!t)
		return NULL;
	if (t->type != V_LIST) {
		t->type = V_LIST;
		t->u.view = t->last = NULL;
	}
	struct tmpl_view *row = view_new(v->pool, v->failed);
	if (!row)
		return NULL;
	if (t->last)
		t->last->next_row = row;
	else
		t->u.view = row;
	t->last = row;
	return row;
}

/* ---- rendering ----------------------------------------------------- */

struct frame {
	const struct tmpl_view *v;
	const struct frame *up;
};

static const struct tval *lookup(const struct frame *f, const char *name,
				 size_t n)
{
	for (; f; f = f->up)
		for (const struct tval *t = f->v ? f->v->vals : NULL; t; t = t->next)
			if (strncmp(t->key, name, n) == 0 && t->key[n] == '\0')
				return t;
	return NULL;
}

static int truthy(const struct tval *t)
{
	if (!t)
		return 0;
	switch (t->type) {
	case V_STR: case V_HTML: return t->u.s[0] != '\0';
	case V_INT: case V_BOOL: return t->u.i != 0;
	case V_VIEW: return 1;
	case V_LIST: return t->u.view != NULL;
	}
	return 0;
}

static int emit(struct buf *out, const struct tval *t, int ctx)
{
	char num[24];
	const char *s;
	if (!t)
		return 0;
	switch (t->type) {
	case V_STR: case V_HTML: s = t->u.s; break;
	case V_INT:
		snprintf(num, sizeof num, "%lld", (long long)t->u.i);
		s = num;
		break;
	default: return 0;
	}
	int rc;
	switch (ctx) {
	case C_TEXT:
		if (t->type == V_HTML)
			return buf_adds(out, s);
		if (!html_has_bidi(s))
			return html_escape(out, s);
		/* An isolate ends whatever override the value opens. */
		rc = buf_adds(out, "<bdi>");
		if (rc == 0)
			rc = html_escape_text(out, s);
		return rc ? rc : buf_adds(out, "</bdi>");
	case C_URL: return html_url(out, s);
	case C_URL_PART: return html_url_part(out, s);
	default: return html_escape(out, s);
	}
}

static int render(const struct tmpl_set *set, const struct tmpl *t,
		  size_t from, size_t to, const struct frame *f, int depth,
		  struct buf *out)
{
	int rc = 0;
	for (size_t i = from; i < to && rc == 0; i++) {
		const struct node *nd = &t->nodes[i];
		const char *name = t->text + nd->off;
		const struct tval *v;
		switch (nd->kind) {
		case N_TEXT:
			rc = buf_add(out, name, nd->len);
			break;
		case N_VAR:
			rc = emit(out, lookup(f, name, nd->len), nd->ctx);
			break;
		case N_INCLUDE: {
			const struct tmpl *in = find(set, name, nd->len);
			if (in && depth < DEPTH_MAX)
				rc = render(set, in, 0, in->n, f, depth + 1, out);
			break;
		}
		case N_INVERTED:
			if (!truthy(lookup(f, name, nd->len)))
				rc = render(set, t, i + 1, nd->end, f, depth, out);
			i = nd->end - 1;
			break;
		case N_SECTION:
			v = lookup(f, name, nd->len);
			if (v && v->type == V_LIST) {
				for (const struct tmpl_view *r = v->u.view; r && rc == 0;
				     r = r->next_row) {
					struct frame in = { r, f };
					rc = render(set, t, i + 1, nd->end, &in, depth, out);
				}
			} else if (v && v->type == V_VIEW) {
				struct frame in = { v->u.view, f };
				rc = render(set, t, i + 1, nd->end, &in, depth, out);
			} else if (truthy(v)) {
				rc = render(set, t, i + 1, nd->end, f, depth, out);
			}
			i = nd->end - 1;
			break;
		}
	}
	return rc;
}

int tmpl_render(const struct tmpl_set *set, const char *name,
		const struct tmpl_view *v, struct buf *out, struct buf *err)
{
	const struct tmpl *t = find(set, name, strlen(name));
	if (!t)
		return tb_err(err, TB_ENOTFOUND, "templat %s tidak ada", name);
	if (v && *v->failed)
		return tb_err(err, TB_ENOMEM, "kehabisan memori (templat %s)", name);
	struct frame f = { v, NULL };
	int rc = render(set, t, 0, t->n, &f, 0, out);
	return rc < 0 ? tb_err(err, rc, "halaman %s terlalu besar atau kehabisan "
			       "memori", name) : 0;
}
