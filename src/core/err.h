#ifndef TERBIT_ERR_H
#define TERBIT_ERR_H
/*
 * Error convention for every module: a function returns 0 (or a count)
 * on success and one of the negative codes below on failure, and writes a
 * human message into the caller's `struct buf *err` (which may be NULL when
 * the caller does not want one). Messages meant for operators are in
 * Indonesian; the HTTP layer maps codes to statuses with err_http_status.
 *
 * One table (err.c) maps each code to its name, HTTP status and CLI exit
 * code, so the CLI and the API agree on what a failure means.
 */
#include "core/buf.h"

enum {
	TB_OK = 0,
	TB_EINVAL = -1,      /* malformed input: 400, exit 2 */
	TB_ENOTFOUND = -2,   /* unknown case, NIK, user, serial: 404, exit 3 */
	TB_EPERM = -3,       /* role or region not allowed: 403, exit 4 */
	TB_ECONFLICT = -4,   /* illegal transition, duplicate: 409, exit 5 */
	TB_EREFUSED = -5,    /* rule not met (not eligible, missing doc): 422, exit 6 */
	TB_EAUTH = -6,       /* no or bad credentials: 401, exit 4 */
	TB_ETOOBIG = -7,     /* over a size cap: 413, exit 2 */
	TB_EMEDIA = -8,      /* unsupported content type: 415, exit 2 */
	TB_ENOMEM = -9,      /* out of memory: 500, exit 1 */
	TB_EIO = -10,        /* file or system failure: 500, exit 1 */
	TB_EDB = -11,        /* database failure: 500, exit 1 */
	TB_ECRYPTO = -12,    /* key or signature failure: 500, exit 1 */
	TB_ERATE = -13,      /* rate limited: 429, exit 1 */
	TB_EINTERNAL = -14,  /* a bug: 500, exit 1 */
	TB_EMETHOD = -15,    /* known path, wrong method: 405, exit 2 */
};

/* Stable machine name of a code, e.g. "not_found" (for JSON errors). */
const char *err_name(int code);
int err_http_status(int code);
int err_exit_code(int code);

/*
 * Sets *err to the formatted message (when err is not NULL) and returns
 * code, so that a failure path is one line: return tb_err(err, TB_EINVAL,
 * "NIK harus 16 digit");
 */
int tb_err(struct buf *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
