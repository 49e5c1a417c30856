#include "core/csv.h"

#include <string.h>

#include "core/err.h"

void csv_init(struct csv *c, const char *data, size_t len)
{
	memset(c, 0, sizeof *c);
	c->p = data;
	c->end = data + len;
	buf_init(&c->store, 0);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
	c->line = 1;
	c->next_line = 1;
}

void csv_release(struct csv *c)
{
	buf_release(&c->store);
}

/* Skips blank lines (LF, CRLF) before a row; counts them. */
static void skip_blank(struct csv *c)
{
	for (;;) {
		if (c->p < c->end && *c->p == '\n') {
			c->p++;
			c->next_line++;
		} else if (c->end - c->p >= 2 && c->p[0] == '\r' &&
			   c->p[1] == '\n') {
			c->p += 2;
			c->next_line++;
		} else {
			return;
		}
	}
}

/* Reads one field starting at c->p into store; leaves c->p on the
 * separator, line end or end of input. */
static int read_field(struct csv *c, struct buf *err)
{
	size_t start = c->store.len;
	if (c->p < c->end && *c->p == '"') {
		unsigned open_line = c->next_line;
		c->p++;
		for (;;) {
			if (c->p >= c->end)
				return tb_err(err, TB_EINVAL,
					      "baris %u: tanda kutip tidak ditutup",
					      open_line);
			char ch = *c->p++;
			if (ch == '"') {
				if (c->p < c->end && *c->p == '"') {
					c->p++;
				} else {
					break;
				}
			} else if (ch == '\n') {
				c->next_line++;
			}
			if (buf_addc(&c->store, ch))
				return tb_err(err, TB_ENOMEM, "memori habis");
		}
		if (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
		    !(*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n') &&
		    !(*c->p == '\r' && c->p + 1 == c->end))
			return tb_err(err, TB_EINVAL,
				      "baris %u: ada teks setelah tanda kutip penutup",
				      c->next_line);
	} else {
		const char *s = c->p;
		while (c->p < c->end && *c->p != ',' && *c->p != '\n') {
			if (*c->p == '"')
				return tb_err(err, TB_EINVAL,
					      "baris %u: tanda kutip di tengah kolom tanpa kutip",
					      c->next_line);
			c->p++;
		}
		size_t n = (size_t)(c->p - s);
		/* CR of a CRLF line end belongs to the line end, not the field. */
		if (n && s[n - 1] == '\r' && (c->p == c->end || *c->p == '\n'))
			n--;
		if (buf_add(&c->store, s, n))
			return tb_err(err, TB_ENOMEM, "memori habis");
	}
	if (c->store.len - start > CSV_MAX_FIELD)
		return tb_err(err, TB_EINVAL, "baris %u: kolom terlalu panjang",
			      c->next_line);
	return buf_addc(&c->store, '\0') ? tb_err(err, TB_ENOMEM, "memori habis")
					 : 0;
}

int csv_next(struct csv *c, struct buf *err)
{
	skip_blank(c);
	c->line = c->next_line;
	c->nfields = 0;
	buf_reset(&c->store);
	if (c->p >= c->end)
		return 0;
	size_t offs[CSV_MAX_FIELDS];
	for (;;) {
		if (c->nfields == CSV_MAX_FIELDS)
			return tb_err(err, TB_EINVAL, "baris %u: terlalu banyak kolom",
				      c->line);
		offs[c->nfields++] = c->store.len;
		int rc = read_field(c, err);
		if (rc)
			return rc;
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n') {
			c->p++;
			c->next_line++;
		}
		break;
	}
	/* store may have moved while growing: point fields at it only now. */
	for (size_t i = 0; i < c->nfields; i++)
		c->fields[i] = c->store.data + offs[i];
	return 1;
}

int csv_header(const struct csv *c, const char *const *expected, size_t n,
	       size_t *cols, struct buf *err)
{
	for (size_t i = 0; i < n; i++) {
		size_t k;
		for (k = 0; k < c->nfields; k++)
			if (strcmp(c->fields[k], expected[i]) == 0)
				break;
		if (k == c->nfields)
			return tb_err(err, TB_EINVAL,
				      "baris %u: kolom '%s' tidak ada di header",
				      c->line, expected[i]);
		cols[i] = k;
	}
	for (size_t k = 0; k < c->nfields; k++) {
		size_t i;
		for (i = 0; i < n; i++)
			if (strcmp(c->fields[k], expected[i]) == 0)
				break;
		if (i == n)
			return tb_err(err, TB_EINVAL,
				      "baris %u: kolom '%s' tidak dikenal",
				      c->line, c->fields[k]);
		for (size_t j = 0; j < k; j++)
			if (strcmp(c->fields[j], c->fields[k]) == 0)
				return tb_err(err, TB_EINVAL,
					      "baris %u: kolom '%s' muncul dua kali",
					      c->line, c->fields[k]);
	}
	return 0;
}

/* ---- writer -------------------------------------------------------- */

/* A leading byte that makes spreadsheets evaluate the cell (formula
 * injection): '=' '+' '-' '@', and TAB or CR, which some of them skip
 * before looking for one. */
static int csv_dangerous(const char *f)
{
	return f[0] && strchr("=+-@\t\r", f[0]) != NULL;
}

static int csv_field(struct buf *out, const char *f)
{
	int defuse = csv_dangerous(f);
	if (!defuse && !f[strcspn(f, ",\"\r\n")])
		return buf_adds(out, f);
	int rc = buf_addc(out, '"');
	if (!rc && defuse)
		rc = buf_addc(out, '\'');
	for (const char *p = f; !rc && *p; p++)
		rc = *p == '"' ? buf_adds(out, "\"\"") : buf_addc(out, *p);
	return rc ? rc : buf_addc(out, '"');
}

int csv_row(struct buf *out, const char *const *fields, size_t n)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		if (i)
			rc = buf_addc(out, ',');
		if (!rc)
			rc = csv_field(out, fields[i] ? fields[i] : "");
	}
	return rc ? TB_ENOMEM : buf_adds(out, "\r\n");
}
