#ifndef TERBIT_WEB_INT_H
#define TERBIT_WEB_INT_H
/* Private to src/web/: the module's state, loaded once at start and read
 * by every thread. */
#include "stats/stats.h"
#include "web/web.h"

/* A page is a few KB; this only stops a runaway loop. */
#define WEB_PAGE_MAX (256u * 1024)

struct web {
	struct http_web hooks;      /* first: web_of finds the state from it */
	struct tmpl_set *tmpl;
	struct buf css;             /* static/terbit.css */
	char css_etag[24];          /* "\"<16 hex of its SHA-256>\"" */
	int secure;                 /* Secure + __Host- cookie */
	char cookie[32];
	/* The dashboard's figures, shared by the threads (stats.h). */
	struct stats_cache *stats;
};

/* The state behind the request's server (NULL without web pages). */
const struct web *web_of(const struct http_request *req);

#endif
