#include "render/qr.h"

#include <errno.h>
#include <math.h>
#include <png.h>
#include <qrencode.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

int qr_encode(struct qr *q, const char *text, struct buf *err)
{
	memset(q, 0, sizeof(*q));
	if (!text || !*text)
		return tb_err(err, TB_EINVAL, "isi kode QR kosong");
	/* QR_MODE_8 is only a hint: with case sensitivity on, libqrencode
	 * still splits the text into the densest modes, so an upper-case URL
	 * comes out alphanumeric. */
	QRcode *code = QRcode_encodeString(text, 1, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!code)
		return tb_err(err, errno == ENOMEM ? TB_ENOMEM : TB_EINVAL,
			      "kode QR tidak dapat dibuat (%zu karakter)",
			      strlen(text));
	int rc = TB_EINVAL;
	if (code->version > QR_MAX_VERSION) {
		tb_err(err, TB_EINVAL,
		       "isi kode QR terlalu panjang: versi %d, paling tinggi %d "
		       "(%zu karakter)", code->version, QR_MAX_VERSION,
		       strlen(text));
		goto out;
	}
	size_t n = (size_t)code->width * (size_t)code->width;
	q->dark = malloc(n);
	if (!q->dark) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		q->dark[i] = code->data[i] & 1;
	q->version = code->version;
	q->width = code->width;
	rc = 0;
out:
	QRcode_free(code);
	return rc;
}

void qr_release(struct qr *q)
{
	free(q->dark);
	memset(q, 0, sizeof(*q));
}

int qr_runs(const struct qr *q, int (*fn)(int x, int y, int len, void *arg),
	    void *arg)
{
	int runs = 0;
	for (int y = 0; y < q->width; y++) {
		const unsigned char *row = q->dark + (size_t)y * q->width;
		for (int x = 0; x < q->width;) {
			if (!row[x]) {
				x++;
				continue;
			}
			int start = x;
			while (x < q->width && row[x])
				x++;
			int rc = fn(start, y, x - start, arg);
			if (rc)
				return rc;
			runs++;
		}
	}
	return runs;
}

/* Length of the run starting at (x, y) when it is a whole run: dark from
 * x, light (or the edge) just before x and just after it; else 0. */
static int run_at(const struct qr *q, int x, int y)
{
	const unsigned char *row = q->dark + (size_t)y * q->width;
	if (!row[x] || (x > 0 && row[x - 1]))
		return 0;
	int end = x;
	while (end < q->width && row[end])
		end++;
	return end - x;
}

int qr_rects(const struct qr *q,
	     int (*fn)(int x, int y, int w, int h, void *arg), void *arg)
{
	/* done[i]: the run starting at module i is inside a rectangle */
	unsigned char *done = calloc((size_t)q->width * q->width, 1);
	int rects = 0, rc = 0;
	if (!done)
		return TB_ENOMEM;
	for (int y = 0; y < q->width && !rc; y++)
		for (int x = 0; x < q->width && !rc;) {
			int w = run_at(q, x, y);
			if (!w || done[(size_t)y * q->width + x]) {
				x += w ? w : 1;
				continue;
			}
			int h = 1;
			while (y + h < q->width && run_at(q, x, y + h) == w) {
				done[(size_t)(y + h) * q->width + x] = 1;
				h++;
			}
			rc = fn(x, y, w, h, arg);
			rects++;
			x += w;
		}
	free(done);
	return rc ? rc : rects;
}

struct png_sink {
	struct buf *out;
	int failed;
};

static void png_sink_write(png_structp png, png_bytep data, png_size_t n)
{
	struct png_sink *s = png_get_io_ptr(png);
	if (!s->failed && buf_add(s->out, data, n) < 0)
		s->failed = 1;
}

static void png_sink_flush(png_structp png)
{
	(void)png;
}

/* One packed 1-bit row of the image (0 = black). */
static void png_fill_row(const struct qr *q, int py, int scale,
			 unsigned char *row, size_t rowbytes)
{
	int total = q->width + 2 * QR_QUIET;
	memset(row, 0xFF, rowbytes);
	int my = py / scale - QR_QUIET;
	if (my < 0 || my >= q->width)
		return;
	for (int px = 0; px < total * scale; px++) {
		int mx = px / scale - QR_QUIET;
		if (mx >= 0 && mx < q->width && q->dark[my * q->width + mx])
			row[px / 8] &= (unsigned char)~(0x80 >> (px % 8));
	}
}

int qr_png(const struct qr *q, double mm, int dpi, struct buf *out,
	   struct buf *err)
{
	if (!(mm > 0 && mm < 1000) || dpi < 72 || dpi > 2400)
		return tb_err(err, TB_EINVAL,
			      "ukuran atau resolusi QR tidak masuk akal");
	int total = q->width + 2 * QR_QUIET;
	int scale = (int)lround(mm / 25.4 * dpi / total);
	if (scale < 1)
		scale = 1;
	int px = total * scale;
	size_t start = out->len;
	struct png_sink sink = { out, 0 };
	unsigned char *row = NULL;
	png_infop info = NULL;
	int rc = TB_ENOMEM;
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
						  NULL, NULL);
	if (!png)
		goto out;
	info = png_create_info_struct(png);
	row = malloc((size_t)(px + 7) / 8);
	if (!info || !row)
		goto out;
	/* libpng reports its own errors by longjmp; nothing below allocates
	 * outside png/info/row, which `out` frees. */
	if (setjmp(png_jmpbuf(png))) {
		rc = TB_EINTERNAL;
		goto out;
	}
	png_set_write_fn(png, &sink, png_sink_write, png_sink_flush);
	png_set_IHDR(png, info, (png_uint_32)px, (png_uint_32)px, 1,
		     PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_uint_32 ppm = (png_uint_32)lround(dpi / 0.0254);
	png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
	png_write_info(png, info);
	for (int y = 0; y < px; y++) {
		png_fill_row(q, y, scale, row, (size_t)(px + 7) / 8);
		png_write_row(png, row);
	}
	png_write_end(png, info);
	rc = sink.failed ? TB_ENOMEM : 0;
out:
	png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
	free(row);
	if (rc) {
		buf_truncate(out, start);
		tb_err(err, rc, rc == TB_ENOMEM ? "memori habis" :
			   "PNG kode QR gagal ditulis");
	}
	return rc;
}
