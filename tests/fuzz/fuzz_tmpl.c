/*
 * Fuzz target: the template parser on arbitrary bytes, and every template
 * it accepts rendered with a view holding hostile values of every type.
 * The output must never carry a value's raw "<zq" (a tag a value would
 * open): whatever the template, a value is escaped for where it sits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "http/pool.h"
#include "web/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "a", "b", "x", "u", "rows", "me" };
	static const char nasty[] = "<zq>\"'&\xe2\x80\xae javascript:x";
	struct tmpl_set *set = NULL;
	struct buf out = BUF_INIT, err = BUF_INIT;
	struct pool *p = pool_new(0, 1u << 20);
	if (!p || tmpl_set_new(&set, &err) < 0)
		abort();
	if (tmpl_set_add(set, "t", "t.html", (const char *)data, size, &err) == 0 &&
	    tmpl_set_check(set, &err) == 0) {
		struct tmpl_view *v = tmpl_view_new(p);
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			tmpl_put_str(v, keys[i], nasty);
		tmpl_put_int(v, "n", -1);
		tmpl_put_bool(v, "yes", 1);
		for (int i = 0; i < 3; i++) {
			struct tmpl_view *r = tmpl_add_row(v, "rows");
			tmpl_put_str(r, "x", nasty);
			tmpl_add_row(r, "rows");
		}
		tmpl_put_str(tmpl_put_view(v, "me"), "name", nasty);
		out.max = 1u << 22;
		if (tmpl_render(set, "t", v, &out, &err) == 0 &&
		    !memmem(data, size, "<zq", 3) && strstr(out.data, "<zq"))
			abort();
	}
	tmpl_set_free(set);
	pool_free(p);
	buf_release(&out);
	buf_release(&err);
	return 0;
}
