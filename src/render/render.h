#ifndef TERBIT_RENDER_H
#define TERBIT_RENDER_H
/*
 * render: documents (the SPM letter, the KIS-style card) from layout files
 * to PDF bytes, with libharu; QR codes drawn as vectors.
 *
 * Life cycle:
 *   struct render_ctx *ctx;
 *   render_ctx_new(&ctx, "/path/to/root", &err);   -- once, at start
 *   render_doc(ctx, RENDER_LETTER, &fields, 0, &pdf, &err);  -- many times
 *   render_ctx_free(ctx);
 *
 * The root holds layouts/ (spm_letter.layout, kis_card_front.layout,
 * kis_card_back.layout, and the images they name) and fonts/
 * (terbit-sans.ttf and terbit-sans-bold.ttf: subset DejaVu Sans). The
 * context parses every layout and reads the fonts and images once; it is
 * read-only afterwards, so any number of threads may call render_doc on
 * one context at the same time (each call makes its own libharu document).
 *
 * Fields: the document's data as key/value pairs (struct render_fields,
 * below). Layout text names them as placeholders, "{name}", optionally
 * with a format: "{birth_date|date}" (ISO date -> "22 November 2026"),
 * "{score|decimal3}" ("1.8421" -> "1,842"), "{card_number|card}"
 * ("0001234567890" -> "0001 2345 6789 0"), "{sex|sex}" ("L" ->
 * "Laki-laki"), "{name|upper}". A placeholder whose field is missing is
 * an error of that document (TB_EINVAL naming the field), never blank.
 *
 * Canonical field names (raw values; the layout applies the formats):
 *   name            full name, UTF-8
 *   nik, kk         16 digits each
 *   birth_place     e.g. "Banyuwangi"
 *   birth_date      ISO "YYYY-MM-DD"
 *   sex             "L" or "P"
 *   address         street address, without RT/RW
 *   rt, rw          e.g. "003", "001"
 *   village         desa/kelurahan name
 *   kecamatan       district name
 *   regency         e.g. "Banyuwangi" (kabupaten name)
 *   score           poverty score, decimal with a dot, e.g. "1.8421"
 *   letter_number   e.g. "400.9/0001/429.108/2026"
 *   issue_date      ISO date of issue
 *   valid_until     ISO date
 *   serial          document serial (printed in the footer)
 *   card_number     13 digits, made by the issuer (check digit included)
 *   card_valid_until  ISO date the card is valid to
 *   faskes          primary facility (Faskes Tingkat I) name
 *   kelas           care class, e.g. "III"
 *   government_level  "PEMERINTAH KABUPATEN BANYUWANGI" (letterhead)
 *   office_name     "Dinas Sosial Kabupaten Banyuwangi"
 *   office_address  one line (letterhead)
 *   office_city     place before the date, "Banyuwangi"
 *   head_title      "Kepala Dinas Sosial Kabupaten Banyuwangi"
 *   head_name       the office head's name (signature block)
 *   head_nip        NIP, "19700101 199503 1 001"
 *   qr              the QR payload (upper-case URL, at most version 8)
 * docs/layouts.md lists the same names and the formats.
 *
 * Text: every value is UTF-8. The fonts carry Windows-1252 (Latin-1 plus
 * ’ ‘ “ ” – — • … and the like); a character outside it is spelt in Latin
 * when the spelling is obvious (Ł as L, ʼ as ', docs/layouts.md), any
 * other is TB_EINVAL with a message naming the character (U+XXXX).
 *
 * The PDF has no /ID (libharu writes one only for encrypted documents, and
 * it would not be unique per document anyway); the signing step sets its
 * own /ID. Documents carry no creation date, so the same fields render to
 * the same bytes.
 */
#include <stddef.h>

#include "core/buf.h"

enum render_kind {
	RENDER_LETTER, /* A4 SPM letter, one page */
	RENDER_CARD,   /* ID-1 card: front and back, one page each */
};

enum {
	RENDER_SPECIMEN = 1, /* "CONTOH / SPECIMEN" across every page */
};

#define RENDER_FIELDS_MAX 64

struct render_field {
	char *key;
	char *value;
};

/* Owns copies of its keys and values. Init with render_fields_init. */
struct render_fields {
	size_t n;
	struct render_field item[RENDER_FIELDS_MAX];
};

void render_fields_init(struct render_fields *f);
/* Copies key and value; replaces an existing key. TB_ENOMEM, or
 * TB_ETOOBIG past RENDER_FIELDS_MAX keys. */
int render_fields_set(struct render_fields *f, const char *key,
		      const char *value);
/* NULL when absent. The pointer lives until the key is set again. */
const char *render_fields_get(const struct render_fields *f, const char *key);
void render_fields_release(struct render_fields *f);
/*
 * Reads "key = value" lines (UTF-8; '#' starts a comment line; the value
 * runs to the end of the line, surrounding blanks trimmed) into f. Used by
 * the test path `terbit render ... --fields FILE` and the bench.
 * TB_EINVAL with the line number for a line without '='.
 */
int render_fields_parse(struct render_fields *f, const char *text,
			struct buf *err);

struct render_ctx;

/*
 * Loads and checks every layout and font under root. On success *out is
 * the caller's, freed with render_ctx_free. A layout error comes back as
 * TB_EINVAL with "file:line: message".
 */
int render_ctx_new(struct render_ctx **out, const char *root, struct buf *err);
void render_ctx_free(struct render_ctx *ctx);

/*
 * Renders one document and appends its PDF bytes to out (caller-owned).
 * flags: RENDER_SPECIMEN or 0. On failure out is left as it was and err
 * says what: TB_EINVAL (missing field, character the fonts lack, text
 * that does not fit its box, QR payload too long), TB_ENOMEM, or
 * TB_EINTERNAL with the libharu error number.
 */
int render_doc(const struct render_ctx *ctx, enum render_kind kind,
	       const struct render_fields *fields, int flags, struct buf *out,
	       struct buf *err);

/*
 * Card sheets, for printing on an A4 printer (docs/printing.md): the
 * cards imposed ten to an A4 portrait page, 2 columns x 5 rows of ID-1
 * cards centred on the page, the columns 6 mm apart, the rows sharing
 * their cuts. For each sheet a front page (cards left to right, top to
 * bottom) and then a back page with each card's back mirrored left-right,
 * so that duplex printing with a long-edge flip puts every back behind
 * its front. Crop marks extend each cut line into the margins and the
 * gutter, 2 mm clear of the cards; a footer outside the cut area says
 * "Lembar k dari m", front or back, which cards of how many, and (date
 * not NULL) "dicetak <date>" (date ISO, e.g. the day of printing: the
 * renderer reads no clock, so the same input gives the same bytes).
 *
 * cards[0..n) are each one card's fields, as render_doc(RENDER_CARD)
 * takes them; the cards are drawn by the same code and layouts as the
 * one-card pages (a QR code may move up or left by less than 0.51 mm, to
 * the page's 1/50 inch grid). The sheet is a print-out, not a document:
 * it is unsigned and not stored. flags: RENDER_SPECIMEN or 0. Appends
 * the PDF to out (2 pages per sheet of RENDER_SHEET_CARDS); on failure
 * out is as it was and err says what, naming the card ("kartu ke-3 (seri
 * ...)") when one card is the cause: TB_EINVAL (no cards, as render_doc
 * for a card, bad date), TB_ETOOBIG past RENDER_SHEET_MAX_CARDS,
 * TB_ENOMEM, TB_EINTERNAL.
 */
#define RENDER_SHEET_CARDS 10
#define RENDER_SHEET_MAX_CARDS 1000
int render_card_sheet(const struct render_ctx *ctx,
		      const struct render_fields *cards, size_t n,
		      const char *date, int flags, struct buf *out,
		      struct buf *err);

/*
 * Reports (the monthly recap, src/report/): layouts/report.layout's page
 * (the letterhead, the title, fields such as {report_period}) on the
 * first page, then blocks flowing down the pages, a new page when the
 * next one does not fit (a table continues with its header repeated),
 * "Halaman k" at each page's foot. The caller gives every word and
 * number already formatted (UTF-8, Indonesian): render only lays out
 * and draws. The charts are vector paths, not pictures.
 *
 * Tables: cells[rows * cols], row 0 the header (bold, on a tint); the
 * first column left-aligned, the others right-aligned (numbers); colw[]
 * the columns' widths in mm (summing to at most the text width), or NULL
 * for the first 2.5 times the others. Text that does not fit its cell
 * shrinks (to 5 pt) and then wraps.
 * Charts: cat[rows] the categories (areas: bars; days: points), series
 * [cols] the series' names (the legend's words), rgb[cols] their colours,
 * val[i * cols + j] the value of category i in series j. Bars are
 * stacked and horizontal, the total at each bar's end; lines name a few
 * days under the axis and differ by dash pattern as well as colour.
 */
enum render_block_kind {
	RENDER_HEADING,   /* text: a section heading */
	RENDER_PARA,      /* text: a paragraph, wrapped */
	RENDER_TABLE,
	RENDER_BARS,      /* text: the chart's title */
	RENDER_LINES,     /* text: the chart's title */
};

struct render_block {
	enum render_block_kind kind;
	const char *text;
	size_t rows, cols;
	const char *const *cells;
	const double *colw;
	const char *const *cat;
	const char *const *series;
	const unsigned *rgb;
	const int *val;
};

#define RENDER_REPORT_PAGES 24

/*
 * Appends the report's PDF to out. fields fill report.layout's
 * placeholders. On failure out is as it was: TB_ENOTFOUND without
 * layouts/report.layout under the context's root, TB_EINVAL (a missing
 * field, a character the fonts lack, a block of the wrong shape),
 * TB_ETOOBIG past RENDER_REPORT_PAGES pages, TB_ENOMEM, TB_EINTERNAL.
 */
int render_report(const struct render_ctx *ctx,
		  const struct render_fields *fields,
		  const struct render_block *blocks, size_t n,
		  struct buf *out, struct buf *err);

#endif
