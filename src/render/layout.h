#ifndef TERBIT_LAYOUT_H
#define TERBIT_LAYOUT_H
/*
 * layout: the parser of layout files (layouts/NAME.layout), the text files
 * that say how a document looks. docs/layouts.md is the user's guide; in
 * short, one element per line:
 *
 *   # comment
 *   page size=A4
 *   text x=20 y=12 w=170 size=14 bold align=center text="DINAS SOSIAL"
 *   rule x=20 y=36 w=170 double
 *   table x=25 y=80 w=160 label_w=45 size=11
 *   row label="Nama" text="{name}"
 *   qr x=20 y=230 size=32 data="{qr}"
 *
 * Numbers are millimetres (font sizes: points), y measured from the top of
 * the page; y=+N places an element N mm below the text, table or
 * signature drawn before it, so text that wraps pushes what follows.
 * Strings are in double quotes with \" \\ and \n (line break) escapes;
 * a line ending in a backslash continues on the next. Each kind of
 * element is a row of the kind table in layout.c (name, parse check, allowed and
 * required attributes); every error names the file and line.
 *
 * The parsed layout is plain data for the renderer, read-only once
 * loaded, so threads may share it.
 */
#include <stddef.h>

#include "core/buf.h"

enum layout_kind {
	LAYOUT_PAGE,      /* page size: size=A4|ID1 or w= h= */
	LAYOUT_TEXT,      /* text in a box: wrap, align, justify */
	LAYOUT_TABLE,     /* two-column label/value table, rows follow */
	LAYOUT_ROW,       /* one row of the table above it */
	LAYOUT_RULE,      /* horizontal rule, single or double */
	LAYOUT_RECT,      /* rectangle, fill/stroke, rounded corners */
	LAYOUT_IMAGE,     /* PNG image */
	LAYOUT_QR,        /* QR code, vector */
	LAYOUT_SIGNATURE, /* place/date, title, space, name, NIP, note */
};

enum layout_align { LAYOUT_LEFT, LAYOUT_CENTER, LAYOUT_RIGHT, LAYOUT_JUSTIFY };

/* Numeric attributes; NaN when not given (the renderer has defaults). */
enum layout_num {
	LN_X, LN_Y, LN_W, LN_H, LN_SIZE, LN_LEADING, LN_THICK, LN_GAP,
	LN_RADIUS, LN_QUIET, LN_LABEL_W, LN_SPACE, LN_ANGLE,
	LN_SHRINK,        /* shrink=MIN_PT: the smallest size it may take */
	LN_LINES,         /* lines=N: the most lines the text may take */
	LN_LABEL_SIZE,    /* a table's labels, pt (default: the table's size) */
	LN_NUM_MAX
};

/* String attributes; NULL when not given. May hold {placeholders}. */
enum layout_str {
	LS_TEXT, LS_LABEL, LS_SRC, LS_DATA, LS_PLACE, LS_TITLE, LS_NAME,
	LS_NIP, LS_NOTE, LS_SIZE, LS_STR_MAX
};

/* Flags (attributes without a value). */
enum {
	/* LF_SHRINK: shrink alone, or shrink=MIN_PT (then num[LN_SHRINK]) */
	LF_BOLD = 1, LF_UNDERLINE = 2, LF_WRAP = 4, LF_SHRINK = 8,
	LF_DOUBLE = 16, LF_COLON = 32,
};

struct layout_el {
	enum layout_kind kind;
	int line;                   /* where it starts in the file */
	int y_rel;                  /* y=+N: N mm below the previous text,
				       table or signature (num[LN_Y] = N) */
	double num[LN_NUM_MAX];
	char *str[LS_STR_MAX];
	unsigned flags;
	enum layout_align align;
	unsigned color, fill, stroke; /* 0xRRGGBB */
	int has_fill, has_stroke;
	struct buf image;           /* LAYOUT_IMAGE: the PNG bytes */
};

struct layout {
	char *name;                 /* file name, for messages */
	double page_w, page_h;      /* mm */
	size_t n;
	struct layout_el *el;
};

/*
 * Parses text[0..len) (the file's contents) into lay, which the caller
 * then releases with layout_release (also after a failure). name is used
 * in messages: "name:LINE: ...". Every byte must be understood: a NUL,
 * malformed UTF-8, a control character other than tab (a CR only before
 * a newline), an unknown element or attribute, an attribute given twice
 * are TB_EINVAL naming the line. TB_EINVAL or TB_ENOMEM.
 */
int layout_parse(struct layout *lay, const char *name, const char *text,
		 size_t len, struct buf *err);
/*
 * Reads and parses path, then reads every image it names (src= relative
 * to the layout's folder, PNG only). Same contract as layout_parse.
 */
int layout_load(struct layout *lay, const char *path, struct buf *err);
void layout_release(struct layout *lay);

/* Name of a kind as written in files ("text", "qr", ...). */
const char *layout_kind_name(enum layout_kind kind);

#endif
