/*
 * Unit tests for src/http: route matching, the request pool, the rate
 * limiter, config parsing, metrics formatting, and the server's checks
 * end to end in-process (a real libmicrohttpd daemon on a loopback port,
 * a test route table and a fake database backend, spoken to over a raw
 * socket).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/html.h"
#include "core/jsonread.h"
#include "core/str.h"
#include "http/config.h"
#include "http/etag.h"
#include "http/form.h"
#include "http/handlers.h"
#include "http/metrics.h"
#include "http/page.h"
#include "http/pool.h"
#include "http/ratelimit.h"
#include "http/route.h"
#include "http/server.h"
#include "http/server_int.h"
#include "http/vcache.h"
#include "issue/verify.h"
#include "workflow/workflow.h"

/* ---- route matching ---- */

static int h_dummy(struct http_request *req, struct http_response *res,
		   struct buf *err)
{
	(void)req, (void)res, (void)err;
	return 0;
}

static const struct route table[] = {
	{ "GET", "/healthz", h_dummy, ROUTE_PUBLIC, 0, NULL, 0 },
	{ "GET", "/api/v1/cases/{id}", h_dummy, ROUTE_ANY_USER, 0, NULL, 0 },
	{ "POST", "/api/v1/cases/{id}/move", h_dummy, ROUTE_ANY_USER, 1024,
	  "application/json", 0 },
	{ "DELETE", "/api/v1/cases/{id}", h_dummy, ROUTE_ANY_USER, 0, NULL, 0 },
	{ "GET", "/v/{token}", h_dummy, ROUTE_PUBLIC, 0, NULL, 0 },
};
#define NTABLE (ARRAY_SIZE(table))

static void test_route_match(void **state)
{
	(void)state;
	struct route_params p;
	assert_int_equal(route_match("/healthz", "/healthz", &p), 1);
	assert_int_equal(p.n, 0);
	assert_int_equal(route_match("/healthz", "/healthz/", &p), 0);
	assert_int_equal(route_match("/healthz", "/health", &p), 0);
	assert_int_equal(route_match("/healthz", "/healthzz", &p), 0);
	assert_int_equal(route_match("/a/{id}/b", "/a/42/b", &p), 1);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.p[0].name_len, 2);
	assert_memory_equal(p.p[0].name, "id", 2);
	assert_int_equal(p.p[0].val_len, 2);
	assert_memory_equal(p.p[0].val, "42", 2);
	/* A capture is one whole, non-empty segment. */
	assert_int_equal(route_match("/a/{id}/b", "/a//b", &p), 0);
	assert_int_equal(route_match("/a/{id}/b", "/a/4/2/b", &p), 0);
	assert_int_equal(route_match("/a/{id}", "/a/42/", &p), 0);
	assert_int_equal(route_match("/{x}/{y}", "/1/2", &p), 1);
	assert_int_equal(p.n, 2);
	assert_memory_equal(p.p[1].val, "2", 1);
	assert_int_equal(route_match("/{a}/{b}/{c}/{d}/{e}", "/1/2/3/4/5", &p), 0);
	assert_int_equal(route_match("/x", "/x", NULL), 1);
}

static void test_route_find(void **state)
{
	(void)state;
	struct route_params p;
	struct buf allow = BUF_INIT;
	int status;
	const struct route *r = route_find(table, NTABLE, "GET", "/healthz", &p,
					   &status, &allow);
	assert_ptr_equal(r, &table[0]);
	assert_int_equal(status, 200);
	r = route_find(table, NTABLE, "HEAD", "/healthz", &p, &status, &allow);
	assert_ptr_equal(r, &table[0]);
	r = route_find(table, NTABLE, "GET", "/nope", &p, &status, &allow);
	assert_null(r);
	assert_int_equal(status, 404);
	r = route_find(table, NTABLE, "PUT", "/api/v1/cases/7", &p, &status,
		       &allow);
	assert_null(r);
	assert_int_equal(status, 405);
	assert_string_equal(allow.data, "GET, HEAD, DELETE");
	r = route_find(table, NTABLE, "POST", "/api/v1/cases/7/move", &p,
		       &status, &allow);
	assert_ptr_equal(r, &table[2]);
	assert_int_equal(p.n, 1);
	assert_memory_equal(p.p[0].val, "7", 1);
	buf_release(&allow);
}

static void test_route_types(void **state)
{
	(void)state;
	const struct route *r = &table[2];
	assert_true(route_type_ok(r, "application/json"));
	assert_true(route_type_ok(r, "Application/JSON; charset=utf-8"));
	assert_true(route_type_ok(r, "  application/json ;charset=utf-8"));
	assert_false(route_type_ok(r, "text/plain"));
	assert_false(route_type_ok(r, "application/jsonx"));
	assert_false(route_type_ok(r, NULL));
	assert_false(route_type_ok(r, "   "));
	struct route multi = { "POST", "/x", h_dummy, 0, 10,
			       "text/csv,application/json", 0 };
	assert_true(route_type_ok(&multi, "text/csv"));
	assert_true(route_type_ok(&multi, "application/json"));
	assert_false(route_type_ok(&multi, "text/csv,application/json"));
	assert_true(route_type_ok(&table[0], NULL));
}

/* ---- pool ---- */

static void test_pool(void **state)
{
	(void)state;
	struct pool *p = pool_new(256, 0);
	assert_non_null(p);
	char *prev = NULL;
	for (int i = 0; i < 1000; i++) {
		char *s = pool_alloc(p, (size_t)(i % 37) + 1);
		assert_non_null(s);
		assert_int_equal((uintptr_t)s % _Alignof(max_align_t), 0);
		assert_int_equal(s[0], 0);
		memset(s, 'x', (size_t)(i % 37) + 1);
		assert_ptr_not_equal(s, prev);
		prev = s;
	}
	char *big = pool_alloc(p, 100000);
	assert_non_null(big);
	memset(big, 1, 100000);
	/* The current chunk still serves small requests after a big one. */
	assert_non_null(pool_alloc(p, 8));
	assert_string_equal(pool_strdup(p, "token-free text"), "token-free text");
	assert_string_equal(pool_strndup(p, "abcdef", 3), "abc");
	assert_null(pool_strdup(p, NULL));
	assert_non_null(pool_alloc(p, 0));
	assert_true(pool_used(p) > 100000);
	pool_free(p);
	pool_free(NULL);
}

static void test_pool_cap(void **state)
{
	(void)state;
	struct pool *p = pool_new(1024, 8192);
	assert_non_null(p);
	int got = 0;
	while (pool_alloc(p, 512))
		got++;
	assert_true(got >= 8 && got <= 16);
	assert_true(pool_used(p) <= 8192);
	assert_null(pool_alloc(p, 100000));
	assert_null(pool_alloc(p, SIZE_MAX));
	pool_free(p);
}

/* ---- rate limiter ---- */

static void test_ratelimit(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(3, 0);
	unsigned retry = 0;
	int64_t t = 1000000;
	for (int i = 0; i < 3; i++)
		assert_int_equal(ratelimit_take(rl, "10.0.0.1", t, &retry), 1);
	assert_int_equal(ratelimit_take(rl, "10.0.0.1", t, &retry), 0);
	assert_int_equal(retry, 20); /* 3 a minute: one token every 20 s */
	/* Another address has its own bucket. */
	assert_int_equal(ratelimit_take(rl, "10.0.0.2", t, &retry), 1);
	assert_int_equal(ratelimit_take(rl, "10.0.0.1", t + 15000, &retry), 0);
	assert_int_equal(retry, 5);
	assert_int_equal(ratelimit_take(rl, "10.0.0.1", t + 20000, &retry), 1);
	assert_int_equal(ratelimit_take(rl, "10.0.0.1", t + 20000, &retry), 0);
	/* A long quiet spell refills to the cap, not beyond. */
	t += 3600 * 1000;
	for (int i = 0; i < 3; i++)
		assert_int_equal(ratelimit_take(rl, "10.0.0.1", t, &retry), 1);
	assert_int_equal(ratelimit_take(rl, "10.0.0.1", t, &retry), 0);
	ratelimit_free(rl);

	rl = ratelimit_new(0, 0);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(ratelimit_take(rl, "10.0.0.1", t, NULL), 1);
	ratelimit_free(rl);
	ratelimit_free(NULL);
}

static void test_ratelimit_eviction(void **state)
{
	(void)state;
	/* One set of 8 slots: the 9th address evicts the least recent. */
	struct ratelimit *rl = ratelimit_new(1, 8);
	char addr[32];
	for (int i = 0; i < 8; i++) {
		snprintf(addr, sizeof addr, "192.0.2.%d", i);
		assert_int_equal(ratelimit_take(rl, addr, 1000 + i, NULL), 1);
		assert_int_equal(ratelimit_take(rl, addr, 1000 + i, NULL), 0);
	}
	assert_int_equal(ratelimit_take(rl, "198.51.100.1", 2000, NULL), 1);
	/* 192.0.2.0 was the least recent: forgotten, so allowed again. */
	assert_int_equal(ratelimit_take(rl, "192.0.2.0", 2001, NULL), 1);
	/* The most recent ones are still limited. */
	assert_int_equal(ratelimit_take(rl, "192.0.2.7", 2002, NULL), 0);
	ratelimit_free(rl);
}

/* ---- config ---- */

static void test_config_defaults_and_parse(void **state)
{
	(void)state;
	struct config c;
	struct buf err = BUF_INIT;
	config_defaults(&c);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_int_equal(c.threads, 4);
	assert_int_equal(c.connection_memory, 16 * 1024);
	assert_int_equal(c.rate_limit, 600);
	const char *text = "# terbit service\n"
			   "\n"
			   "listen = 0.0.0.0:9000\n"
			   "  threads=8  \n"
			   "connection_memory = 1m\n"
			   "timeout = 2\r\n"
			   "rate_limit = 0\n"
			   "access_log = /var/log/terbit/access.log\n";
	assert_int_equal(config_parse(&c, text, "t.conf", &err), 0);
	assert_string_equal(c.listen, "0.0.0.0:9000");
	assert_int_equal(c.threads, 8);
	assert_int_equal(c.connection_memory, 1024 * 1024);
	assert_int_equal(c.timeout, 2);
	assert_int_equal(c.rate_limit, 0);
	assert_string_equal(c.access_log, "/var/log/terbit/access.log");
	/* The lane: one thread per CPU this process may use, unless set. */
	cpu_set_t cpus;
	assert_int_equal(sched_getaffinity(0, sizeof cpus, &cpus), 0);
	assert_int_equal(c.verify_threads, 0);
	assert_int_equal(lane_threads(&c), CPU_COUNT(&cpus));
	assert_int_equal(config_parse(&c, "verify_threads = 3\n", "t.conf",
				      &err), 0);
	assert_int_equal(lane_threads(&c), 3);
	assert_int_equal(config_parse(&c, "verify_threads = 257\n", "t.conf",
				      &err), TB_EINVAL);
	buf_release(&err);
}

static void test_config_errors(void **state)
{
	(void)state;
	struct config c;
	struct buf err = BUF_INIT;
	config_defaults(&c);
	assert_int_equal(config_parse(&c, "threads = 4\nthreds = 4\n", "a.conf",
				      &err), TB_EINVAL);
	assert_non_null(strstr(err.data, "a.conf:2:"));
	assert_non_null(strstr(err.data, "threds"));
	assert_int_equal(config_parse(&c, "threads = 0\n", "a.conf", &err),
			 TB_EINVAL);
	assert_int_equal(config_parse(&c, "threads = 4x\n", "a.conf", &err),
			 TB_EINVAL);
	assert_int_equal(config_parse(&c, "threads = -1\n", "a.conf", &err),
			 TB_EINVAL);
	assert_int_equal(config_parse(&c, "timeout = 99999999999999999999\n",
				      "a.conf", &err), TB_EINVAL);
	assert_int_equal(config_parse(&c, "connection_memory = 1g\n", "a.conf",
				      &err), TB_EINVAL);
	assert_int_equal(config_parse(&c, "threads\n", "a.conf", &err),
			 TB_EINVAL);
	assert_non_null(strstr(err.data, "a.conf:1:"));
	assert_int_equal(config_parse(&c, "listen =\n", "a.conf", &err),
			 TB_EINVAL);
	/* Nothing above changed a value. */
	assert_int_equal(c.threads, 4);
	assert_int_equal(config_load_file(&c, "/nonexistent/terbit.conf", &err),
			 TB_ENOTFOUND);
	buf_release(&err);
}

static void test_config_env(void **state)
{
	(void)state;
	struct config c;
	struct buf err = BUF_INIT;
	config_defaults(&c);
	setenv("TERBIT_THREADS", "2", 1);
	setenv("TERBIT_RATE_LIMIT", "30", 1);
	assert_int_equal(config_load_env(&c, &err), 0);
	assert_int_equal(c.threads, 2);
	assert_int_equal(c.rate_limit, 30);
	setenv("TERBIT_TIMEOUT", "soon", 1);
	assert_int_equal(config_load_env(&c, &err), TB_EINVAL);
	assert_non_null(strstr(err.data, "TERBIT_TIMEOUT"));
	unsetenv("TERBIT_THREADS");
	unsetenv("TERBIT_RATE_LIMIT");
	unsetenv("TERBIT_TIMEOUT");
	/* Every key is documented. */
	size_t n = 0;
	for (const struct config_key_info *k; (k = config_key(n)); n++)
		assert_true(strlen(k->help) > 10);
	assert_true(n >= 10);
	buf_release(&err);
}

/* ---- metrics ---- */

static void test_metrics_format(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	metrics_reset();
	metrics_request("/healthz", "GET", 200, 0.0004);
	metrics_request("/healthz", "GET", 200, 0.2);
	metrics_request("/healthz", "HEAD", 200, 0.003);
	metrics_request(NULL, "BREW", 404, 0.0001);
	metrics_request("/x/\"q\"", "GET", 500, 20);
	metrics_inc(METRIC_DOCUMENTS_ISSUED, "spm");
	metrics_inc(METRIC_DOCUMENTS_ISSUED, "spm");
	metrics_inc(METRIC_VERIFICATIONS, "revoked");
	assert_int_equal(metrics_render(&out), 0);
	const char *want[] = {
		"# TYPE terbit_http_requests_total counter\n",
		"terbit_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2\n",
		"terbit_http_requests_total{route=\"/healthz\",method=\"HEAD\",status=\"200\"} 1\n",
		"terbit_http_requests_total{route=\"none\",method=\"other\",status=\"404\"} 1\n",
		"route=\"/x/\\\"q\\\"\"",
		"# TYPE terbit_http_request_duration_seconds histogram\n",
		"terbit_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.001\"} 1\n",
		"terbit_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"} 2\n",
		"terbit_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.25\"} 3\n",
		"terbit_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 3\n",
		"terbit_http_request_duration_seconds_count{route=\"/healthz\"} 3\n",
		"terbit_http_request_duration_seconds_sum{route=\"/healthz\"} 0.203400\n",
		"terbit_http_request_duration_seconds_bucket{route=\"/x/\\\"q\\\"\",le=\"10\"} 0\n",
		"terbit_http_request_duration_seconds_bucket{route=\"/x/\\\"q\\\"\",le=\"+Inf\"} 1\n",
		"# HELP terbit_documents_issued_total ",
		"terbit_documents_issued_total{kind=\"spm\"} 2\n",
		"terbit_verifications_total{result=\"revoked\"} 1\n",
		"terbit_metrics_dropped_total 0\n",
	};
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		if (!strstr(out.data, want[i]))
			fail_msg("missing %s in:\n%s", want[i], out.data);
	/* Every line is a comment or "name{labels} value". */
	for (const char *l = out.data; *l; l = strchr(l, '\n') + 1)
		assert_true(l[0] == '#' || strncmp(l, "terbit_", 7) == 0);
	metrics_reset();
	buf_reset(&out);
	assert_int_equal(metrics_render(&out), 0);
	assert_null(strstr(out.data, "/healthz"));
	buf_release(&out);
}

static void test_metrics_cap(void **state)
{
	(void)state;
	char route[32];
	struct buf out = BUF_INIT;
	metrics_reset();
	for (int i = 0; i < 100; i++) {
		snprintf(route, sizeof route, "/r%d", i);
		metrics_request(route, "GET", 200, 0.01);
	}
	assert_int_equal(metrics_render(&out), 0);
	assert_null(strstr(out.data, "terbit_metrics_dropped_total 0\n"));
	metrics_reset();
	buf_release(&out);
}

/* ---- the server, in-process ---- */

static atomic_int opens, closes;
static char fake_db; /* any non-NULL handle: the fake never dereferences it */

static int fake_open(const char *dir, struct store **out, struct buf *err)
{
	(void)dir, (void)err;
	atomic_fetch_add(&opens, 1);
	*out = (struct store *)(void *)&fake_db;
	return 0;
}

static void fake_close(struct store *s)
{
	assert_ptr_equal(s, (struct store *)(void *)&fake_db);
	atomic_fetch_add(&closes, 1);
}

static int fake_authenticate(struct store *s, enum cases_cred kind,
			     const char *secret, struct cases_actor *a,
			     struct buf *err)
{
	(void)s;
	static const struct {
		const char *token, *name;
		enum role role;
	} users[] = { { "tok-desa", "operator1", ROLE_DESA },
		      { "tok-admin", "root", ROLE_ADMIN },
		      { "sess-desa", "operator1", ROLE_DESA } };
	/* Bearer tokens on API rows, session ids on web rows: never
	 * crossed. */
	size_t from = kind == CASES_CRED_SESSION ? 2 : 0;
	size_t to = kind == CASES_CRED_SESSION ? 3 : 2;
	for (size_t i = from; i < to; i++)
		if (strcmp(secret, users[i].token) == 0) {
			memset(a, 0, sizeof *a);
			snprintf(a->name, sizeof a->name, "%s", users[i].name);
			a->role = users[i].role;
			return 0;
		}
	return tb_err(err, TB_EAUTH, "no such token");
}

static int fake_ping(struct store *s, struct buf *err)
{
	(void)s, (void)err;
	return 0;
}

/* The last refused credential's audit row, as the server described it. */
static atomic_int unauth;
static char unauth_row[256];

static int fake_audit_unauth(struct store *s, const char *client,
			     const char *what, const char *why, struct buf *err)
{
	(void)s, (void)err;
	snprintf(unauth_row, sizeof unauth_row, "%s|%s|%s", client, what, why);
	atomic_fetch_add(&unauth, 1);
	return 0;
}

static const struct http_backend fake_backend = {
	.open = fake_open,
	.close = fake_close,
	.audit_unauth = fake_audit_unauth,
	.authenticate = fake_authenticate,
	.ping = fake_ping,
};

static int h_whoami(struct http_request *req, struct http_response *res,
		    struct buf *err)
{
	(void)err;
	res->content_type = "text/plain";
	return buf_addf(&res->body, "%s %s %s", req->actor->name,
			role_name(req->actor->role), http_param(req, "id"));
}

static int h_echo(struct http_request *req, struct http_response *res,
		  struct buf *err)
{
	(void)err;
	res->content_type = "text/plain";
	const char *q = http_query(req, "q");
	return buf_addf(&res->body, "%zu:%s:%s", req->body.len, req->body.data,
			q ? q : "-");
}

static int h_slow(struct http_request *req, struct http_response *res,
		  struct buf *err)
{
	(void)req, (void)err;
	struct timespec ts = { 0, 300 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	return buf_adds(&res->body, "done");
}

static int h_fail(struct http_request *req, struct http_response *res,
		  struct buf *err)
{
	(void)req, (void)res;
	return tb_err(err, TB_EREFUSED, "kasus belum disetujui");
}

static const struct route test_routes[] = {
	{ "GET", "/who/{id}", h_whoami, ROUTE_ROLE(ROLE_DESA), 0, NULL, 0 },
	{ "POST", "/echo", h_echo, ROUTE_PUBLIC, 16, "text/plain", 0 },
	{ "GET", "/slow", h_slow, ROUTE_PUBLIC, 0, NULL, 0 },
	{ "GET", "/fail", h_fail, ROUTE_PUBLIC, 0, NULL, 0 },
};

struct fixture {
	struct config cfg;
	struct http_server *srv;
	unsigned port;
};

static int server_up(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct buf err = BUF_INIT;
	config_defaults(&f->cfg);
	config_set(&f->cfg, "listen", "127.0.0.1:0", NULL);
	config_set(&f->cfg, "threads", "2", NULL);
	config_set(&f->cfg, "access_log", "off", NULL);
	config_set(&f->cfg, "rate_limit", "1000", NULL);
	atomic_store(&opens, 0);
	atomic_store(&closes, 0);
	int rc = http_server_start(&f->cfg, &fake_backend, test_routes,
				   ARRAY_SIZE(test_routes),
				   &f->srv, &err);
	if (rc < 0)
		fprintf(stderr, "start: %s\n", err.data);
	buf_release(&err);
	f->port = rc < 0 ? 0 : http_server_port(f->srv);
	*state = f;
	return rc < 0 ? -1 : 0;
}

static int server_down(void **state)
{
	struct fixture *f = *state;
	http_server_stop(f->srv);
	/* Every thread's database handle is closed with the server. */
	int ok = atomic_load(&opens) == atomic_load(&closes);
	free(f);
	return ok ? 0 : -1;
}

/* Sends req (which should say "Connection: close") and returns the whole
 * answer in out. */
static void exchange(unsigned port, const char *req, struct buf *out)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	size_t n = strlen(req);
	assert_int_equal(send(fd, req, n, MSG_NOSIGNAL), (ssize_t)n);
	buf_reset(out);
	char chunk[4096];
	ssize_t got;
	while ((got = recv(fd, chunk, sizeof chunk, 0)) > 0)
		buf_add(out, chunk, (size_t)got);
	close(fd);
}

/* Like exchange, for a request the server may cut off while it is being
 * sent. */
static void exchange_lossy(unsigned port, const char *req, struct buf *out)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	size_t n = strlen(req), off = 0;
	while (off < n) {
		ssize_t w = send(fd, req + off, n - off, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	buf_reset(out);
	char chunk[4096];
	ssize_t got;
	while ((got = recv(fd, chunk, sizeof chunk, 0)) > 0)
		buf_add(out, chunk, (size_t)got);
	close(fd);
}

static void expect(unsigned port, const char *req, const char *status,
		   const char *also)
{
	struct buf out = BUF_INIT;
	exchange(port, req, &out);
	if (strncmp(out.data, status, strlen(status)) != 0 ||
	    (also && !strstr(out.data, also)))
		fail_msg("request:\n%s\nwanted %s / %s, got:\n%s", req, status,
			 also ? also : "", out.data);
	buf_release(&out);
}

/* ---- browser rows (ROUTE_WEB) on the same server ---- */

static atomic_int denied;

static int fake_audit_denied(struct store *s, const struct cases_actor *a,
			     const char *what, const char *object,
			     struct buf *err)
{
	(void)s, (void)err;
	assert_string_equal(a->name, "operator1");
	assert_string_equal(what, "GET /w/dinsos");
	assert_string_equal(object, "-");
	atomic_fetch_add(&denied, 1);
	return 0;
}

/* The web module's part, faked: "PAGE <status> <code>", and a 401 sent
 * to sign in. */
static int fake_error_page(struct http_request *req, struct http_response *res,
			   int status, int code, const char *detail)
{
	(void)req, (void)detail;
	res->content_type = "text/html";
	if (code == TB_EAUTH) {
		res->status = 303;
		http_res_header(res, "Location", "/masuk");
	}
	return buf_addf(&res->body, "PAGE %d %d", status, code);
}

static const struct http_web fake_web = { "sid", fake_error_page };

static const struct http_backend web_backend = {
	.open = fake_open,
	.close = fake_close,
	.authenticate = fake_authenticate,
	.ping = fake_ping,
	.audit_denied = fake_audit_denied,
	.web = &fake_web,
};

static int h_form(struct http_request *req, struct http_response *res,
		  struct buf *err)
{
	(void)err;
	const char *a = http_form_get(req->form, "a");
	const struct http_file *f = http_form_get_file(req->form, "f");
	res->content_type = "text/plain";
	return buf_addf(&res->body, "a=%s body=%zu file=%s:%zu:%.*s", a ? a : "-",
			req->body.len, f ? f->filename : "-", f ? f->len : 0,
			f ? (int)f->len : 0, f ? f->data : "");
}

static const struct route web_routes[] = {
	{ "GET", "/w/desa", h_whoami, ROUTE_ROLE(ROLE_DESA), 0, NULL, ROUTE_WEB },
	{ "GET", "/w/dinsos", h_whoami, ROUTE_ROLE(ROLE_DINSOS), 0, NULL, ROUTE_WEB },
	{ "POST", "/w/form", h_form, ROUTE_PUBLIC, 100,
	  "application/x-www-form-urlencoded,multipart/form-data", ROUTE_WEB },
	{ "GET", "/api/x", h_whoami, ROUTE_ROLE(ROLE_DESA), 0, NULL, 0 },
};

static void test_server_web(void **state)
{
	(void)state;
	struct config cfg;
	struct http_server *srv;
	config_defaults(&cfg);
	config_set(&cfg, "listen", "127.0.0.1:0", NULL);
	config_set(&cfg, "threads", "1", NULL);
	config_set(&cfg, "access_log", "off", NULL);
	atomic_store(&denied, 0);
	assert_int_equal(http_server_start(&cfg, &web_backend, web_routes,
					   ARRAY_SIZE(web_routes),
					   &srv, NULL), 0);
	unsigned port = http_server_port(srv);
#define RQ(line, extra) line " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" extra "\r\n"
	/* Signed in by the cookie, not by a bearer token. */
	expect(port, RQ("GET /w/desa", "Cookie: sid=sess-desa\r\n"), "HTTP/1.1 200",
	       "operator1 desa");
	expect(port, RQ("GET /w/desa", "Authorization: Bearer tok-desa\r\n"),
	       "HTTP/1.1 303", "PAGE 401 -6");
	expect(port, RQ("GET /w/desa", "Cookie: sid=tok-desa\r\n"), "HTTP/1.1 303",
	       "Location: /masuk");
	/* The role refused: the page, and the API's audit row. */
	expect(port, RQ("GET /w/dinsos", "Cookie: sid=sess-desa\r\n"),
	       "HTTP/1.1 403", "PAGE 403 -3");
	assert_int_equal(atomic_load(&denied), 1);
	/* Pages for unknown paths outside /api/; JSON inside it. */
	expect(port, RQ("GET /nope", "Accept: text/html\r\n"), "HTTP/1.1 404",
	       "PAGE 404 -2");
	expect(port, RQ("GET /nope", ""), "HTTP/1.1 404", "\"error\"");
	expect(port, RQ("GET /api/nope", "Accept: text/html\r\n"), "HTTP/1.1 404",
	       "\"error\"");
	expect(port, RQ("GET /api/x", "Cookie: sid=sess-desa\r\n"), "HTTP/1.1 401",
	       "WWW-Authenticate: Bearer");
	/* Forms parsed into req->form, the raw body not kept. */
	expect(port, RQ("POST /w/form", "Content-Type: application/x-www-form-urlencoded\r\n"
		       "Content-Length: 9\r\n") "a=x%26y+z",
	       "HTTP/1.1 200", "a=x&y z body=0 file=-");
	expect(port, RQ("POST /w/form", "Content-Type: multipart/form-data; boundary=XX\r\n"
		       "Content-Length: 80\r\n")
		       "--XX\r\nContent-Disposition: form-data; name=\"f\"; "
		       "filename=\"a.txt\"\r\n\r\nhi\r\n--XX--\r\n",
	       "HTTP/1.1 200", "file=a.txt:2:hi");
	expect(port, RQ("POST /w/form", "Content-Type: application/x-www-form-urlencoded\r\n"
		       "Transfer-Encoding: chunked\r\n") "70\r\na=01234567890123456789"
		       "0123456789012345678901234567890123456789012345678901234567890123"
		       "45678901234567890123456789\r\n0\r\n\r\n",
	       "HTTP/1.1 413", "PAGE 413 -7");
#undef RQ
	http_server_stop(srv);
}

/* ---- the lane (lane.c): its own reader for the rows flagged ROUTE_LANE ---- */

static const struct route lane_routes[] = {
	{ "GET", "/w/desa", h_whoami, ROUTE_ROLE(ROLE_DESA), 0, NULL, ROUTE_WEB },
	{ "POST", "/w/form", h_form, ROUTE_PUBLIC, 100,
	  "application/x-www-form-urlencoded", ROUTE_LANE },
	{ "POST", "/echo", h_echo, ROUTE_PUBLIC, 16, "text/plain", ROUTE_LANE },
	{ "GET", "/fail", h_fail, ROUTE_PUBLIC, 0, NULL, ROUTE_LANE },
	{ "GET", "/slow", h_slow, ROUTE_PUBLIC, 0, NULL, 0 },
};

/* A lane row with a role: a mistake in the table, refused at start. */
static const struct route lane_bad_routes[] = {
	{ "GET", "/who/{id}", h_whoami, ROUTE_ROLE(ROLE_DESA), 0, NULL, ROUTE_LANE },
};

static void test_server_lane(void **state)
{
	(void)state;
	struct config cfg;
	struct http_server *srv;
	struct buf err = BUF_INIT;
	config_defaults(&cfg);
	config_set(&cfg, "listen", "127.0.0.1:0", NULL);
	config_set(&cfg, "threads", "2", NULL);
	config_set(&cfg, "access_log", "off", NULL);
	config_set(&cfg, "rate_limit", "0", NULL);
	assert_int_equal(http_server_start(&cfg, &web_backend, lane_bad_routes, 1,
					   &srv, NULL), 0);
	assert_int_equal(http_server_lane(srv, "127.0.0.1:0", &err), TB_EINTERNAL);
	assert_non_null(strstr(err.data, "/who/{id}"));
	assert_int_equal(http_server_lane_port(srv), 0);
	http_server_stop(srv);

	assert_int_equal(http_server_start(&cfg, &web_backend, lane_routes,
					   ARRAY_SIZE(lane_routes), &srv, NULL), 0);
	assert_int_equal(http_server_lane(srv, "127.0.0.1:nope", &err), TB_EINVAL);
	assert_int_equal(http_server_lane(srv, "127.0.0.1:0", &err), 0);
	assert_int_equal(http_server_lane(srv, "127.0.0.1:0", &err), TB_EINVAL);
	unsigned port = http_server_lane_port(srv);
	assert_true(port > 0 && port != http_server_port(srv));
#define RQ(line, extra) line " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" extra "\r\n"
	/* Its rows, their forms parsed as libmicrohttpd's side parses them. */
	expect(port, RQ("POST /w/form", "Content-Type: application/x-www-form-urlencoded\r\n"
		       "Content-Length: 9\r\n") "a=x%26y+z",
	       "HTTP/1.1 200", "a=x&y z body=0 file=-");
	expect(port, RQ("POST /echo?x=1&q=a%20b+c&q=2", "Content-Type: text/plain\r\n"
		       "Content-Length: 5\r\n") "hello", "HTTP/1.1 200", "5:hello:a b c");
	expect(port, RQ("POST /echo?q", "Content-Type: text/plain\r\n"
		       "Content-Length: 1\r\n") "x", "HTTP/1.1 200", "\r\n\r\n1:x:");
	expect(port, RQ("POST /echo", "Content-Type: text/plain\r\nContent-Length: 17\r\n")
		       "0123456789abcdefg", "HTTP/1.1 413", "too_large");
	expect(port, RQ("POST /echo", "Content-Type: text/csv\r\nContent-Length: 1\r\n") "x",
	       "HTTP/1.1 415", NULL);
	/* A handler's error is the JSON error, as on the main listener. */
	expect(port, RQ("GET /fail", ""), "HTTP/1.1 422", "\"error\"");
	/* Not its rows: a web page, a row without the flag, a POST that
	 * only the main listener takes. */
	expect(port, RQ("GET /w/desa", "Cookie: sid=sess-desa\r\n"), "HTTP/1.1 404",
	       "on this listener");
	expect(port, RQ("GET /slow", ""), "HTTP/1.1 404", "on this listener");
	expect(port, RQ("PUT /echo", ""), "HTTP/1.1 405", "Allow: POST");
	/* The main listener still serves the web row. */
	expect(http_server_port(srv), RQ("GET /w/desa", "Cookie: sid=sess-desa\r\n"),
	       "HTTP/1.1 200", "operator1 desa");
	/* Drained with the server: the lane refuses new connections too. */
	assert_int_equal(http_server_drain(srv, 1000), 0);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_not_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	close(fd);
#undef RQ
	http_server_stop(srv);
	buf_release(&err);
}

static void test_server_auth(void **state)
{
	unsigned port = ((struct fixture *)*state)->port;
	atomic_store(&unauth, 0);
	expect(port, "GET /who/7 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
	       "HTTP/1.1 401", "WWW-Authenticate: Bearer");
	assert_string_equal(unauth_row, "127.0.0.1|GET /who/{id}|tanpa header "
					"Authorization");
	expect(port, "GET /who/7 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
		     "Authorization: Basic eDp5\r\n\r\n",
	       "HTTP/1.1 401", "\"error\":\"unauthorized\"");
	expect(port, "GET /who/7 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
		     "Authorization: Bearer nope-secret\r\n\r\n",
	       "HTTP/1.1 401", "token is not known");
	/* Every 401 audited, with the address and the reason, never the
	 * token. */
	assert_int_equal(atomic_load(&unauth), 3);
	assert_null(strstr(unauth_row, "nope-secret"));
	assert_non_null(strstr(unauth_row, "127.0.0.1|GET /who/{id}|token tidak"));
	expect(port, "GET /who/7 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
		     "Authorization: Bearer tok-admin\r\n\r\n",
	       "HTTP/1.1 403", "\"error\":\"forbidden\"");
	expect(port, "GET /who/7 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
		     "Authorization: Bearer tok-desa\r\n\r\n",
	       "HTTP/1.1 200", "\r\n\r\noperator1 desa 7");
	/* libmicrohttpd decodes the path before matching. */
	expect(port, "GET /who/%41b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
		     "Authorization: bearer tok-desa\r\n\r\n",
	       "HTTP/1.1 200", "operator1 desa Ab");
}

static void test_server_body(void **state)
{
	unsigned port = ((struct fixture *)*state)->port;
	expect(port, "POST /echo?q=x%20y HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
		     "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
	       "HTTP/1.1 200", "5:hello:x y");
	expect(port, "POST /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
		     "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
	       "HTTP/1.1 415", "unsupported_media_type");
	expect(port, "POST /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
		     "Content-Length: 2\r\n\r\nhi",
	       "HTTP/1.1 415", NULL);
	/* Over the limit by Content-Length: refused before the body. */
	expect(port, "POST /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
		     "Content-Type: text/plain\r\nContent-Length: 17\r\n\r\n"
		     "0123456789abcdefg",
	       "HTTP/1.1 413", "too_large");
	/* Exactly at the limit is fine. */
	expect(port, "POST /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
		     "Content-Type: text/plain\r\nContent-Length: 16\r\n\r\n"
		     "0123456789abcdef",
	       "HTTP/1.1 200", "16:0123456789abcdef:-");
	/* Chunked: the limit is found while streaming. */
	expect(port, "POST /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
		     "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
		     "a\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n",
	       "HTTP/1.1 413", "too_large");
	expect(port, "POST /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
		     "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
		     "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
	       "HTTP/1.1 200", "5:abcde:-");
	/* Far over the limit, chunked: at most 64 KiB more is read and
	 * dropped, then the connection is closed, never a 200. */
	struct buf big = BUF_INIT, out = BUF_INIT;
	buf_adds(&big, "POST /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
		       "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
	for (int i = 0; i < 200; i++) {
		buf_adds(&big, "400\r\n");
		for (int k = 0; k < 1024; k++)
			buf_addc(&big, 'a');
		buf_adds(&big, "\r\n");
	}
	buf_adds(&big, "0\r\n\r\n");
	exchange_lossy(port, big.data, &out);
	assert_true(out.len == 0 || strncmp(out.data, "HTTP/1.1 413", 12) == 0);
	buf_release(&big);
	buf_release(&out);
	/* A body on a route that takes none. */
	expect(port, "GET /slow HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
		     "Content-Length: 1\r\n\r\nx",
	       "HTTP/1.1 413", NULL);
}

static void test_server_errors(void **state)
{
	unsigned port = ((struct fixture *)*state)->port;
	expect(port, "GET /nope HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
	       "HTTP/1.1 404", "{\"error\":\"not_found\"");
	expect(port, "DELETE /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
	       "HTTP/1.1 405", "Allow: POST");
	expect(port, "GET /fail HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
	       "HTTP/1.1 422",
	       "{\"error\":\"unprocessable\",\"message\":\"A rule is not met: "
	       "a requirement is missing or the case is not eligible.\","
	       "\"detail\":\"kasus belum disetujui\"}");
	expect(port, "GET * HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
	       "HTTP/1.1 400", NULL);
	expect(port, "GET /slow HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
		     "Content-Length: x\r\n\r\n",
	       "HTTP/1.1 400", NULL);
	expect(port, "HEAD /slow HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
	       "HTTP/1.1 200", "Cache-Control: no-store");
}

struct bg {
	unsigned port;
	struct buf out;
};

static void *bg_slow(void *arg)
{
	struct bg *b = arg;
	exchange(b->port,
		 "GET /slow HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
		 &b->out);
	return NULL;
}

/* Drain: the request in flight finishes with its whole answer, and new
 * connections are refused. */
static void test_server_drain(void **state)
{
	struct fixture *f = *state;
	struct bg b = { f->port, BUF_INIT };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, bg_slow, &b), 0);
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	assert_int_equal(http_server_drain(f->srv, 5000), 0);
	pthread_join(t, NULL);
	assert_non_null(strstr(b.out.data, "HTTP/1.1 200"));
	assert_non_null(strstr(b.out.data, "Connection: close"));
	assert_non_null(strstr(b.out.data, "\r\n\r\ndone"));
	buf_release(&b.out);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)f->port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_not_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	close(fd);
}

static void test_server_bad_listen(void **state)
{
	(void)state;
	struct config c;
	struct http_server *srv = NULL;
	struct buf err = BUF_INIT;
	config_defaults(&c);
	const char *bad[] = { "8080", "127.0.0.1:", "127.0.0.1:http",
			      "999.1.1.1:80", "[::1:80" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(c.listen, sizeof c.listen, "%s", bad[i]);
		assert_int_equal(http_server_start(&c, &fake_backend, test_routes,
						   1, &srv, &err),
				 TB_EINVAL);
	}
	snprintf(c.listen, sizeof c.listen, "127.0.0.1:0");
	c.threads = 8;
	c.max_connections = 4;
	assert_int_equal(http_server_start(&c, &fake_backend, test_routes, 1,
					   &srv, &err),
			 TB_EINVAL);
	assert_non_null(strstr(err.data, "max_connections"));
	buf_release(&err);
}

/* ---- the error writer, the verifier page, the service's table ---- */

static void test_error_writer(void **state)
{
	(void)state;
	struct http_response res = { .status = 200 };
	buf_init(&res.body, 0);
	assert_int_equal(http_res_error(&res, 0, TB_EREFUSED, "rujukan belum ada"), 0);
	assert_int_equal(res.status, 422);
	assert_string_equal(res.body.data,
			    "{\"error\":\"unprocessable\",\"message\":\"A rule is not "
			    "met: a requirement is missing or the case is not "
			    "eligible.\",\"detail\":\"rujukan belum ada\"}\n");
	/* A server fault's text stays in the log. */
	assert_int_equal(http_res_error(&res, 0, TB_EDB, "SQL: no such table"), 0);
	assert_int_equal(res.status, 500);
	assert_null(strstr(res.body.data, "SQL"));
	assert_non_null(strstr(res.body.data, "\"message\":\"A database failure"));
	/* Every code has an English sentence; no detail, no member. */
	for (int code = TB_EINVAL; code >= TB_EMETHOD; code--) {
		assert_int_equal(http_res_error(&res, 0, code, NULL), 0);
		assert_non_null(strstr(res.body.data, "\"message\":\""));
		assert_null(strstr(res.body.data, "detail"));
	}
	buf_release(&res.body);
}

/* The verifier's answer cache: a hit only for the same token, kind,
 * database stamp and day; anything moving makes it a miss. */
static void test_vcache(void **state)
{
	(void)state;
	struct vcache *c = vcache_new();
	struct store_stamp st = { 7, 0 }, other = { 8, 0 }, own = { 7, 1 };
	const char *body;
	size_t len;
	int vs;
	assert_non_null(c);
	assert_int_equal(vcache_get(c, "TOK", &st, 100, VCACHE_JSON, &body, &len, &vs),
			 TB_ENOTFOUND);
	/* A token's first answer is only marked seen; its second is kept. */
	assert_int_equal(vcache_put(c, "TOK", &st, 100, VCACHE_JSON, 2, "{json}", 6), 0);
	assert_int_equal(vcache_get(c, "TOK", &st, 100, VCACHE_JSON, &body, &len, &vs),
			 TB_ENOTFOUND);
	assert_int_equal(vcache_put(c, "TOK", &st, 100, VCACHE_JSON, 2, "{json}", 6), 0);
	assert_int_equal(vcache_get(c, "TOK", &st, 100, VCACHE_JSON, &body, &len, &vs), 0);
	assert_int_equal(len, 6);
	assert_memory_equal(body, "{json}", 6);
	assert_int_equal(vs, 2);
	/* The page is kept apart, next to the JSON. */
	assert_int_equal(vcache_get(c, "TOK", &st, 100, VCACHE_PAGE, &body, &len, &vs),
			 TB_ENOTFOUND);
	assert_int_equal(vcache_put(c, "TOK", &st, 100, VCACHE_PAGE, 2, "<p>", 3), 0);
	assert_int_equal(vcache_get(c, "TOK", &st, 100, VCACHE_JSON, &body, &len, &vs), 0);
	assert_int_equal(vcache_get(c, "TOK", &st, 100, VCACHE_PAGE, &body, &len, &vs), 0);
	assert_int_equal(len, 3);
	/* Another token (one letter off, a prefix), another commit anywhere,
	 * a change through this handle, another day: all misses. */
	assert_int_equal(vcache_get(c, "TOX", &st, 100, VCACHE_JSON, &body, &len, &vs),
			 TB_ENOTFOUND);
	assert_int_equal(vcache_get(c, "TO", &st, 100, VCACHE_JSON, &body, &len, &vs),
			 TB_ENOTFOUND);
	assert_int_equal(vcache_get(c, "TOK", &other, 100, VCACHE_JSON, &body, &len, &vs),
			 TB_ENOTFOUND);
	assert_int_equal(vcache_get(c, "TOK", &own, 100, VCACHE_JSON, &body, &len, &vs),
			 TB_ENOTFOUND);
	assert_int_equal(vcache_get(c, "TOK", &st, 101, VCACHE_JSON, &body, &len, &vs),
			 TB_ENOTFOUND);
	/* A new answer under the new stamp drops the old page with it. */
	assert_int_equal(vcache_put(c, "TOK", &other, 100, VCACHE_JSON, 1, "{r}", 3), 0);
	assert_int_equal(vcache_get(c, "TOK", &other, 100, VCACHE_JSON, &body, &len, &vs), 0);
	assert_int_equal(vs, 1);
	assert_int_equal(vcache_get(c, "TOK", &other, 100, VCACHE_PAGE, &body, &len, &vs),
			 TB_ENOTFOUND);
	/* Tokens past the cap are never kept. */
	char big[VCACHE_TOKEN_MAX + 2];
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(vcache_put(c, big, &st, 100, VCACHE_JSON, 0, "x", 1), TB_EINVAL);
	assert_int_equal(vcache_get(c, big, &st, 100, VCACHE_JSON, &body, &len, &vs),
			 TB_ENOTFOUND);
	/* Many tokens, each answered once: (nearly) none kept, so they push
	 * out no answer that was asked for twice. */
	char tok[32], want[32];
	int kept = 0;
	for (int i = 0; i < VCACHE_SLOTS; i++) {
		snprintf(tok, sizeof tok, "U%d", i);
		assert_int_equal(vcache_put(c, tok, &st, 100, VCACHE_JSON, 0, tok,
					    strlen(tok)), 0);
		kept += vcache_get(c, tok, &st, 100, VCACHE_JSON, &body, &len, &vs) == 0;
	}
	assert_true(kept < VCACHE_SLOTS / 10);
	assert_int_equal(vcache_get(c, "TOK", &other, 100, VCACHE_JSON, &body, &len, &vs), 0);
	/* Many tokens, each answered twice: each one found is its own
	 * answer, never another's. */
	for (int i = 0; i < 3 * VCACHE_SLOTS; i++) {
		snprintf(tok, sizeof tok, "T%d", i);
		for (int twice = 0; twice < 2; twice++)
			assert_int_equal(vcache_put(c, tok, &st, 100, VCACHE_JSON, 0,
						    tok, strlen(tok)), 0);
	}
	int hits = 0;
	for (int i = 0; i < 3 * VCACHE_SLOTS; i++) {
		snprintf(tok, sizeof tok, "T%d", i);
		if (vcache_get(c, tok, &st, 100, VCACHE_JSON, &body, &len, &vs) != 0)
			continue;
		hits++;
		snprintf(want, sizeof want, "%.*s", (int)len, body);
		assert_string_equal(want, tok);
	}
	assert_true(hits > 0 && hits <= VCACHE_SLOTS);
	vcache_free(c);
	vcache_free(NULL);
}

static void test_page_escape(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_int_equal(html_escape(&b, "<a href=\"x\">&'</a>"), 0);
	assert_string_equal(b.data,
			    "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
	buf_release(&b);
}

static void test_page_states(void **state)
{
	(void)state;
	static const char *const words[] = { "SAH", "DICABUT", "DIGANTI",
					     "KEDALUWARSA", "TIDAK SAH",
					     "TIDAK SAH" };
	static const enum verify_state states[] = {
		VERIFY_VALID, VERIFY_REVOKED, VERIFY_SUPERSEDED,
		VERIFY_EXPIRED, VERIFY_UNKNOWN, VERIFY_FORGED };
	for (size_t i = 0; i < 6; i++) {
		struct verify_result r;
		struct buf b = BUF_INIT, want = BUF_INIT;
		memset(&r, 0, sizeof r);
		r.state = states[i];
		r.found = states[i] <= VERIFY_EXPIRED;
		snprintf(r.detail, sizeof r.detail, "alasan <script>x</script>");
		snprintf(r.doc.serial, sizeof r.doc.serial, "0123456789ABCDEF");
		snprintf(r.doc.kind, sizeof r.doc.kind, "letter");
		snprintf(r.doc.number, sizeof r.doc.number, "400.9/0001/2026");
		snprintf(r.doc.name, sizeof r.doc.name, "Siti <b>Aminah</b>");
		snprintf(r.doc.nik, sizeof r.doc.nik, "3510014101900001");
		snprintf(r.doc.office, sizeof r.doc.office, "Dinas \"Sosial\" & Co");
		snprintf(r.doc.faskes, sizeof r.doc.faskes, "Puskesmas Licin");
		snprintf(r.doc.superseded_by, sizeof r.doc.superseded_by,
			 "FEDCBA9876543210");
		r.doc.issued_day = 20415;
		r.doc.expires_day = 20780;
		snprintf(r.superseded_number, sizeof r.superseded_number,
			 "400.9/0002/2026");
		/* 2026-11-30T03:30:00Z, and each NIK answer in turn. */
		struct page_check c = { .now = 1796009400,
					.nik = (enum page_nik)(i % 4) };
		assert_int_equal(page_verify(&b, &r, &c), 0);
		assert_non_null(strstr(b.data, "Diperiksa 30 November 2026 pukul "
					       "10.30 WIB"));
		assert_null(memchr(b.data, PAGE_TIME_MARK, b.len));
		/* The form and its answer only for a registry row. */
		assert_int_equal(strstr(b.data, "name=\"nik\"") != NULL, r.found);
		assert_int_equal(strstr(b.data, "NIK COCOK") != NULL,
				 r.found && c.nik == PAGE_NIK_MATCH);
		assert_int_equal(strstr(b.data, "NIK TIDAK COCOK") != NULL,
				 r.found && c.nik == PAGE_NIK_MISMATCH);
		assert_int_equal(strstr(b.data, "400.9/0002/2026") != NULL,
				 states[i] == VERIFY_SUPERSEDED);
		assert_int_equal(strstr(b.data, "351001******0001") != NULL,
				 r.found);
		assert_string_equal(page_status_word(states[i]), words[i]);
		buf_addf(&want, "<div class=\"w\">%s</div>", words[i]);
		if (!strstr(b.data, want.data))
			fail_msg("state %zu: no %s in %s", i, want.data, b.data);
		assert_true(b.len < 10240);
		/* One script: ours, installing the offline verifier. */
		const char *js = strstr(b.data, "<script");
		assert_non_null(js);
		assert_memory_equal(js, "<script src=\"" PAGE_SW_REGISTER "\"",
				    strlen("<script src=\"" PAGE_SW_REGISTER "\""));
		assert_null(strstr(js + 1, "<script"));
		assert_null(strstr(b.data, "<b>"));
		assert_null(strstr(b.data, "3510014101900001"));
		assert_int_equal(strstr(b.data, "Puskesmas Licin") != NULL,
				 r.found);
		if (r.found)
			assert_non_null(strstr(b.data, "Dinas &quot;Sosial&quot; &amp; Co"));
		/* The cached form: one mark where the time goes, and
		 * page_stamp gives the same page as writing the time. */
		struct buf kept = BUF_INIT, stamped = BUF_INIT;
		struct page_check unstamped = { .now = -1, .nik = c.nik };
		assert_int_equal(page_verify(&kept, &r, &unstamped), 0);
		const char *mark = memchr(kept.data, PAGE_TIME_MARK, kept.len);
		assert_non_null(mark);
		assert_null(memchr(mark + 1, PAGE_TIME_MARK,
				   kept.len - (size_t)(mark - kept.data) - 1));
		assert_int_equal(page_stamp(&stamped, kept.data, kept.len,
					    1796009400), 0);
		assert_int_equal(stamped.len, b.len);
		assert_memory_equal(stamped.data, b.data, b.len);
		buf_release(&kept);
		buf_release(&stamped);
		buf_release(&b);
		buf_release(&want);
	}
}

/* A card's number on the page is the card's own print (fmt_card_number,
 * the layouts' |card), and the kind is named as the card names itself. */
static void test_verify_page_card(void **state)
{
	(void)state;
	struct verify_result r;
	struct buf b = BUF_INIT;
	memset(&r, 0, sizeof r);
	r.state = VERIFY_SUPERSEDED;
	r.found = 1;
	snprintf(r.doc.kind, sizeof r.doc.kind, "card");
	snprintf(r.doc.number, sizeof r.doc.number, "3510260000017");
	snprintf(r.superseded_number, sizeof r.superseded_number,
		 "3510260000025");
	snprintf(r.doc.superseded_by, sizeof r.doc.superseded_by,
		 "FEDCBA9876543210");
	snprintf(r.doc.nik, sizeof r.doc.nik, "3510014101900001");
	struct page_check c = { .now = 0 };
	assert_int_equal(page_verify(&b, &r, &c), 0);
	assert_non_null(strstr(b.data, "<dt>Nomor kartu</dt><dd>3510 2600 0001 7</dd>"));
	assert_non_null(strstr(b.data, "<dt>Diganti oleh kartu nomor</dt>"
				       "<dd>3510 2600 0002 5</dd>"));
	assert_non_null(strstr(b.data, "Kartu Indonesia Sehat"));
	assert_non_null(strstr(b.data, "1 Januari 1970 pukul 07.00 WIB"));
	buf_release(&b);
}

static void test_service_routes(void **state)
{
	(void)state;
	struct route_params p;
	int status;
	const unsigned outsiders = ROUTE_ROLE(ROLE_FASKES) | ROUTE_ROLE(ROLE_ADMIN);
	for (size_t i = 0; i < http_routes_len; i++) {
		const struct route *r = &http_routes[i];
		assert_non_null(r->handler);
		assert_int_equal(r->pattern[0], '/');
		/* A row that takes a body says in which types. */
		assert_int_equal(r->body_max > 0, r->types != NULL);
		if (strncmp(r->pattern, "/api/v1/cases", 13) == 0 ||
		    strncmp(r->pattern, "/api/v1/documents", 17) == 0) {
			assert_true(r->roles != ROUTE_PUBLIC);
			assert_int_equal(r->roles & outsiders, 0);
		}
	}
	const struct route *r = route_find(http_routes, http_routes_len, "GET",
					   "/api/v1/documents/0123456789ABCDEF.pdf",
					   &p, &status, NULL);
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_doc_get);
	r = route_find(http_routes, http_routes_len, "POST",
		       "/api/v1/verify/TOKEN/nik", &p, &status, NULL);
	assert_non_null(r);
	assert_true(r->flags & ROUTE_STRICT_RATE);
	r = route_find(http_routes, http_routes_len, "GET", "/v/abc", &p,
		       &status, NULL);
	assert_non_null(r);
	assert_int_equal(r->roles, ROUTE_PUBLIC);
	/* The lane's rows: public, no session, small bodies, no multipart
	 * (http_server_lane refuses a table that breaks this); and the
	 * verification by token is among them. */
	int lane_rows = 0;
	for (size_t i = 0; i < http_routes_len; i++) {
		const struct route *l = &http_routes[i];
		if (!(l->flags & ROUTE_LANE))
			continue;
		lane_rows++;
		assert_int_equal(l->roles, ROUTE_PUBLIC);
		assert_int_equal(l->flags & ROUTE_WEB, 0);
		assert_true(l->body_max <= 1024);
		assert_true(!l->types || !strstr(l->types, "multipart/"));
	}
	assert_true(lane_rows >= 6);
	r = route_find(http_routes, http_routes_len, "GET",
		       "/api/v1/verify/TOKEN", &p, &status, NULL);
	assert_true(r->flags & ROUTE_LANE);
	r = route_find(http_routes, http_routes_len, "POST", "/api/v1/verify",
		       &p, &status, NULL);
	assert_int_equal(r->flags & ROUTE_LANE, 0);
}

/* ---- a urlencoded body already in memory (the lane's forms) ---- */

static void test_form_urlencoded(void **state)
{
	(void)state;
	static const char ct[] = "application/x-www-form-urlencoded; charset=UTF-8";
	struct http_form *f;
	static const char body[] = "nik=3510+0501%2F01&&empty=&bare&bad=%zz%4&nik=second";
	assert_int_equal(http_form_urlencoded(ct, body, strlen(body), 256, &f), 0);
	/* '+' and %XX decoded, the first value of a repeated name, a '%'
	 * without two hex digits kept as sent. */
	assert_string_equal(http_form_get(f, "nik"), "3510 0501/01");
	assert_string_equal(http_form_get(f, "empty"), "");
	assert_string_equal(http_form_get(f, "bare"), "");
	assert_string_equal(http_form_get(f, "bad"), "%zz%4");
	assert_null(http_form_get(f, "absent"));
	http_form_free(f);
	/* An empty body is a form with no fields. */
	assert_int_equal(http_form_urlencoded(ct, "", 0, 256, &f), 0);
	assert_null(http_form_get(f, "nik"));
	http_form_free(f);
	/* Refusals leave nothing to free. */
	assert_int_equal(http_form_urlencoded("multipart/form-data; boundary=x",
					      "a=1", 3, 256, &f), TB_EMEDIA);
	assert_null(f);
	assert_int_equal(http_form_urlencoded(NULL, "a=1", 3, 256, &f), TB_EMEDIA);
	assert_int_equal(http_form_urlencoded(ct, body, strlen(body), 10, &f),
			 TB_ETOOBIG);
	assert_null(f);
	assert_int_equal(http_form_urlencoded(ct, "a%00b=1", 7, 256, &f), TB_EINVAL);
	assert_null(f);
	/* A body of thousands of tiny fields is no form of ours. */
	struct buf many = BUF_INIT;
	for (int i = 0; i < 300; i++)
		assert_int_equal(buf_addf(&many, "%sk%d=v", i ? "&" : "", i), 0);
	assert_int_equal(http_form_urlencoded(ct, many.data, many.len, 1 << 20, &f),
			 TB_EINVAL);
	assert_null(f);
	buf_release(&many);
}

/* ---- entity tags ---- */

static void test_etag(void **state)
{
	(void)state;
	char tag[ETAG_LEN + 1], other[ETAG_LEN + 1];
	/* Vectors from a Python transcription of etag.c's definition
	 * (the same one tests/http_verify_etag.sh runs): the tail alone,
	 * nothing, and 77 bytes (two rounds of four lanes, a word, a tail). */
	unsigned char seq[77];
	for (size_t i = 0; i < sizeof seq; i++)
		seq[i] = (unsigned char)i;
	etag_of("", 0, other);
	assert_string_equal(other, "\"613a749ec8ec5e13\"");
	etag_of(seq, sizeof seq, other);
	assert_string_equal(other, "\"a886695472f75d41\"");
	seq[40] ^= 1; /* any bit of the body moves the tag */
	etag_of(seq, sizeof seq, tag);
	assert_string_not_equal(tag, other);
	etag_of("abc", 3, tag);
	assert_string_equal(tag, "\"95f2c38b60a1bcbe\"");
	etag_of("abd", 3, other);
	assert_string_not_equal(tag, other);
	static const struct {
		const char *inm;
		int match;
	} cases[] = {
		{ "\"95f2c38b60a1bcbe\"", 1 },
		{ "W/\"95f2c38b60a1bcbe\"", 1 },
		{ "\"x\", \"95f2c38b60a1bcbe\"", 1 },
		{ "\"x\",W/\"95f2c38b60a1bcbe\" , \"y\"", 1 },
		{ " * ", 1 },
		{ "", 0 },
		{ "\"x\"", 0 },
		{ "95f2c38b60a1bcbe", 0 },               /* unquoted */
		{ "\"95f2c38b60a1bcb\"", 0 },          /* a prefix */
		{ "\"95f2c38b60a1bcbea\"", 0 },        /* longer */
		{ "\"95f2c38b60a1bcbe", 0 },            /* unterminated */
		{ "\"x\" \"95f2c38b60a1bcbe\"", 0 }, /* no comma */
		{ "*, \"x\"", 0 },
		{ "w/\"95f2c38b60a1bcbe\"", 0 },       /* W/ is upper case */
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(etag_match(cases[i].inm, tag), cases[i].match);
	assert_int_equal(etag_match(NULL, tag), 0);
}

/* The offline verifier's shell: the page's own style, no script, the two
 * markers, and the words the worker reads, the page's own. */
static void test_page_offline_shell(void **state)
{
	(void)state;
	struct buf shell = BUF_INIT, page = BUF_INIT;
	struct verify_result r;
	memset(&r, 0, sizeof r);
	r.state = VERIFY_FORGED;
	assert_int_equal(page_offline_shell(&shell), 0);
	assert_int_equal(page_verify(&page, &r,
				     &(struct page_check){ .now = -1 }), 0);
	assert_null(strstr(shell.data, "<script"));
	assert_non_null(strstr(shell.data, PAGE_SHELL_VERDICT));
	/* The same <style> element, byte for byte. */
	const char *a = strstr(shell.data, "<style>"), *b = strstr(page.data, "<style>");
	assert_non_null(a);
	assert_non_null(b);
	size_t n = (size_t)(strstr(a, "</style>") - a);
	assert_int_equal(n, (size_t)(strstr(b, "</style>") - b));
	assert_memory_equal(a, b, n);
	/* The words, as JSON inside the comment. */
	const char *w = strstr(shell.data, PAGE_SHELL_WORDS);
	assert_non_null(w);
	w += strlen(PAGE_SHELL_WORDS);
	const char *end = strstr(w, "-->");
	assert_non_null(end);
	assert_true(end < strstr(shell.data, PAGE_SHELL_VERDICT));
	struct jsonread d = { 0 };
	struct buf err = BUF_INIT;
	assert_int_equal(jsonread_parse(&d, w, (size_t)(end - w), &err), 0);
	const struct jr_val *states = jsonread_get(&d, jsonread_root(&d), "states");
	for (int s = VERIFY_VALID; s <= VERIFY_FORGED; s++) {
		const struct jr_val *o = jsonread_get(&d, states,
						      verify_state_name(s));
		assert_non_null(o);
		assert_string_equal(jsonread_str(&d, o, "word"),
				    page_status_word(s));
		assert_string_equal(jsonread_str(&d, o, "label"),
				    verify_state_label(s));
		assert_non_null(jsonread_str(&d, o, "cls"));
		assert_non_null(jsonread_str(&d, o, "meaning"));
	}
	const struct jr_val *kinds = jsonread_get(&d, jsonread_root(&d), "kinds");
	assert_string_equal(jsonread_str(&d, kinds, "1"), verify_kind_label("letter"));
	assert_string_equal(jsonread_str(&d, kinds, "2"), verify_kind_label("card"));
	jsonread_release(&d);
	buf_release(&err);
	buf_release(&shell);
	buf_release(&page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_match),
		cmocka_unit_test(test_etag),
		cmocka_unit_test(test_route_find),
		cmocka_unit_test(test_route_types),
		cmocka_unit_test(test_pool),
		cmocka_unit_test(test_pool_cap),
		cmocka_unit_test(test_ratelimit),
		cmocka_unit_test(test_ratelimit_eviction),
		cmocka_unit_test(test_config_defaults_and_parse),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_env),
		cmocka_unit_test(test_metrics_format),
		cmocka_unit_test(test_metrics_cap),
		cmocka_unit_test_setup_teardown(test_server_auth, server_up,
						server_down),
		cmocka_unit_test_setup_teardown(test_server_body, server_up,
						server_down),
		cmocka_unit_test_setup_teardown(test_server_errors, server_up,
						server_down),
		cmocka_unit_test_setup_teardown(test_server_drain, server_up,
						server_down),
		cmocka_unit_test(test_server_bad_listen),
		cmocka_unit_test(test_error_writer),
		cmocka_unit_test(test_vcache),
		cmocka_unit_test(test_page_escape),
		cmocka_unit_test(test_page_states),
		cmocka_unit_test(test_verify_page_card),
		cmocka_unit_test(test_page_offline_shell),
		cmocka_unit_test(test_service_routes),
		cmocka_unit_test(test_form_urlencoded),
		cmocka_unit_test(test_server_web),
		cmocka_unit_test(test_server_lane),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
