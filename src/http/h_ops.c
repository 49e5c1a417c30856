#include "core/err.h"
#include "core/json.h"
#include "http/handlers.h"
#include "http/metrics.h"

int h_healthz(struct http_request *req, struct http_response *res,
	      struct buf *err)
{
	/* A load balancer reads the status only: 503 takes this instance out
	 * of rotation while the database is gone or the server is stopping. */
	if (http_draining(req))
		return http_res_error(res, 503, TB_EIO, "server sedang berhenti");
	if (http_ping(req, err) < 0)
		return http_res_error(res, 503, TB_EDB, err->data);
	struct json j;
	json_init(&j, &res->body);
	json_obj_open(&j, NULL);
	json_str(&j, "status", "ok");
	json_obj_close(&j);
	int rc = json_finish(&j);
	if (rc == 0)
		rc = buf_addc(&res->body, '\n');
	return rc < 0 ? tb_err(err, rc, "kehabisan memori") : 0;
}

int h_metrics(struct http_request *req, struct http_response *res,
	      struct buf *err)
{
	(void)req;
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
	int rc = metrics_render(&res->body);
	return rc < 0 ? tb_err(err, rc, "kehabisan memori") : 0;
}
