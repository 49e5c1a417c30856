/*
 * One HTTP request through a real libmicrohttpd connection, without a
 * network: for fuzz targets of code that only works on an MHD connection
 * (the form post processor reads the Content-Type from it; cookies are
 * split by MHD's own parser). Not a fuzz target itself (the Makefile
 * builds tests/fuzz/fuzz_*.c only); each target includes it once.
 *
 * The daemon has no listening socket and no thread: the request is
 * written into one end of a socketpair handed to MHD_add_connection, and
 * MHD_run is stepped by hand, so the handler runs on the fuzzer's thread
 * and every input is one deterministic run.
 */
#ifndef TERBIT_FUZZ_MHD_CONN_H
#define TERBIT_FUZZ_MHD_CONN_H

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/buf.h"

/* MHD_run calls before an input is given up on: a request is read,
 * answered and closed in a handful; the bound only stops a stuck run. */
#define MHD_CONN_STEPS 10000

/* MHD's complaints about malformed requests are expected here. */
static void mhd_conn_quiet(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	(void)fmt;
	(void)ap;
}

static struct MHD_Daemon *mhd_conn_daemon(MHD_AccessHandlerCallback handler,
					  MHD_RequestCompletedCallback done)
{
	static struct MHD_Daemon *d;
	if (!d)
		d = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ERROR_LOG, 0,
				     NULL, NULL, handler, NULL,
				     MHD_OPTION_NOTIFY_COMPLETED, done, NULL,
				     MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				     (size_t)(256 * 1024),
				     MHD_OPTION_EXTERNAL_LOGGER, mhd_conn_quiet, NULL,
				     MHD_OPTION_END);
	if (!d)
		abort();
	return d;
}

/* Sends the whole request (head, then body; the head must ask for
 * "Connection: close"), steps the daemon until MHD has answered and closed
 * the connection. Aborts on a harness fault
 * so that it is never mistaken for a finding of the code under test. */
static void mhd_conn_request(struct MHD_Daemon *d, const struct buf *req)
{
	int sv[2];
	struct sockaddr_in addr = { .sin_family = AF_INET,
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		abort();
	if (fcntl(sv[1], F_SETFL, O_NONBLOCK) != 0 ||
	    MHD_add_connection(d, sv[0], (const struct sockaddr *)&addr,
			       sizeof addr) != MHD_YES)
		abort();
	size_t sent = 0;
	int closed = 0;
	char sink[4096];
	for (int i = 0; i < MHD_CONN_STEPS; i++) {
		if (sent < req->len) {
			ssize_t w = send(sv[1], req->data + sent, req->len - sent,
					 MSG_NOSIGNAL);
			if (w > 0)
				sent += (size_t)w;
			else if (w < 0 && errno != EAGAIN)
				sent = req->len; /* MHD closed early: fine */
		}
		if (MHD_run(d) != MHD_YES)
			abort();
		ssize_t r;
		while ((r = read(sv[1], sink, sizeof sink)) > 0)
			;
		/* MHD answered and closed its side: close ours too. */
		if (!closed && r == 0) {
			close(sv[1]);
			closed = 1;
		}
		const union MHD_DaemonInfo *info =
			MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (closed && info && info->num_connections == 0)
			return;
	}
	abort();
}

#endif
