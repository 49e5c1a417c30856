/*
 * The service's route table: every URL terbit answers, who may call it,
 * and what body it takes. Match order is table order. Rows are grouped by
 * area; docs/api.md describes each route.
 */
#include "http/handlers.h"
#include "http/route.h"

const struct route http_routes[] = {
	/* -- operations -- */
	{ "GET", "/healthz", h_healthz, ROUTE_PUBLIC, 0, NULL },
	{ "GET", "/metrics", h_metrics, ROUTE_PUBLIC, 0, NULL },
	/* -- verification -- */
	/* -- cases and documents (staff and village API) -- */
};

const size_t http_routes_len = sizeof http_routes / sizeof http_routes[0];
