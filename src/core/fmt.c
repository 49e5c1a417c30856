#include "core/fmt.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/str.h"

static const char *const months[] = {
	"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
	"Agustus", "September", "Oktober", "November", "Desember",
};

const char *fmt_month_id(int month)
{
	return month >= 1 && month <= 12 ? months[month - 1] : NULL;
}

/* Days from civil, after H. Hinnant's public-domain algorithm shape:
 * shift the year to start in March so the leap day falls last. */
int64_t date_to_days(int y, int m, int d)
{
	int64_t yy = y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t mp = (m + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void days_to_date(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 ? 28 + leap : dm[m - 1];
}

int date_parse(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return TB_EINVAL;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return TB_EINVAL;
	int yy = atoi(s), mm = atoi(s + 5), dd = atoi(s + 8);
	if (yy < 1800 || mm < 1 || mm > 12 || dd < 1 ||
	    dd > days_in_month(yy, mm))
		return TB_EINVAL;
	*y = yy;
	*m = mm;
	*d = dd;
	return 0;
}

void fmt_iso_utc(int64_t t, char out[32])
{
	int64_t days = t / 86400, sec = t % 86400;
	int y, m, d;
	if (sec < 0) {
		sec += 86400;
		days--;
	}
	days_to_date(days, &y, &m, &d);
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.000Z", y, m, d,
		 (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

int iso_utc_parse(const char *s, int64_t *out)
{
	char date[DATE_LEN + 1];
	int y, m, d;
	if (!s || strlen(s) < 19 || (s[10] != 'T' && s[10] != ' ') ||
	    s[13] != ':' || s[16] != ':')
		return TB_EINVAL;
	memcpy(date, s, DATE_LEN);
	date[DATE_LEN] = 0;
	if (date_parse(date, &y, &m, &d) < 0)
		return TB_EINVAL;
	for (int i = 11; i < 19; i++)
		if (i != 13 && i != 16 && !isdigit((unsigned char)s[i]))
			return TB_EINVAL;
	int hh = atoi(s + 11), mi = atoi(s + 14), ss = atoi(s + 17);
	if (hh > 23 || mi > 59 || ss > 60)
		return TB_EINVAL;
	const char *p = s + 19;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (*p == 'Z')
		p++;
	if (*p)
		return TB_EINVAL;
	*out = date_to_days(y, m, d) * 86400 + hh * 3600 + mi * 60 + ss;
	return 0;
}

static struct {
	int fixed;
	const char *now, *today;
} clock_env;

void clock_env_fix(void)
{
	clock_env.now = getenv("TERBIT_NOW");
	clock_env.today = getenv("TERBIT_TODAY");
	clock_env.fixed = 1;
}

int64_t clock_now(void)
{
	const char *o = clock_env.fixed ? clock_env.now : getenv("TERBIT_NOW");
	int64_t t;
	if (o && iso_utc_parse(o, &t) == 0)
		return t;
	/* Not time(): glibc reads the kernel's coarse clock for it, which
	 * lags the precise one SQLite stamps rows with ('now') by up to a
	 * tick, so a time measured from a row stamped in the first
	 * milliseconds of a second came out a second short (the case
	 * queue's waiting time was -1 s; test_cases caught it). */
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t clock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t date_today(void)
{
	const char *o = clock_env.fixed ? clock_env.today
					: getenv("TERBIT_TODAY");
	int y, m, d;
	if (o && date_parse(o, &y, &m, &d) == 0)
		return date_to_days(y, m, d);
	int64_t t = clock_now();
	/* Floor division: a clock before 1970 is still the right day. */
	return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

int fmt_dec(struct buf *out, int64_t v, int width)
{
	char tmp[24], *p = tmp + sizeof tmp;
	uint64_t u = v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
	if (width > 20)
		width = 20;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) || tmp + sizeof tmp - p < width);
	if (v < 0)
		*--p = '-';
	return buf_add(out, p, (size_t)(tmp + sizeof tmp - p));
}

/* "30 November 2026" */
static int add_day_id(struct buf *out, int y, int m, int d)
{
	int rc = fmt_dec(out, d, 1);
	if (rc == 0)
		rc = buf_addc(out, ' ');
	if (rc == 0)
		rc = buf_adds(out, months[m - 1]);
	if (rc == 0)
		rc = buf_addc(out, ' ');
	return rc ? rc : fmt_dec(out, y, 1);
}

int fmt_days_id(struct buf *out, int64_t days)
{
	int y, m, d;
	days_to_date(days, &y, &m, &d);
	return add_day_id(out, y, m, d);
}

int fmt_date_id(struct buf *out, const char *iso)
{
	int y, m, d;
	if (date_parse(iso, &y, &m, &d))
		return TB_EINVAL;
	return buf_addf(out, "%d %s %d", d, months[m - 1], y);
}

int fmt_decimal_id(struct buf *out, double v, int decimals)
{
	char tmp[64];
	if (decimals < 0 || decimals > 9)
		return TB_EINVAL;
	int n = snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
	if (n < 0 || (size_t)n >= sizeof tmp)
		return TB_EINVAL;
	char *dot = strchr(tmp, '.');
	if (dot)
		*dot = ',';
	return buf_add(out, tmp, (size_t)n);
}

int fmt_int_id(struct buf *out, int64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%" PRId64, v);
	int neg = tmp[0] == '-';
	int digits = n - neg;
	int rc = neg ? buf_addc(out, '-') : 0;
	for (int i = 0; i < digits && !rc; i++) {
		if (i && (digits - i) % 3 == 0)
			rc = buf_addc(out, '.');
		if (!rc)
			rc = buf_addc(out, tmp[neg + i]);
	}
	return rc;
}

int fmt_duration_id(struct buf *out, int64_t s)
{
	int64_t m = s > 0 ? s / 60 : 0, h = m / 60, d = h / 24;
	if (m == 0)
		return buf_adds(out, "kurang dari 1 menit");
	if (h == 0)
		return buf_addf(out, "%" PRId64 " menit", m);
	if (h < 10)
		return m % 60 ? buf_addf(out, "%" PRId64 " jam %" PRId64
					 " menit", h, m % 60)
			      : buf_addf(out, "%" PRId64 " jam", h);
	if (h < 48)
		return buf_addf(out, "%" PRId64 " jam", h);
	if (d < 10 && h % 24)
		return buf_addf(out, "%" PRId64 " hari %" PRId64 " jam", d,
				h % 24);
	return buf_addf(out, "%" PRId64 " hari", d);
}

int64_t fmt_axis_max(int64_t v)
{
	for (int64_t p = 1;; p *= 10) {
		if (v <= p)
			return p;
		if (v <= 2 * p)
			return 2 * p;
		if (v <= 5 * p)
			return 5 * p;
	}
}

int fmt_card_number(struct buf *out, const char *s)
{
	if (!str_is_digits(s, 13))
		return TB_EINVAL;
	return buf_addf(out, "%.4s %.4s %.4s %.1s", s, s + 4, s + 8, s + 12);
}

int fmt_nik_grouped(struct buf *out, const char *nik)
{
	if (!str_is_digits(nik, NIK_LEN))
		return buf_adds(out, nik ? nik : "");
	return buf_addf(out, "%.4s %.2s %.6s %.4s", nik, nik + 4, nik + 6,
			nik + 12);
}

int fmt_wait_id(struct buf *out, int64_t s)
{
	if (s < 60)
		return buf_adds(out, "kurang dari 1 menit");
	if (s < 3600)
		return buf_addf(out, "%" PRId64 " menit", s / 60);
	if (s < 86400)
		return buf_addf(out, "%" PRId64 " jam", s / 3600);
	return buf_addf(out, "%" PRId64 " hari", s / 86400);
}

/* The regency's clock: Banyuwangi is on WIB all year (no summer time). */
#define WIB_OFFSET_S (7 * 3600)

int fmt_time_id(struct buf *out, int64_t t)
{
	int y, m, d;
	t += WIB_OFFSET_S;
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t rest = t - days * 86400;
	days_to_date(days, &y, &m, &d);
	int rc = add_day_id(out, y, m, d);
	if (rc == 0)
		rc = buf_adds(out, " pukul ");
	if (rc == 0)
		rc = fmt_dec(out, (int)(rest / 3600), 2);
	if (rc == 0)
		rc = buf_addc(out, '.');
	if (rc == 0)
		rc = fmt_dec(out, (int)(rest % 3600 / 60), 2);
	return rc ? rc : buf_adds(out, " WIB");
}

int fmt_datetime_id(struct buf *out, const char *s)
{
	char date[DATE_LEN + 1];
	int y, m, d;
	if (!s || strlen(s) < 16 || (s[10] != 'T' && s[10] != ' ') ||
	    s[13] != ':' || !isdigit((unsigned char)s[11]) ||
	    !isdigit((unsigned char)s[12]) || !isdigit((unsigned char)s[14]) ||
	    !isdigit((unsigned char)s[15]))
		return TB_EINVAL;
	memcpy(date, s, DATE_LEN);
	date[DATE_LEN] = '\0';
	int hh = (s[11] - '0') * 10 + (s[12] - '0');
	int mi = (s[14] - '0') * 10 + (s[15] - '0');
	if (date_parse(date, &y, &m, &d) || hh > 23 || mi > 59)
		return TB_EINVAL;
	/* Through seconds since the epoch, so the day, month and year roll
	 * over together (31 December 20.00 UTC is 1 January in WIB). */
	return fmt_time_id(out, date_to_days(y, m, d) * 86400 + hh * 3600 +
					mi * 60);
}

int fmt_sex_id(struct buf *out, char sex)
{
	if (sex == 'L')
		return buf_adds(out, "Laki-laki");
	if (sex == 'P')
		return buf_adds(out, "Perempuan");
	return TB_EINVAL;
}

int region_normalize(const char *in, char out[REGION_CODE_MAX + 1])
{
	size_t n = 0;
	if (!in)
		return TB_EINVAL;
	for (const char *p = in; *p; p++) {
		if (*p == '.')
			continue;
		if (!isdigit((unsigned char)*p) || n == REGION_CODE_MAX)
			return TB_EINVAL;
		out[n++] = *p;
	}
	out[n] = '\0';
	/* Dots, when present, must sit at the group boundaries 2.2.2.4. */
	if (strchr(in, '.')) {
		static const int at[] = { 2, 5, 8 };
		size_t len = strlen(in);
		for (size_t i = 0; i < 3 && at[i] < (int)len; i++)
			if (in[at[i]] != '.')
				return TB_EINVAL;
		if (len != n + (n > 2) + (n > 4) + (n > 6))
			return TB_EINVAL;
	}
	if (n != 2 && n != 4 && n != 6 && n != 10)
		return TB_EINVAL;
	return (int)n;
}

int region_dotted(struct buf *out, const char *d)
{
	size_t n = strlen(d);
	switch (n) {
	case 2: return buf_adds(out, d);
	case 4: return buf_addf(out, "%.2s.%.2s", d, d + 2);
	case 6: return buf_addf(out, "%.2s.%.2s.%.2s", d, d + 2, d + 4);
	case 10:
		return buf_addf(out, "%.2s.%.2s.%.2s.%.4s", d, d + 2, d + 4,
				d + 6);
	}
	return TB_EINVAL;
}

int mask_name(struct buf *out, const char *name)
{
	int rc = 0, word_start = 1;
	for (const unsigned char *p = (const unsigned char *)name; *p && !rc;) {
		/* One UTF-8 character at a time so a name masks to as many
		 * stars as it has letters, not bytes. */
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
		for (size_t k = 1; k < len; k++)
			if ((p[k] & 0xC0) != 0x80) {
				len = 1;
				break;
			}
		if (*p == ' ') {
			rc = buf_addc(out, ' ');
			word_start = 1;
		} else if (word_start) {
			rc = buf_add(out, p, len);
			word_start = 0;
		} else {
			rc = buf_addc(out, '*');
		}
		p += len;
	}
	return rc;
}

int mask_nik(struct buf *out, const char *nik)
{
	if (!nik || strlen(nik) != 16)
		return buf_adds(out, "****************");
	/* Province, regency and kecamatan (6 digits) and the last four:
	 * the six birth-date digits stay hidden (docs/api.md has the counts
	 * that chose this). */
	int rc = buf_grow(out, 16);
	if (rc == 0) {
		buf_add(out, nik, 6);
		buf_add(out, "******", 6);
		buf_add(out, nik + 12, 4);
	}
	return rc;
}
