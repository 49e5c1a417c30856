/*
 * terbit serve: configuration (defaults < --config file < TERBIT_* <
 * flags), the HTTP server, and a graceful end on SIGTERM/SIGINT.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/log.h"
#include "core/str.h"
#include "cases/cases.h"
#include "eligibility/eligibility.h"
#include "http/config.h"
#include "http/handlers.h"
#include "http/sw.h"
#include "http/route.h"
#include "http/server.h"
#include "issue/issue.h"
#include "issue/offline.h"
#include "issue/status.h"
#include "issue/vindex.h"
#include "sign/trust.h"
#include "render/render.h"
#include "sign/keys.h"
#include "store/store.h"
#include "web/web.h"

static int ping(struct store *s, struct buf *err)
{
	/* PRAGMA user_version reads the database file: a cheap real query. */
	int v = store_schema_version(s);
	return v < 0 ? tb_err(err, TB_EDB, "basis data tidak menjawab") : 0;
}

/* What the handlers share, loaded once before the threads start:
 * policy, layouts and fonts, keys. Read-only from then on. */
struct app_state {
	struct policy *policy;
	struct render_ctx *render;
	struct keyring *keys;
	struct issue_status_cache *status;
	struct trust *trust;
	struct offline_lists *trust_lists;
	struct verify_others others;
	struct web *web;            /* templates, stylesheet, cookie */
	struct sw_files *sw;         /* the phone's offline verifier */
	struct route *routes;       /* the API's and the pages' rows */
	size_t nroutes;
	struct vindex *vindex;
	struct http_app app;
};

static int app_load(struct cli *c, const struct config *cfg,
		    struct app_state *st)
{
	struct buf root = BUF_INIT;
	memset(st, 0, sizeof *st);
	int rc = cli_load_policy(c, &st->policy);
	if (rc == 0)
		rc = cli_find_root(c, &root);
	if (rc == 0)
		rc = render_ctx_new(&st->render, root.data, &c->err);
	if (rc == 0) /* for cases_password_ok, before threads start */
		rc = cli_load_password_list(c);
	if (rc == 0)
		rc = keyring_load(cfg->data, &st->keys, &c->err);
	if (rc == 0)
		rc = issue_status_cache_new(
			st->keys, issue_status_issuer(policy_regency(st->policy)),
			(int64_t)cfg->status_next_hours * 3600, &st->status,
			&c->err);
	if (rc == 0 && cfg->trust[0])
		rc = trust_load(cfg->trust, cfg->trust_key[0] ? cfg->trust_key : NULL,
				&st->trust, &c->err);
	if (rc == 0 && st->trust)
		rc = offline_lists_load(st->trust, cfg->trust_status[0]
						       ? cfg->trust_status : NULL,
					&st->trust_lists, &c->err);
	st->others = (struct verify_others){ st->trust, st->trust_lists };
	/* Every template parsed now: a mistake in one stops the start with
	 * its file and line, not a page later. */
	if (rc == 0)
		rc = web_new(root.data, cfg, &st->web, &c->err);
	if (rc == 0)
		rc = sw_files_load(root.data, &st->sw, &c->err);
	if (rc == 0)
		rc = web_routes(http_routes, http_routes_len, &st->routes,
				&st->nroutes, &c->err);
	buf_release(&root);
	st->app = (struct http_app){ .policy = st->policy,
				     .render = st->render, .keys = st->keys,
				     .sw = st->sw,
				     .status = st->status,
				     .others = st->trust ? &st->others : NULL,
				     .verifier_host = getenv("TERBIT_VERIFIER_HOST") };
	return rc;
}

/*
 * --verify-only: what a read-only verifier needs and nothing more. The
 * keyring (token keys and the registry's seal key: every answer checks
 * its row's seal), from a keys directory `keys export-verifier` wrote
 * (no private signing key) or the writer's own, and the public routes
 * that only read (the verifier,
 * the public keys, /healthz, /metrics); no policy, layouts, templates,
 * sign-in or web pages. Its database handles are read-only
 * (store_open_readonly), so any write fails in SQLite itself.
 */
static int app_load_verifier(const struct config *cfg, struct app_state *st,
			     struct buf *err)
{
	memset(st, 0, sizeof *st);
	int rc = keyring_load_verifier(cfg->data, &st->keys, err);
	if (rc == 0 && !(st->routes = calloc(http_routes_len, sizeof *st->routes)))
		rc = tb_err(err, TB_ENOMEM, "memori habis");
	for (size_t i = 0; rc == 0 && i < http_routes_len; i++)
		if (http_routes[i].roles == ROUTE_PUBLIC &&
		    !(http_routes[i].flags & ROUTE_WEB))
			st->routes[st->nroutes++] = http_routes[i];
	st->app = (struct http_app){ .keys = st->keys,
				     .verifier_host = getenv("TERBIT_VERIFIER_HOST") };
	return rc;
}

/* The verifier's rows in memory, read before the threads start
 * (`verify_memory`); the time it took is said, since it grows with the
 * registry. */
static int app_load_vindex(const struct config *cfg, struct app_state *st,
			   int readonly, struct buf *err)
{
	struct store *s = NULL;
	if (!cfg->verify_memory)
		return 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = readonly ? store_open_readonly(cfg->data, &s, err)
			  : store_open(cfg->data, &s, err);
	if (rc == 0)
		rc = vindex_load(s, st->keys, &st->vindex, err);
	store_close(s);
	if (rc < 0)
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	size_t rows, bytes;
	vindex_stats(st->vindex, &rows, &bytes);
	log_info("verifikasi: %zu dokumen di memori (%zu KiB) dalam %lld ms",
		 rows, bytes / 1024,
		 (long long)((t1.tv_sec - t0.tv_sec) * 1000 +
			     (t1.tv_nsec - t0.tv_nsec) / 1000000));
	st->app.vindex = st->vindex;
	return 0;
}

static void app_free(struct app_state *st)
{
	policy_free(st->policy);
	render_ctx_free(st->render);
	issue_status_cache_free(st->status);
	offline_lists_free(st->trust_lists);
	trust_free(st->trust);
	vindex_free(st->vindex);
	keyring_free(st->keys);
	web_free(st->web);
	sw_files_free(st->sw);
	free(st->routes);
}

/* Flags that map to a config key, applied last. */
static const struct {
	const char *flag, *key;
} flag_keys[] = {
	{ "--listen", "listen" },
	{ "--threads", "threads" },
	{ "--rate-limit", "rate_limit" },
	{ "--data", "data" },
	{ "--verify-listen", "verify_listen" },
};

static int load_config(struct cli *c, struct config *cfg)
{
	config_defaults(cfg);
	const char *file = cli_opt(c, "--config");
	int rc = 0;
	if (file)
		rc = config_load_file(cfg, file, &c->err);
	if (rc == 0)
		rc = config_load_env(cfg, &c->err);
	for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(flag_keys); i++) {
		const char *v = cli_opt(c, flag_keys[i].flag);
		if (v)
			rc = config_set(cfg, flag_keys[i].key, v, &c->err);
	}
	return rc;
}

/*
 * The print follower: every PRINT_FOLLOW_SECONDS (or
 * TERBIT_PRINT_FOLLOW_SECONDS, 1..3600) it asks CUPS about the jobs not
 * ended (issue_print_follow), so a document is recorded as printed soon
 * after its job completes even when nobody opens the print queue. Its
 * own store handle; a pass with no job under way reads one index and
 * asks CUPS nothing. Woken early to stop.
 */
#define PRINT_FOLLOW_SECONDS 5

struct follower {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop, started;
	int seconds;
	const char *data;
};

static void *follower_main(void *arg)
{
	struct follower *f = arg;
	struct buf err = BUF_INIT;
	struct store *s = NULL;
	pthread_mutex_lock(&f->mu);
	while (!f->stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += f->seconds;
		pthread_cond_timedwait(&f->cv, &f->mu, &until);
		if (f->stop)
			break;
		pthread_mutex_unlock(&f->mu);
		buf_reset(&err);
		if (!s && store_open(f->data, &s, &err) < 0)
			log_warn("pekerjaan cetak tidak diikuti: %s", err.data);
		else if (issue_print_follow(s, 0, &err) < 0)
			log_warn("status pekerjaan cetak tidak terbaca: %s",
				 err.data);
		pthread_mutex_lock(&f->mu);
	}
	pthread_mutex_unlock(&f->mu);
	store_close(s);
	buf_release(&err);
	return NULL;
}

static void follower_start(struct follower *f, const char *data)
{
	memset(f, 0, sizeof *f);
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	f->data = data;
	const char *env = getenv("TERBIT_PRINT_FOLLOW_SECONDS");
	f->seconds = env && str_all_digits(env) && strlen(env) <= 4 &&
			     atoi(env) >= 1 && atoi(env) <= 3600
		     ? atoi(env) : PRINT_FOLLOW_SECONDS;
	f->started = pthread_create(&f->thread, NULL, follower_main, f) == 0;
	if (!f->started)
		log_warn("pengikut pekerjaan cetak tidak dapat dimulai; status "
			 "diperbarui saat antrean cetak dibuka");
}

static void follower_stop(struct follower *f)
{
	if (!f->started)
		return;
	pthread_mutex_lock(&f->mu);
	f->stop = 1;
	pthread_cond_signal(&f->cv);
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->thread, NULL);
	pthread_cond_destroy(&f->cv);
	pthread_mutex_destroy(&f->mu);
}

/* Creates and migrates the database once, before any worker thread opens
 * its own handle, so two threads never race to migrate. A read-only
 * verifier only checks that the database is there at its version. */
static int check_store(struct cli *c, const struct config *cfg, int readonly)
{
	struct store *s = NULL;
	int rc = readonly ? store_open_readonly(cfg->data, &s, &c->err)
			  : store_open(cfg->data, &s, &c->err);
	store_close(s);
	return rc;
}

int cli_serve(struct cli *c)
{
	static const char *const allowed[] = { "--listen", "--threads",
					       "--config", "--rate-limit",
					       "--policy", "--root",
					       "--verify-only", "--verify-listen",
					       NULL };
	struct config cfg;
	struct follower follow = { 0 };
	struct http_server *srv = NULL;
	struct app_state st;
	struct http_backend backend = {
		.open = store_open,
		.close = store_close,
		.release = store_read_release,
		.authenticate = cases_authenticate,
		.ping = ping,
		.audit_denied = cases_audit_denied,
		.audit_unauth = cases_audit_unauth,
		.app = &st.app,
	};
	sigset_t set;
	int lock = -1;
	memset(&st, 0, sizeof st);
	int rc = cli_expect(c, 0, allowed);
	int verify_only = cli_flag(c, "--verify-only");
	/* Nothing sets the environment from here on, and no thread runs
	 * yet. */
	clock_env_fix();
	if (rc == 0)
		rc = load_config(c, &cfg);
	if (rc == 0)
		rc = check_store(c, &cfg, verify_only);
	/* Shared with other terbit processes, held until exit: terbit
	 * restore refuses while it is held, and a restore in progress
	 * keeps the server from starting on a half-swapped directory. */
	if (rc == 0)
		rc = cli_data_lock(cfg.data, 0, &lock, &c->err);
	if (rc == 0)
		rc = verify_only ? app_load_verifier(&cfg, &st, &c->err)
				 : app_load(c, &cfg, &st);
	if (rc == 0)
		rc = app_load_vindex(&cfg, &st, verify_only, &c->err);
	/* A data directory from before seals: the service runs, but says
	 * at once why every answer will be FORGED and issuing refused. */
	if (rc == 0 && !keyring_has_seal(st.keys))
		log_warn("kunci segel belum ada: verifikasi menjawab FORGED "
			 "dan penerbitan ditolak; jalankan sekali: terbit "
			 "document seal, lalu mulai ulang layanan");
	/* Without a current CRL, new letters are B-B with certificates
	 * only: they still verify, but not long-term. */
	if (rc == 0 && keyring_crl_next_update(st.keys) <= (int64_t)time(NULL))
		log_warn("CRL kantor %s: surat baru terbit tanpa CRL di DSS "
			 "(bukan B-LT); jalankan: terbit keys crl, lalu mulai "
			 "ulang layanan", keyring_crl_next_update(st.keys)
			 ? "kedaluwarsa" : "belum ada (keys/ca.crl)");
	if (rc < 0)
		goto out;
	if (verify_only) {
		backend.open = store_open_readonly;
		backend.authenticate = NULL;  /* no route takes a user */
		backend.audit_denied = NULL;  /* nothing is written */
		backend.audit_unauth = NULL;
	} else {
		backend.web = web_hooks(st.web);
	}

	/* Blocked before the server's threads exist, so they inherit the
	 * mask and only this thread takes the signals (sigwait below). */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	rc = http_server_start(&cfg, &backend, st.routes, st.nroutes, &srv,
			       &c->err);
	if (rc < 0)
		goto out;
	/* http_server_start has checked that listen has a colon. */
	int hostlen = (int)(strrchr(cfg.listen, ':') - cfg.listen);
	printf("terbit melayani di http://%.*s:%u (%u thread, data %s%s)\n",
	       hostlen ? hostlen : 7, hostlen ? cfg.listen : "0.0.0.0",
	       http_server_port(srv), cfg.threads, cfg.data,
	       verify_only ? ", hanya verifikasi, baca saja" : "");
	fflush(stdout);
	if (cfg.verify_listen[0]) {
		rc = http_server_lane(srv, cfg.verify_listen, &c->err);
		if (rc < 0) {
			http_server_stop(srv);
			srv = NULL;
			goto out;
		}
		printf("jalur verifikasi di port %u (GET /V/..., /api/v1/verify/...)\n",
		       http_server_lane_port(srv));
		fflush(stdout);
	}
	/* A read-only verifier writes nothing, print records included. */
	if (!verify_only)
		follower_start(&follow, cfg.data);

	int sig = 0;
	while (sigwait(&set, &sig) != 0)
		;
	log_info("menerima %s: menyelesaikan permintaan yang berjalan (maks %u s)",
		 sig == SIGTERM ? "SIGTERM" : "SIGINT", cfg.drain_timeout);
	int left = http_server_drain(srv, cfg.drain_timeout * 1000u);
	if (left > 0)
		log_warn("%d permintaan belum selesai saat batas waktu; diputus",
			 left);
	http_server_stop(srv);
	follower_stop(&follow);
	log_info("server berhenti");
out:
	app_free(&st);
	if (lock >= 0)
		close(lock);
	return rc;
}
