/*
 * NIK rules. The NIK carries the birth date (day + 40 for women) with a
 * two-digit year; that is all we read from it. Its first six digits say
 * where the person was first registered, not where they live now.
 */
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "eligibility/eligibility.h"

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int real_date(int y, int m, int d)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30,
				       31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* "Latest year not after today": 20yy when that date is real and not in
 * the future, else 19yy (only yy = 00 differs in leap-ness, and 2000 is
 * tried first). Returns 0 when neither is a real date. */
static int resolve_year(int yy, int m, int d)
{
	int y = 2000 + yy;
	if (real_date(y, m, d) && date_to_days(y, m, d) <= date_today())
		return y;
	y = 1900 + yy;
	return real_date(y, m, d) ? y : 0;
}

int nik_parse(const char *nik, const char *birth_iso, struct nik_info *out,
	      struct buf *err)
{
	struct nik_info tmp;
	if (!out)
		out = &tmp;
	if (!nik)
		return tb_err(err, TB_EINVAL, "NIK kosong");
	size_t len = strlen(nik);
	if (len != 16)
		return tb_err(err, TB_EINVAL,
			      "NIK harus 16 digit angka (tertulis %zu karakter)",
			      len);
	for (size_t i = 0; i < 16; i++)
		if (nik[i] < '0' || nik[i] > '9')
			return tb_err(err, TB_EINVAL,
				      "NIK hanya boleh berisi angka (karakter ke-%zu bukan angka)",
				      i + 1);

	int dd = two(nik + 6), mm = two(nik + 8), yy = two(nik + 10);
	char sex = 'L';
	if (dd > 40) {
		dd -= 40;
		sex = 'P';
	}
	/* Leap-agnostic first, so "31 Feb" or day 72 is called what it is
	 * even when a birth date is given. */
	if (!real_date(2000, mm, dd))
		return tb_err(err, TB_EINVAL,
			      "Tanggal lahir pada NIK (digit 7-12: %.6s) bukan tanggal yang sah",
			      nik + 6);
	int year;
	if (birth_iso) {
		int by, bm, bd;
		if (date_parse(birth_iso, &by, &bm, &bd) != 0)
			return tb_err(err, TB_EINVAL,
				      "Tanggal lahir harus berformat YYYY-MM-DD dan sah");
		if (by % 100 != yy || bm != mm || bd != dd)
			return tb_err(err, TB_EINVAL,
				      "Tanggal lahir pada NIK (%02d-%02d-%02d) tidak sama dengan tanggal lahir %02d-%02d-%04d",
				      dd, mm, yy, bd, bm, by);
		year = by;
	} else {
		year = resolve_year(yy, mm, dd);
		if (!year)
			return tb_err(err, TB_EINVAL,
				      "Tanggal lahir pada NIK (digit 7-12: %.6s) bukan tanggal yang sah",
				      nik + 6);
	}

	memcpy(out->region, nik, 6);
	out->region[6] = '\0';
	out->year = year;
	out->month = mm;
	out->day = dd;
	out->sex = sex;
	memcpy(out->serial, nik + 12, 4);
	out->serial[4] = '\0';
	return 0;
}
