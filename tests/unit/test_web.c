/*
 * The web module: templates (escaping by context, sections, includes,
 * refused templates with their line), the shared escapers of core/html.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/html.h"
#include "core/str.h"
#include "http/pool.h"
#include "web/tmpl.h"
#include "web/web.h"

/* What a user may type into any field: markup, quotes, an ampersand, an
 * RTL override (U+202E) and an emoji. */
#define NASTY "<script>alert(\"x\")</script> & 'q' \xe2\x80\xae" "gnp.exe \xf0\x9f\x98\x80"

struct fx {
	struct pool *pool;
	struct tmpl_set *set;
	struct buf out, err;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->pool = pool_new(0, 0);
	assert_int_equal(tmpl_set_new(&f->set, NULL), 0);
	buf_init(&f->out, 0);
	buf_init(&f->err, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	pool_free(f->pool);
	tmpl_set_free(f->set);
	buf_release(&f->out);
	buf_release(&f->err);
	free(f);
	return 0;
}

static int add(struct fx *f, const char *name, const char *text)
{
	char file[64];
	snprintf(file, sizeof file, "%s.html", name);
	buf_reset(&f->err);
	return tmpl_set_add(f->set, name, file, text, strlen(text), &f->err);
}

/* Renders text as template "t" with v; the output in f->out. */
static const char *run(struct fx *f, const char *text, struct tmpl_view *v)
{
	static int seq;
	char name[16];
	snprintf(name, sizeof name, "t%d", seq++);
	assert_int_equal(add(f, name, text), 0);
	buf_reset(&f->out);
	assert_int_equal(tmpl_render(f->set, name, v, &f->out, &f->err), 0);
	return f->out.data;
}

static void test_text_escaping(void **state)
{
	struct fx *f = *state;
	struct tmpl_view *v = tmpl_view_new(f->pool);
	tmpl_put_str(v, "x", NASTY);
	const char *o = run(f, "<p>{{x}}</p>", v);
	/* Markup, quotes and & as entities; the override written as a
	 * reference inside an isolate; the emoji's bytes untouched. */
	assert_string_equal(o,
		"<p><bdi>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
		"&#39;q&#39; &#x202E;gnp.exe \xf0\x9f\x98\x80</bdi></p>");
	assert_null(strstr(o, "<script"));
	/* Without a bidi control no isolate is added. */
	tmpl_put_str(v, "x", "a & b \xf0\x9f\x98\x80");
	assert_string_equal(run(f, "<p>{{x}}</p>", v),
			    "<p>a &amp; b \xf0\x9f\x98\x80</p>");
}

static void test_attr_and_rcdata(void **state)
{
	struct fx *f = *state;
	struct tmpl_view *v = tmpl_view_new(f->pool);
	tmpl_put_str(v, "x", "\"><script>&'");
	assert_string_equal(run(f, "<input name=\"n\" value=\"{{x}}\">", v),
			    "<input name=\"n\" value=\"&quot;&gt;&lt;script&gt;&amp;&#39;\">");
	assert_string_equal(run(f, "<input value='{{x}}'>", v),
			    "<input value='&quot;&gt;&lt;script&gt;&amp;&#39;'>");
	/* <title> and <textarea> show text as is: no <bdi> there. */
	tmpl_put_str(v, "x", "</textarea>\xe2\x80\xae");
	assert_string_equal(run(f, "<textarea name=\"a\">{{x}}</textarea>", v),
			    "<textarea name=\"a\">&lt;/textarea&gt;\xe2\x80\xae</textarea>");
	assert_string_equal(run(f, "<title>{{x}}</title><p>{{x}}</p>", v),
			    "<title>&lt;/textarea&gt;\xe2\x80\xae</title>"
			    "<p><bdi>&lt;/textarea&gt;&#x202E;</bdi></p>");
}

static void test_url_contexts(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "javascript:alert(1)", "#" },
		{ "JaVaScRiPt:alert(1)", "#" },
		{ " javascript:alert(1)", "#" },
		{ "\tjavascript:x", "#" },
		{ "data:text/html,<script>", "#" },
		{ "//evil.example/x", "#" },
		{ "/\\evil.example", "#" },
		{ "vbscript:x", "#" },
		{ "", "#" },
		{ "/kasus/12?tab=a&b=\"c\"", "/kasus/12?tab=a&amp;b=%22c%22" },
		{ "/cari?q=a b<>", "/cari?q=a%20b%3C%3E" },
		{ "https://example.org/a'b", "https://example.org/a%27b" },
		{ "HTTP://example.org/\xc3\xa9", "HTTP://example.org/%C3%A9" },
		{ "/x/\t/evil", "/x/%09/evil" },
	};
	struct tmpl_view *v = tmpl_view_new(f->pool);
	struct buf want = BUF_INIT;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		tmpl_put_str(v, "u", cases[i].in);
		buf_reset(&want);
		buf_addf(&want, "<a href=\"%s\">x</a>", cases[i].out);
		assert_string_equal(run(f, "<a href=\"{{u}}\">x</a>", v), want.data);
	}
	buf_release(&want);
	/* After literal text a value is one component: it cannot add a
	 * path, a query or a scheme. */
	tmpl_put_str(v, "id", "../x?y=1&z#f javascript:");
	assert_string_equal(run(f, "<form action=\"/kasus/{{id}}\"></form>", v),
			    "<form action=\"/kasus/..%2Fx%3Fy%3D1%26z%23f%20javascript%3A\">"
			    "</form>");
	tmpl_put_str(v, "u", "javascript:alert(1)");
	assert_string_equal(run(f, "<img alt=\"\" src='{{u}}'>", v),
			    "<img alt=\"\" src='#'>");
}

static void test_values_and_sections(void **state)
{
	struct fx *f = *state;
	struct tmpl_view *v = tmpl_view_new(f->pool);
	tmpl_put_int(v, "n", -42);
	tmpl_put_bool(v, "yes", 1);
	tmpl_put_bool(v, "no", 0);
	tmpl_put_str(v, "who", "Budi");
	tmpl_put_html(v, "raw", "<b>tebal</b>");
	tmpl_put_list(v, "none");
	struct tmpl_view *r = tmpl_add_row(v, "rows");
	tmpl_put_str(r, "name", "a<");
	struct tmpl_view *s = tmpl_add_row(r, "sub");
	tmpl_put_int(s, "k", 1);
	s = tmpl_add_row(r, "sub");
	tmpl_put_int(s, "k", 2);
	r = tmpl_add_row(v, "rows");
	tmpl_put_str(r, "name", "b");
	struct tmpl_view *me = tmpl_put_view(v, "me");
	tmpl_put_str(me, "role", "desa");
	assert_string_equal(run(f, "{{n}}|{{#yes}}Y{{/yes}}{{^no}}N{{/no}}"
				   "{{#no}}bad{{/no}}|{{missing}}|{{raw}}", v),
			    "-42|YN||<b>tebal</b>");
	/* Nested lists; an outer name (who) seen from inside a row. */
	assert_string_equal(run(f, "{{#rows}}[{{name}}:{{#sub}}{{k}}{{who}}"
				   "{{/sub}}]{{/rows}}", v),
			    "[a&lt;:1Budi2Budi][b:]");
	assert_string_equal(run(f, "{{^none}}kosong{{/none}}{{#none}}x{{/none}}"
				   "{{#me}}{{role}}/{{who}}{{/me}}", v),
			    "kosongdesa/Budi");
	/* Raw markup is raw in text only; in an attribute it is a string. */
	assert_string_equal(run(f, "<a title=\"{{raw}}\">{{ raw }}</a>", v),
			    "<a title=\"&lt;b&gt;tebal&lt;/b&gt;\"><b>tebal</b></a>");
	/* Sections between attributes and inside a value. */
	assert_string_equal(run(f, "<input type=\"radio\" {{#yes}}checked{{/yes}}"
				   "{{#no}} disabled{{/no}} class=\"p {{#yes}}on{{/yes}}\">",
				   v),
			    "<input type=\"radio\" checked class=\"p on\">");
	/* An include sees the same scope; a comment renders nothing. */
	assert_int_equal(add(f, "part", "<b>{{who}}</b>"), 0);
	assert_string_equal(run(f, "{{! note }}<p>{{> part}}</p>", v),
			    "<p><b>Budi</b></p>");
	assert_int_equal(tmpl_set_check(f->set, &f->err), 0);
	/* A section or comment tag alone on its line takes the line. */
	assert_string_equal(run(f, "<ul>\n  {{#rows}}\n<li>{{name}}</li>\n  {{/rows}}\n"
				   "{{! note }}\r\n</ul>\n{{! end }}", v),
			    "<ul>\n<li>a&lt;</li>\n<li>b</li>\n</ul>\n");
	/* No view at all: everything missing renders empty. */
	assert_string_equal(run(f, "<p>{{x}}{{#y}}z{{/y}}</p>", NULL), "<p></p>");
}

static void test_refused_templates(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "<p>\n<script>{{x}}</script>", "t.html:2: <script> is not allowed" },
		{ "<style>p{}</style>", "t.html:1: <style> is not allowed" },
		{ "<p>\n\n<a href={{u}}>", "t.html:3: {{u}} in an unquoted attribute value" },
		{ "<a x=1 href=\"/\" onclick=\"{{x}}\">", "t.html:1: attribute onclick" },
		{ "<p style=\"color:red\">", "t.html:1: attribute style" },
		{ "<{{tag}}>", "t.html:1: {{tag}} in a tag name" },
		{ "<p {{attr}}=\"1\">", "t.html:1: {{attr}} in a tag" },
		{ "<p a{{b}}>", "t.html:1: {{b}} in an attribute name" },
		{ "<!-- {{x}} -->", "t.html:1: {{x}} in a comment" },
		{ "<meta content=\"{{x}}\">", "t.html:1: {{x}} in a <meta> tag" },
		{ "<iframe srcdoc=\"{{x}}\"></iframe>", "t.html:1: {{x}} in attribute srcdoc" },
		{ "a\nb\n{{#x}}\nc", "t.html:3: {{#x}} is never closed" },
		{ "{{#x}}\n{{/x}}\n<a href={{u}}>", "t.html:3: {{u}} in an unquoted" },
		{ "{{#x}}\n{{/y}}", "t.html:2: {{/y}} closes {{#x}} of line 1" },
		{ "{{/y}}", "t.html:1: {{/y}} closes no section" },
		{ "a\n{{x", "t.html:2: '{{' without its '}}'" },
		{ "{{ a b }}", "t.html:1: bad name" },
		{ "{{}}", "t.html:1: bad name" },
		{ "<a {{#x}}href=\"{{/x}}\">", "t.html:1: section x begins in a tag" },
		{ "<p class=\"a", "t.html:1: the template ends inside an attribute value" },
		{ "<a title=\"x\">{{>part}}", NULL },
		{ "<a title=\"{{>part}}\">", "t.html:1: {{>part}} in an attribute value" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct tmpl_set *set;
		assert_int_equal(tmpl_set_new(&set, NULL), 0);
		buf_reset(&f->err);
		int rc = tmpl_set_add(set, "t", "t.html", bad[i].text,
				      strlen(bad[i].text), &f->err);
		if (!bad[i].msg) {
			assert_int_equal(rc, 0);
			/* The include names a template the set lacks. */
			assert_int_equal(tmpl_set_check(set, &f->err), TB_EINVAL);
			assert_non_null(strstr(f->err.data, "t.html:1: {{>part}}: no template"));
		} else {
			if (rc != TB_EINVAL || !strstr(f->err.data, bad[i].msg))
				fail_msg("case %zu: rc %d, message '%s', want '%s'", i,
					 rc, f->err.data, bad[i].msg);
		}
		tmpl_set_free(set);
	}
	/* Bytes a template cannot hold are refused with their line, a NUL
	 * included (strlen would stop at it: lengths are given). */
	static const struct { const char *text; size_t len; const char *msg; }
	bytes[] = {
#define BYTES(text, msg) { text, sizeof text - 1, msg }
		BYTES("<p>a</p>\n<p>\0b</p>", "t.html:2: baris berisi byte NUL"),
		BYTES("<p>\xff\xfe</p>", "t.html:1: baris bukan UTF-8"),
		BYTES("a\nb\n\x1b[31m", "t.html:3: baris berisi karakter kontrol"),
		BYTES("<p>\xc0\xaf</p>", "t.html:1: baris bukan UTF-8"),
#undef BYTES
	};
	for (size_t i = 0; i < ARRAY_SIZE(bytes); i++) {
		struct tmpl_set *set;
		assert_int_equal(tmpl_set_new(&set, NULL), 0);
		buf_reset(&f->err);
		int rc = tmpl_set_add(set, "t", "t.html", bytes[i].text,
				      bytes[i].len, &f->err);
		if (rc != TB_EINVAL || !strstr(f->err.data, bytes[i].msg))
			fail_msg("bytes %zu: rc %d, message '%s', want '%s'", i,
				 rc, f->err.data, bytes[i].msg);
		tmpl_set_free(set);
	}
	/* A cycle of includes is found at load. */
	assert_int_equal(add(f, "a", "{{>b}}"), 0);
	assert_int_equal(add(f, "b", "{{>a}}"), 0);
	assert_int_equal(tmpl_set_check(f->set, &f->err), TB_EINVAL);
	assert_non_null(strstr(f->err.data, "deeper than"));
}

static void test_load_dir(void **state)
{
	struct fx *f = *state;
	char dir[] = "/tmp/terbit-tmpl.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/ok.html", dir);
	FILE *fp = fopen(path, "w");
	fputs("<p>{{x}}</p>\n", fp);
	fclose(fp);
	struct tmpl_set *set = NULL;
	assert_int_equal(tmpl_set_load(dir, &set, &f->err), 0);
	assert_true(tmpl_has(set, "ok"));
	tmpl_set_free(set);
	snprintf(path, sizeof path, "%s/zz.html", dir);
	fp = fopen(path, "w");
	fputs("<p>\n<a href={{x}}>\n", fp);
	fclose(fp);
	assert_int_equal(tmpl_set_load(dir, &set, &f->err), TB_EINVAL);
	assert_null(set);
	/* The message names the file and the line. */
	assert_non_null(strstr(f->err.data, "/zz.html:2: {{x}}"));
	remove(path);
	snprintf(path, sizeof path, "%s/ok.html", dir);
	remove(path);
	rmdir(dir);
	assert_int_equal(tmpl_set_load("/nonexistent-terbit", &set, &f->err), TB_EIO);
}

static void test_html_helpers(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_int_equal(html_escape(&b, NASTY), 0);
	/* html_escape leaves bidi controls as bytes (attributes). */
	assert_non_null(strstr(b.data, "\xe2\x80\xae"));
	assert_true(html_has_bidi(NASTY));
	assert_false(html_has_bidi("\xe2\x82\xac euro"));
	buf_reset(&b);
	assert_int_equal(html_escape_text(&b, "\xe2\x81\xa6x\xe2\x81\xa9\xe2\x82\xac"), 0);
	assert_string_equal(b.data, "&#x2066;x&#x2069;\xe2\x82\xac");
	buf_release(&b);
}

static void test_view_out_of_memory(void **state)
{
	struct fx *f = *state;
	/* A pool too small for the view: the failure is remembered and the
	 * render reports it instead of a half page. */
	struct pool *tiny = pool_new(256, 512);
	struct tmpl_view *v = tmpl_view_new(tiny);
	assert_non_null(v);
	char key[16];
	int failed = 0;
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof key, "k%d", i);
		failed |= tmpl_put_str(v, key, "a value of some length") < 0;
	}
	assert_true(failed);
	assert_int_equal(add(f, "p", "<p>{{k1}}</p>"), 0);
	assert_int_equal(tmpl_render(f->set, "p", v, &f->out, &f->err), TB_ENOMEM);
	pool_free(tiny);
	assert_int_equal(tmpl_render(f->set, "nope", NULL, &f->out, &f->err),
			 TB_ENOTFOUND);
}

static void test_csrf_token(void **state)
{
	(void)state;
	char a[WEB_CSRF_LEN + 1], b[WEB_CSRF_LEN + 1];
	web_csrf_token("sid-one", a);
	web_csrf_token("sid-two", b);
	assert_int_equal(strlen(a), WEB_CSRF_LEN);
	assert_string_not_equal(a, b);
	assert_true(web_csrf_ok("sid-one", a));
	assert_false(web_csrf_ok("sid-two", a));
	assert_false(web_csrf_ok("sid-one", NULL));
	assert_false(web_csrf_ok("sid-one", ""));
	a[3] ^= 1;
	assert_false(web_csrf_ok("sid-one", a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_text_escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attr_and_rcdata, setup, teardown),
		cmocka_unit_test_setup_teardown(test_url_contexts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_values_and_sections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_templates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_dir, setup, teardown),
		cmocka_unit_test(test_html_helpers),
		cmocka_unit_test_setup_teardown(test_view_out_of_memory, setup, teardown),
		cmocka_unit_test(test_csrf_token),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
