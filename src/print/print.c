/*
 * libcups behind print.h. Every call opens its own connection to the
 * scheduler (cupsServer(): CUPS_SERVER, client.conf, or the local
 * socket) and closes it: a CLI run makes a handful, the server's job
 * follower one per pass, and libcups's per-thread default connection
 * would tie a connection to whichever worker thread came first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cups/cups.h>

#include "core/err.h"
#include "core/str.h"
#include "print/print.h"

/* How long a request may wait for the scheduler. */
#define PRINT_TIMEOUT_MS 10000

/* Media sizes in hundredths of a millimetre (what cups_size_t holds),
 * with a tolerance for drivers that round to points (CR80 in a PPD is
 * often 153 x 243 pt, 53.98 x 85.73 mm). */
#define A4_W 21000
#define A4_L 29700
#define CR80_W 5398
#define CR80_L 8560
#define SIZE_SLACK 50

static const struct {
	int state;
	const char *name, *word;
} states[] = {
	{ PRINT_PENDING, "pending", "menunggu" },
	{ PRINT_HELD, "held", "ditahan" },
	{ PRINT_PROCESSING, "processing", "sedang dicetak" },
	{ PRINT_STOPPED, "stopped", "terhenti (printer berhenti)" },
	{ PRINT_CANCELED, "cancelled", "dibatalkan" },
	{ PRINT_ABORTED, "aborted", "gagal" },
	{ PRINT_COMPLETED, "completed", "selesai" },
};

/* Keywords of RFC 8011 and CUPS: "" drops one that only restates the
 * state. */
static const struct {
	const char *keyword, *text;
} reason_texts[] = {
	{ "none", "" },
	{ "job-printing", "" },
	{ "job-incoming", "" },
	{ "job-queued", "" },
	{ "job-completed-successfully", "" },
	{ "processing-to-stop-point", "dihentikan sebelum selesai" },
	{ "job-canceled-by-user", "dibatalkan oleh pengguna" },
	{ "job-canceled-by-operator", "dibatalkan oleh operator" },
	{ "job-canceled-at-device", "dibatalkan di printer" },
	{ "aborted-by-system", "dihentikan oleh sistem cetak" },
	{ "job-aborted-by-system", "dihentikan oleh sistem cetak" },
	{ "job-completed-with-errors", "selesai dengan kesalahan" },
	{ "job-completed-with-warnings", "selesai dengan peringatan" },
	{ "job-hold-until-specified", "ditahan sampai waktu yang ditentukan" },
	{ "job-held-for-review", "ditahan untuk diperiksa" },
	{ "printer-stopped", "printer berhenti (cupsenable untuk "
			     "melanjutkan)" },
	{ "printer-stopped-partly", "printer berhenti sebagian" },
	{ "document-format-error", "PDF ditolak printer" },
	{ "document-unprintable-error", "PDF tidak dapat dicetak" },
	{ "unsupported-document-format", "format dokumen tidak didukung" },
	{ "resources-are-not-ready", "perlengkapan printer belum siap" },
	{ "job-data-insufficient", "data pekerjaan belum lengkap" },
};

int print_reasons_text(const char *reasons, int state, struct buf *out)
{
	const char *p = reasons ? reasons : "";
	int rc = 0, n = 0;
	while (*p && rc == 0) {
		size_t len = strcspn(p, ",");
		const char *text = NULL;
		for (size_t i = 0; i < ARRAY_SIZE(reason_texts); i++)
			if (strlen(reason_texts[i].keyword) == len &&
			    !strncmp(reason_texts[i].keyword, p, len))
				text = reason_texts[i].text;
		/* a completed job's leftovers say nothing any more */
		if (state == PRINT_COMPLETED &&
		    !strncmp(p, "processing-to-stop-point", len))
			text = "";
		if (!text || *text)
			rc = text ? buf_addf(out, "%s%s (%.*s)", n ? "; " : "",
					     text, (int)len, p)
				  : buf_addf(out, "%s%.*s", n ? "; " : "",
					     (int)len, p);
		n += !text || *text;
		p += len;
		p += *p == ',';
	}
	return rc;
}

const char *print_state_name(int state)
{
	for (size_t i = 0; i < ARRAY_SIZE(states); i++)
		if (states[i].state == state)
			return states[i].name;
	return "unknown";
}

int print_state_parse(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(states); i++)
		if (strcmp(states[i].name, name) == 0)
			return states[i].state;
	return 0;
}

const char *print_state_word(int state)
{
	for (size_t i = 0; i < ARRAY_SIZE(states); i++)
		if (states[i].state == state)
			return states[i].word;
	return "tidak diketahui";
}

int print_state_final(int state)
{
	return state == PRINT_COMPLETED || state == PRINT_CANCELED ||
	       state == PRINT_ABORTED;
}

/* src cut to fit: CUPS's names and messages have no length limit. */
static void copy(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strnlen(src, cap - 1) : 0;
	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

static http_t *connect_cups(struct buf *err)
{
	http_t *http = httpConnect2(cupsServer(), ippPort(), NULL, AF_UNSPEC,
				    cupsEncryption(), 1, PRINT_TIMEOUT_MS,
				    NULL);
	if (!http)
		tb_err(err, TB_EIO, "server CUPS (%s) tidak dapat dihubungi: %s",
		       cupsServer(), cupsLastErrorString());
	return http;
}

static int near(int v, int want)
{
	return v > want - SIZE_SLACK && v < want + SIZE_SLACK;
}

/* Fills what the printer can do from its IPP attributes. */
static void capabilities(http_t *http, cups_dest_t *d, struct print_dest *o)
{
	cups_dinfo_t *info = cupsCopyDestInfo(http, d);
	cups_size_t size;
	if (!info)
		return;
	int n = cupsGetDestMediaCount(http, d, info, 0);
	for (int i = 0; i < n; i++) {
		if (!cupsGetDestMediaByIndex(http, d, info, i, 0, &size))
			continue;
		int w = size.width < size.length ? size.width : size.length;
		int l = size.width < size.length ? size.length : size.width;
		/* libcups names a size with no margins "..._borderless";
		 * the job asks for the size, the printer keeps its margins */
		char *b = strstr(size.media, "_borderless");
		if (b && b[strlen("_borderless")] == '\0')
			*b = '\0';
		if (!o->media_a4[0] && near(w, A4_W) && near(l, A4_L))
			copy(o->media_a4, sizeof o->media_a4, size.media);
		if (!o->media_cr80[0] && near(w, CR80_W) && near(l, CR80_L))
			copy(o->media_cr80, sizeof o->media_cr80, size.media);
	}
	o->duplex = cupsCheckDestSupported(http, d, info, CUPS_SIDES,
					   CUPS_SIDES_TWO_SIDED_PORTRAIT);
	o->color = cupsCheckDestSupported(http, d, info, "print-color-mode",
					  "color");
	cupsFreeDestInfo(info);
}

static void describe(http_t *http, cups_dest_t *d, struct print_dest *o)
{
	memset(o, 0, sizeof *o);
	copy(o->name, sizeof o->name, d->name);
	copy(o->info, sizeof o->info,
	     cupsGetOption("printer-info", d->num_options, d->options));
	const char *st = cupsGetOption("printer-state", d->num_options,
				       d->options);
	o->stopped = st && atoi(st) == IPP_PSTATE_STOPPED;
	const char *acc = cupsGetOption("printer-is-accepting-jobs",
					d->num_options, d->options);
	o->accepting = !acc || strcmp(acc, "true") == 0;
	copy(o->reasons, sizeof o->reasons,
	     cupsGetOption("printer-state-reasons", d->num_options,
			   d->options));
	o->is_default = d->is_default;
	capabilities(http, d, o);
}

int print_dests(struct print_dest **out, size_t *n, struct buf *err)
{
	cups_dest_t *dests = NULL;
	*out = NULL;
	*n = 0;
	http_t *http = connect_cups(err);
	if (!http)
		return TB_EIO;
	int nd = cupsGetDests2(http, &dests);
	if (nd == 0 && cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE &&
	    cupsLastError() != IPP_STATUS_ERROR_NOT_FOUND) {
		httpClose(http);
		return tb_err(err, TB_EIO, "daftar printer CUPS tidak dapat "
			      "dibaca: %s", cupsLastErrorString());
	}
	int rc = 0;
	if (nd > 0 && !(*out = calloc((size_t)nd, sizeof **out)))
		rc = tb_err(err, TB_ENOMEM, "memori habis");
	for (int i = 0; rc == 0 && i < nd; i++)
		if (!dests[i].instance) /* lpoptions instances repeat a queue */
			describe(http, &dests[i], &(*out)[(*n)++]);
	cupsFreeDests(nd, dests);
	httpClose(http);
	return rc;
}

int print_dest_get(const char *name, struct print_dest *out, struct buf *err)
{
	http_t *http = connect_cups(err);
	if (!http)
		return TB_EIO;
	cups_dest_t *d = cupsGetNamedDest(http, name, NULL);
	int rc = 0;
	if (!d)
		rc = tb_err(err, TB_ENOTFOUND, "printer \"%s\" tidak dikenal "
			    "di server CUPS (lihat: terbit printers)", name);
	else
		describe(http, d, out);
	cupsFreeDests(d ? 1 : 0, d);
	httpClose(http);
	return rc;
}

/* The IPP status of the last request as an error, or 0. */
static int ipp_failed(struct buf *err, const char *what)
{
	if (cupsLastError() <= IPP_STATUS_OK_EVENTS_COMPLETE)
		return 0;
	return tb_err(err, cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND
				   ? TB_ENOTFOUND : TB_EIO,
		      "%s: %s", what, cupsLastErrorString());
}

int print_submit(const struct print_dest *dest, const struct print_opts *o,
		 const void *pdf, size_t len, int *job_id, struct buf *err)
{
	cups_option_t *opts = NULL;
	int nopts = 0, rc = 0;
	char copies[16];
	*job_id = 0;
	if (o->copies < 1 || o->copies > PRINT_COPIES_MAX)
		return tb_err(err, TB_EINVAL, "jumlah salinan harus 1..%d",
			      PRINT_COPIES_MAX);
	http_t *http = connect_cups(err);
	if (!http)
		return TB_EIO;
	cups_dest_t *d = cupsGetNamedDest(http, dest->name, NULL);
	cups_dinfo_t *info = d ? cupsCopyDestInfo(http, d) : NULL;
	if (!d || !info) {
		rc = tb_err(err, d ? TB_EIO : TB_ENOTFOUND, "printer \"%s\" "
			    "tidak dapat dipakai: %s", dest->name,
			    cupsLastErrorString());
		goto out;
	}
	snprintf(copies, sizeof copies, "%d", o->copies);
	nopts = cupsAddOption(CUPS_MEDIA, o->media, nopts, &opts);
	nopts = cupsAddOption(CUPS_SIDES, o->duplex
				  ? CUPS_SIDES_TWO_SIDED_PORTRAIT
				  : CUPS_SIDES_ONE_SIDED, nopts, &opts);
	nopts = cupsAddOption(CUPS_COPIES, copies, nopts, &opts);
	/* actual size: "fit to page" would shrink a card below ID-1 */
	nopts = cupsAddOption("print-scaling", "none", nopts, &opts);
	if (cupsCreateDestJob(http, d, info, job_id, o->title, nopts, opts) >
	    IPP_STATUS_OK_EVENTS_COMPLETE) {
		rc = tb_err(err, TB_EIO, "printer \"%s\" menolak pekerjaan "
			    "cetak: %s", dest->name, cupsLastErrorString());
		goto out;
	}
	if (cupsStartDestDocument(http, d, info, *job_id, o->title,
				  CUPS_FORMAT_PDF, 0, NULL, 1) !=
		    HTTP_STATUS_CONTINUE ||
	    cupsWriteRequestData(http, pdf, len) != HTTP_STATUS_CONTINUE ||
	    cupsFinishDestDocument(http, d, info) >
		    IPP_STATUS_OK_EVENTS_COMPLETE) {
		rc = tb_err(err, TB_EIO, "PDF tidak terkirim ke printer "
			    "\"%s\": %s", dest->name, cupsLastErrorString());
		/* a job left without its document would wait for ever */
		cupsCancelDestJob(http, d, *job_id);
		*job_id = 0;
	}
out:
	cupsFreeOptions(nopts, opts);
	if (info)
		cupsFreeDestInfo(info);
	cupsFreeDests(d ? 1 : 0, d);
	httpClose(http);
	return rc;
}

/* A 1setOf keyword joined with commas. */
static void join(char *dst, size_t cap, ipp_attribute_t *a)
{
	size_t at = 0;
	dst[0] = '\0';
	for (int i = 0; a && i < ippGetCount(a) && at + 1 < cap; i++) {
		int w = snprintf(dst + at, cap - at, "%s%s", i ? "," : "",
				 ippGetString(a, i, NULL));
		if (w < 0)
			break;
		at += (size_t)w;
	}
}

int print_job_get(int job_id, struct print_job *out, struct buf *err)
{
	static const char *const want[] = {
		"job-state", "job-state-reasons", "job-printer-state-message",
		"job-name", "media", "sides", "copies",
	};
	char uri[64];
	memset(out, 0, sizeof *out);
	out->id = job_id;
	http_t *http = connect_cups(err);
	if (!http)
		return TB_EIO;
	snprintf(uri, sizeof uri, "ipp://localhost/jobs/%d", job_id);
	ipp_t *req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME,
		     "requesting-user-name", NULL, cupsUser());
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD,
		      "requested-attributes", (int)ARRAY_SIZE(want), NULL,
		      want);
	ipp_t *res = cupsDoRequest(http, req, "/");
	int rc = ipp_failed(err, "pekerjaan cetak tidak terbaca");
	if (rc == TB_ENOTFOUND)
		tb_err(err, rc, "pekerjaan cetak %d tidak dikenal lagi oleh "
		       "CUPS", job_id);
	if (rc == 0 && res) {
		ipp_attribute_t *a;
		if ((a = ippFindAttribute(res, "job-state", IPP_TAG_ENUM)))
			out->state = ippGetInteger(a, 0);
		join(out->reasons, sizeof out->reasons,
		     ippFindAttribute(res, "job-state-reasons",
				      IPP_TAG_KEYWORD));
		if ((a = ippFindAttribute(res, "job-printer-state-message",
					  IPP_TAG_TEXT)))
			copy(out->message, sizeof out->message,
			     ippGetString(a, 0, NULL));
		if ((a = ippFindAttribute(res, "job-name", IPP_TAG_NAME)))
			copy(out->name, sizeof out->name,
			     ippGetString(a, 0, NULL));
		if ((a = ippFindAttribute(res, "media", IPP_TAG_ZERO)))
			copy(out->media, sizeof out->media,
			     ippGetString(a, 0, NULL));
		if ((a = ippFindAttribute(res, "sides", IPP_TAG_KEYWORD)))
			copy(out->sides, sizeof out->sides,
			     ippGetString(a, 0, NULL));
		if ((a = ippFindAttribute(res, "copies", IPP_TAG_INTEGER)))
			out->copies = ippGetInteger(a, 0);
	}
	ippDelete(res);
	httpClose(http);
	return rc;
}

int print_job_cancel(int job_id, struct buf *err)
{
	http_t *http = connect_cups(err);
	if (!http)
		return TB_EIO;
	cupsCancelJob2(http, NULL, job_id, 0);
	int rc = ipp_failed(err, "pekerjaan cetak tidak dapat dibatalkan");
	httpClose(http);
	return rc;
}
