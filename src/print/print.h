#ifndef TERBIT_PRINT_H
#define TERBIT_PRINT_H
/*
 * The print module: the office's printers through CUPS (libcups), and
 * nothing about the registry. It lists destinations with what they can
 * do, submits one PDF as an IPP job with media, sides and copies, and
 * reads a job's state back. The CUPS server is libcups's choice: the
 * CUPS_SERVER environment variable (a host, or the path of a Unix
 * socket, as the tests use), else the client.conf, else the local
 * scheduler. docs/printing.md has the setup and what each state means.
 *
 * Media are recognised by their size, not their name: a CUPS queue
 * made from a PPD reports A4 as "iso_a4_210x297mm" but a CR80 card as
 * whatever its driver calls it ("custom_53.98x85.6mm_...", "om_cr80_...",
 * ...); the name the printer reports is the one sent back in the job.
 */
#include <stddef.h>

#include "core/buf.h"

#define PRINT_NAME_MAX 128   /* CUPS queue names are at most 127 bytes */
#define PRINT_MEDIA_MAX 64
#define PRINT_TEXT_MAX 256

struct print_dest {
	char name[PRINT_NAME_MAX];
	char info[PRINT_TEXT_MAX];         /* printer-info, may be "" */
	char media_a4[PRINT_MEDIA_MAX];    /* the printer's name for A4, or "" */
	char media_cr80[PRINT_MEDIA_MAX];  /* for an ID-1/CR80 card, or "" */
	int duplex;                        /* two-sided-long-edge supported */
	int color;                         /* print-color-mode color supported */
	int stopped;                       /* printer-state stopped (cupsdisable) */
	int accepting;                     /* printer-is-accepting-jobs */
	int is_default;
	char reasons[PRINT_TEXT_MAX];      /* printer-state-reasons, "none" */
};

/* Every destination of the CUPS server, in its order; *out malloc'd
 * (free()). No destination is 0 rows, not an error; a scheduler that
 * does not answer is TB_EIO with CUPS's reason. */
int print_dests(struct print_dest **out, size_t *n, struct buf *err);
/* One destination by its queue name: TB_ENOTFOUND when CUPS has none. */
int print_dest_get(const char *name, struct print_dest *out, struct buf *err);

/* What a job asks for. media is the printer's own name (a media_*
 * field of its print_dest); duplex asks two-sided-long-edge (the
 * sheets' and cards' backs are laid out for a flip on the long edge),
 * else one-sided. title is the job-name: terbit passes the serials,
 * never a name or NIK. */
struct print_opts {
	const char *media;
	int duplex;
	int copies;   /* 1..PRINT_COPIES_MAX */
	const char *title;
};
#define PRINT_COPIES_MAX 10

/* Sends pdf as one job to dest (Create-Job, Send-Document, as
 * application/pdf, print-scaling none: actual size). *job_id gets
 * CUPS's job id. TB_EIO with CUPS's message when the scheduler refuses
 * or cannot be reached. */
int print_submit(const struct print_dest *dest, const struct print_opts *o,
		 const void *pdf, size_t len, int *job_id, struct buf *err);

/* IPP job states (RFC 8011 5.3.7), as CUPS numbers them. */
enum print_state {
	PRINT_PENDING = 3,
	PRINT_HELD = 4,
	PRINT_PROCESSING = 5,
	PRINT_STOPPED = 6,    /* processing-stopped: the printer stopped */
	PRINT_CANCELED = 7,
	PRINT_ABORTED = 8,
	PRINT_COMPLETED = 9,
};

struct print_job {
	int id;
	int state;                         /* enum print_state */
	char reasons[PRINT_TEXT_MAX];      /* job-state-reasons, comma separated */
	char message[PRINT_TEXT_MAX];      /* job-printer-state-message, or "" */
	char name[PRINT_TEXT_MAX];         /* job-name */
	char media[PRINT_MEDIA_MAX];
	char sides[32];
	int copies;
};

/* The job's state and options as CUPS holds them (Get-Job-Attributes).
 * TB_ENOTFOUND when CUPS no longer knows the job (its history purged):
 * the caller decides what that means. */
int print_job_get(int job_id, struct print_job *out, struct buf *err);

/* Cancels a job (Cancel-Job). */
int print_job_cancel(int job_id, struct buf *err);

/* "pending", "held", "processing", "stopped", "cancelled", "aborted",
 * "completed"; "unknown" otherwise: the names the registry stores. */
const char *print_state_name(int state);
/* The state's name parsed back; 0 when it is none of them. */
int print_state_parse(const char *name);
/* Indonesian for the pages and the CLI ("menunggu", "selesai", ...). */
const char *print_state_word(int state);
/*
 * CUPS's job-state-reasons (comma separated keywords) for people: the
 * keywords that only restate the state ("none", "job-printing",
 * "job-completed-successfully"; "processing-to-stop-point" once a job
 * completed) left out, the others in Indonesian with the keyword kept
 * in brackets ("dibatalkan sebelum selesai (processing-to-stop-point)").
 * Appends to out; nothing when nothing is left.
 */
int print_reasons_text(const char *reasons, int state, struct buf *out);
/* 1 for completed, cancelled and aborted: CUPS will not move the job
 * again, so it is no longer followed. */
int print_state_final(int state);

#endif
