/*
 * Fuzz target: the session cookie, from the Cookie header to the sign-in
 * decision. The header goes through libmicrohttpd's own cookie parser on a
 * real connection (mhd_conn.h); the value of either cookie name the web
 * face uses is then checked as server.c's credential() does and handed
 * to cases_authenticate on an in-memory database that has a user but no
 * session, and to the CSRF derivation (web_csrf_token, web_csrf_ok).
 *
 * Input: the Cookie header's value (control bytes made spaces, as MHD
 * refuses them before any of our code runs).
 * Checked: no cookie signs anyone in (there is no session to find), and a
 * session id always accepts its own CSRF token and refuses another.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "core/err.h"
#include "mhd_conn.h"
#include "store/store.h"
#include "web/web.h"

static struct store *store;

static void cookie_check(const char *sid)
{
	if (!sid || !*sid || strlen(sid) > CASES_SECRET_MAX)
		return;
	struct buf err = BUF_INIT;
	struct cases_actor a;
	if (cases_authenticate(store, CASES_CRED_SESSION, sid, &a, &err) != TB_EAUTH)
		abort();
	char tok[WEB_CSRF_LEN + 1];
	web_csrf_token(sid, tok);
	if (strlen(tok) != WEB_CSRF_LEN || !web_csrf_ok(sid, tok))
		abort();
	tok[0] = tok[0] == 'A' ? 'B' : 'A';
	if (web_csrf_ok(sid, tok))
		abort();
	buf_release(&err);
}

static enum MHD_Result cookie_handler(void *cls, struct MHD_Connection *conn,
				      const char *url, const char *method,
				      const char *version, const char *upload,
				      size_t *upload_size, void **con_cls)
{
	static int first;
	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload;
	(void)upload_size;
	if (!*con_cls) {
		*con_cls = &first;
		return MHD_YES;
	}
	/* Both names: "__Host-" when the cookies are Secure (web.c). */
	cookie_check(MHD_lookup_connection_value(conn, MHD_COOKIE_KIND,
						 "terbit_sid"));
	cookie_check(MHD_lookup_connection_value(conn, MHD_COOKIE_KIND,
						 "__Host-terbit_sid"));
	struct MHD_Response *r =
		MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
	if (!r)
		abort();
	enum MHD_Result ok = MHD_queue_response(conn, 200, r);
	MHD_destroy_response(r);
	return ok;
}

static void cookie_done(void *cls, struct MHD_Connection *conn,
			void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	*con_cls = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!store) {
		/* One user (so the session table is not trivially empty of
		 * accounts), never a session. Kept for the process's life. */
		struct buf err = BUF_INIT, token = BUF_INIT;
		if (store_open_file(":memory:", &store, &err) < 0 ||
		    cases_user_add(store, NULL, "ds", "dinsos", NULL, &token, &err) < 0)
			abort();
		buf_release(&token);
		buf_release(&err);
	}
	struct MHD_Daemon *d = mhd_conn_daemon(cookie_handler, cookie_done);
	if (size > 8192)
		size = 8192;
	struct buf req = BUF_INIT;
	buf_adds(&req, "GET /masuk HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
		       "Cookie: ");
	for (size_t i = 0; i < size; i++) {
		char c = (char)data[i];
		buf_addc(&req, (unsigned char)c < 0x20 || c == 0x7f ? ' ' : c);
	}
	buf_adds(&req, "\r\n\r\n");
	mhd_conn_request(d, &req);
	buf_release(&req);
	return 0;
}
