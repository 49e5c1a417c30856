#include "core/err.h"

#include <stdarg.h>

#include "core/str.h"

static const struct {
	int code;
	const char *name;
	int http;
	int exit;
} err_table[] = {
	{ TB_OK, "ok", 200, 0 },
	{ TB_EINVAL, "invalid_input", 400, 2 },
	{ TB_ENOTFOUND, "not_found", 404, 3 },
	{ TB_EPERM, "forbidden", 403, 4 },
	{ TB_ECONFLICT, "conflict", 409, 5 },
	{ TB_EREFUSED, "unprocessable", 422, 6 },
	{ TB_EAUTH, "unauthorized", 401, 4 },
	{ TB_ETOOBIG, "too_large", 413, 2 },
	{ TB_EMEDIA, "unsupported_media_type", 415, 2 },
	{ TB_ENOMEM, "out_of_memory", 500, 1 },
	{ TB_EIO, "io_error", 500, 1 },
	{ TB_EDB, "database_error", 500, 1 },
	{ TB_ECRYPTO, "crypto_error", 500, 1 },
	{ TB_ERATE, "rate_limited", 429, 1 },
	{ TB_EINTERNAL, "internal_error", 500, 1 },
	{ TB_EMETHOD, "method_not_allowed", 405, 2 },
};

static int find(int code)
{
	for (size_t i = 0; i < ARRAY_SIZE(err_table); i++)
		if (err_table[i].code == code)
			return (int)i;
	return -1;
}

const char *err_name(int code)
{
	int i = find(code);
	return i < 0 ? "internal_error" : err_table[i].name;
}

int err_http_status(int code)
{
	int i = find(code);
	return i < 0 ? 500 : err_table[i].http;
}

int err_exit_code(int code)
{
	int i = find(code);
	return i < 0 ? 1 : err_table[i].exit;
}

int tb_err(struct buf *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		buf_reset(err);
		va_start(ap, fmt);
		buf_vaddf(err, fmt, ap);
		va_end(ap);
	}
	return code;
}
