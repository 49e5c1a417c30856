/* Unit tests for src/core/jsonread: the strict JSON reader the HTTP API
 * parses request bodies with. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/err.h"
#include "core/jsonread.h"
#include "core/str.h"

static int parse(struct jsonread *d, const char *text, struct buf *err)
{
	return jsonread_parse(d, text, strlen(text), err);
}

static void test_object_members(void **state)
{
	(void)state;
	struct jsonread d;
	struct buf err = BUF_INIT;
	assert_int_equal(parse(&d, " {\"nik\" : \"3510014101900001\", \"n\": -1.5e2,"
				   " \"ok\": true, \"no\": null, \"e\": {}} ", &err), 0);
	const struct jr_val *root = jsonread_root(&d);
	assert_int_equal(root->type, JR_OBJ);
	assert_int_equal(root->len, 5);
	assert_string_equal(jsonread_str(&d, root, "nik"), "3510014101900001");
	assert_true(jsonread_get(&d, root, "n")->num == -150.0);
	assert_int_equal(jsonread_get(&d, root, "ok")->boolean, 1);
	assert_int_equal(jsonread_get(&d, root, "no")->type, JR_NULL);
	assert_null(jsonread_first(&d, jsonread_get(&d, root, "e")));
	assert_null(jsonread_get(&d, root, "missing"));
	assert_null(jsonread_str(&d, root, "n"));
	jsonread_release(&d);
	buf_release(&err);
}

static void test_array_walk(void **state)
{
	(void)state;
	struct jsonread d;
	struct buf err = BUF_INIT;
	assert_int_equal(parse(&d, "{\"answers\":[{\"indicator\":\"a\",\"value\":1},"
				   "{\"indicator\":\"b\",\"value\":4}]}", &err), 0);
	const struct jr_val *arr = jsonread_get(&d, jsonread_root(&d), "answers");
	assert_int_equal(arr->type, JR_ARR);
	assert_int_equal(arr->len, 2);
	const struct jr_val *e = jsonread_first(&d, arr);
	assert_string_equal(jsonread_str(&d, e, "indicator"), "a");
	e = jsonread_next(&d, e);
	assert_true(jsonread_get(&d, e, "value")->num == 4.0);
	assert_null(jsonread_next(&d, e));
	jsonread_release(&d);
	buf_release(&err);
}

static void test_escapes(void **state)
{
	(void)state;
	struct jsonread d;
	struct buf err = BUF_INIT;
	assert_int_equal(parse(&d, "\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"",
			       &err), 0);
	assert_string_equal(jsonread_root(&d)->str,
			    "a\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80");
	jsonread_release(&d);
	buf_release(&err);
}

static void test_refusals(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}",
		"'x'", "01", "-", "1.", ".5", "1e", "+1", "0x10", "NaN",
		"Infinity", "tru", "nul", "[1] x", "{\"a\":1,\"a\":2}",
		"\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\x\"",
		"\"tab\there\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xff\"",
		"\"unterminated", "/* c */ 1",
		"[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct jsonread d;
		struct buf err = BUF_INIT;
		if (parse(&d, bad[i], &err) != TB_EINVAL)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(err.data, "invalid JSON at byte"));
		jsonread_release(&d);
		buf_release(&err);
	}
	/* An embedded NUL byte in the text is not a string character. */
	struct jsonread d;
	assert_int_equal(jsonread_parse(&d, "\"a\0b\"", 5, NULL), TB_EINVAL);
	jsonread_release(&d);
}

static void test_depth_limit_edge(void **state)
{
	(void)state;
	struct jsonread d;
	char text[64] = "";
	for (int i = 0; i < JSONREAD_MAX_DEPTH; i++)
		strcat(text, "[");
	for (int i = 0; i < JSONREAD_MAX_DEPTH; i++)
		strcat(text, "]");
	assert_int_equal(parse(&d, text, NULL), 0);
	jsonread_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_object_members),
		cmocka_unit_test(test_array_walk),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_depth_limit_edge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
