#ifndef TERBIT_HANDLERS_H
#define TERBIT_HANDLERS_H
/*
 * Route handlers, private to the http module: routes.c names them in the
 * table. Each one is thin (see route_handler in route.h).
 */
#include "http/server.h"

/* -- operations (h_ops.c) -- */
/* GET /healthz: 200 {"status":"ok"} when the database answers; 503 when
 * it does not or the server is draining. */
int h_healthz(struct http_request *req, struct http_response *res,
	      struct buf *err);
/* GET /metrics: Prometheus text format. */
int h_metrics(struct http_request *req, struct http_response *res,
	      struct buf *err);

#endif
