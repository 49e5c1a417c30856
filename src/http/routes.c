/*
 * The service's route table: every URL terbit answers, who may call it,
 * and what body it takes. Match order is table order. Rows are grouped by
 * area; docs/api.md describes each route.
 */
#include "core/str.h"
#include "http/handlers.h"
#include "http/route.h"
#include "issue/verify.h"
#include "workflow/workflow.h"

/* Who works on cases: the four offices of the workflow. Facilities only
 * verify; administrators manage users and keys, not cases. */
#define STAFF (ROUTE_ROLE(ROLE_DESA) | ROUTE_ROLE(ROLE_DINKES) | \
	       ROUTE_ROLE(ROLE_KECAMATAN) | ROUTE_ROLE(ROLE_DINSOS))
#define DINSOS ROUTE_ROLE(ROLE_DINSOS)
/* The dashboard's figures: the staff, and administrators (the regency's
 * figures without residents' names: src/stats/stats.c). */
#define STATS_ROLES (STAFF | ROUTE_ROLE(ROLE_ADMIN))
#define JSON "application/json"
#define JSON_MAX (64u * 1024)

const struct route http_routes[] = {
	/* -- operations -- */
	{ "GET", "/healthz", h_healthz, ROUTE_PUBLIC, 0, NULL, ROUTE_LANE },
	{ "GET", "/metrics", h_metrics, ROUTE_PUBLIC, 0, NULL, 0 },
	/* -- verification -- */
	/* The offline verifier's files before the token rows, which would
	 * take their last segment for a token. */
	{ "GET", "/V/sw.js", h_sw_worker, ROUTE_PUBLIC, 0, NULL, ROUTE_LANE },
	{ "GET", "/v/sw.js", h_sw_worker, ROUTE_PUBLIC, 0, NULL, ROUTE_LANE },
	{ "GET", "/V/sw-register.js", h_sw_register, ROUTE_PUBLIC, 0, NULL, ROUTE_LANE },
	{ "GET", "/V/offline.html", h_sw_shell, ROUTE_PUBLIC, 0, NULL, ROUTE_LANE },
	{ "GET", "/V/{token}", h_verify_page, ROUTE_PUBLIC, 0, NULL, ROUTE_LANE },
	{ "GET", "/v/{token}", h_verify_page, ROUTE_PUBLIC, 0, NULL, ROUTE_LANE },
	/* The page's NIK form: the NIK API's limit (ROUTE_STRICT_RATE). */
	{ "POST", "/V/{token}", h_verify_page_nik, ROUTE_PUBLIC, 256,
	  "application/x-www-form-urlencoded", ROUTE_STRICT_RATE | ROUTE_LANE },
	{ "POST", "/v/{token}", h_verify_page_nik, ROUTE_PUBLIC, 256,
	  "application/x-www-form-urlencoded", ROUTE_STRICT_RATE | ROUTE_LANE },
	{ "GET", "/api/v1/verify/{token}", h_verify_json, ROUTE_PUBLIC, 0, NULL, ROUTE_LANE },
	{ "POST", "/api/v1/verify", h_verify_pdf, ROUTE_PUBLIC, VERIFY_PDF_MAX,
	  "application/pdf", 0 },
	{ "POST", "/api/v1/verify/{token}/nik", h_verify_nik, ROUTE_PUBLIC, 256,
	  JSON ",text/plain", ROUTE_STRICT_RATE | ROUTE_LANE },
	{ "GET", "/.well-known/terbit/keys", h_keys, ROUTE_PUBLIC, 0, NULL, ROUTE_LANE },
	{ "GET", "/.well-known/terbit/status", h_status, ROUTE_PUBLIC, 0, NULL, ROUTE_LANE },
	/* -- statistics (docs/reports.md) -- */
	{ "GET", "/api/v1/stats", h_stats, STATS_ROLES, 0, NULL, 0 },
	/* -- cases and documents (staff and village API) -- */
	{ "GET", "/api/v1/cases", h_cases_list, STAFF, 0, NULL, 0 },
	{ "POST", "/api/v1/cases", h_case_create, STAFF, JSON_MAX, JSON, 0 },
	{ "GET", "/api/v1/cases/{id}", h_case_show, STAFF, 0, NULL, 0 },
	{ "PUT", "/api/v1/cases/{id}/answers", h_case_answers, STAFF, JSON_MAX,
	  JSON, 0 },
	{ "POST", "/api/v1/cases/{id}/answers", h_case_answers, STAFF, JSON_MAX,
	  JSON, 0 },
	{ "POST", "/api/v1/cases/{id}/attachments", h_case_attach, STAFF,
	  STORE_ATTACH_MAX, "application/pdf,image/jpeg,image/png", 0 },
	{ "GET", "/api/v1/cases/{id}/attachments/{att}", h_case_attachment,
	  STAFF, 0, NULL, 0 },
	{ "POST", "/api/v1/cases/{id}/move", h_case_move, STAFF, JSON_MAX, JSON,
	  0 },
	{ "GET", "/api/v1/cases/{id}/eligibility", h_case_eligibility, STAFF, 0,
	  NULL, 0 },
	{ "POST", "/api/v1/cases/{id}/documents", h_doc_issue, DINSOS, JSON_MAX,
	  JSON, 0 },
	/* {serial} or {serial}.pdf (the bytes): one segment either way. */
	{ "GET", "/api/v1/documents/{serial}", h_doc_get, STAFF, 0, NULL, 0 },
	{ "POST", "/api/v1/documents/{serial}/revoke", h_doc_revoke, DINSOS,
	  JSON_MAX, JSON, 0 },
	{ "POST", "/api/v1/documents/{serial}/reissue", h_doc_reissue, DINSOS,
	  JSON_MAX, JSON, 0 },
};

const size_t http_routes_len = ARRAY_SIZE(http_routes);
