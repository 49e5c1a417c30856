#ifndef TERBIT_PAGE_H
#define TERBIT_PAGE_H
/*
 * The verifier's HTML page: what a nurse at a counter sees after scanning
 * a QR code with a phone. Indonesian, one large status word, the
 * document's public (masked) values, inline CSS only: no image, no font
 * or stylesheet from elsewhere, so the strict Content-Security-Policy
 * below holds and the page stays a few KB on a slow connection. Every
 * value is HTML-escaped (core/html.h).
 *
 * Its one script, PAGE_SW_REGISTER (a file of our own, nothing inline),
 * installs the offline verifier for phones (http/sw.h): the page is
 * complete without it.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "issue/verify.h"

/* The Content-Security-Policy the page is written for. The one form (the
 * NIK check) posts to the page itself; the one script is our own file. */
#define PAGE_CSP "default-src 'none'; script-src 'self'; " \
		 "style-src 'unsafe-inline'; " \
		 "img-src data:; base-uri 'none'; form-action 'self'; " \
		 "frame-ancestors 'none'"

/* The big word for people: SAH, DICABUT, DIGANTI, KEDALUWARSA, or
 * TIDAK SAH for a code we did not issue or that does not verify. */
const char *page_status_word(enum verify_state s);

/* The answer of the page's NIK form (verify_nik_match), if it was sent. */
enum page_nik {
	PAGE_NIK_NONE = 0, /* a GET: the form, empty */
	PAGE_NIK_MATCH,    /* "cocok" */
	PAGE_NIK_MISMATCH, /* "tidak cocok" */
	PAGE_NIK_BAD,      /* not 16 digits: asked again */
};

/*
 * The time of the check goes in the status box ("Diperiksa 30 November
 * 2026 pukul 10.30 WIB"), so that a screenshot cannot pass for a live
 * check. A page written with now < 0 carries PAGE_TIME_MARK in its
 * place instead (a byte no escaped value and no text of the page holds),
 * so the verifier's answer cache can keep one page and page_stamp puts
 * the time of each request in.
 */
#define PAGE_TIME_MARK '\x01'

struct page_check {
	int64_t now;         /* unix seconds (clock_now()); < 0: the mark */
	enum page_nik nik;
};

/*
 * Appends the whole page for r to out: the status, the document's
 * masked values, and for a registry row the NIK form (POST to the page
 * itself, no script) with c->nik's answer above it. The typed NIK is
 * never written back. 0 or TB_ENOMEM.
 */
int page_verify(struct buf *out, const struct verify_result *r,
		const struct page_check *c);

/* Appends body (len bytes, a page made with now < 0) with its time mark
 * replaced by the time now. 0 or TB_ENOMEM. */
int page_stamp(struct buf *out, const char *body, size_t len, int64_t now);

/* The registration script the page loads (static/verify-register.js). */
#define PAGE_SW_REGISTER "/V/sw-register.js"

/*
 * The offline page's shell, which the worker keeps and fills in when a
 * /V/ page cannot be fetched (docs/token.md, "Offline on a phone"): the
 * page's own head and style with no script, then
 *   PAGE_SHELL_WORDS {"states":{"VALID":{"word","label","cls","meaning"},
 *                     ...},"kinds":{"1":"Surat ...","2":"Kartu ..."}}-->
 *   PAGE_SHELL_VERDICT   where the worker puts the verdict and its rows
 * and the closing note. 0, TB_ENOMEM.
 */
#define PAGE_SHELL_WORDS "<!--terbit-words "
#define PAGE_SHELL_VERDICT "<!--terbit-verdict-->"
/* The shell's policy, which the worker also gives the page it makes from
 * it: the page's own, without script. */
#define PAGE_SHELL_CSP "default-src 'none'; style-src 'unsafe-inline'; " \
		       "img-src data:; base-uri 'none'; form-action 'none'; " \
		       "frame-ancestors 'none'"
int page_offline_shell(struct buf *out);

#endif
