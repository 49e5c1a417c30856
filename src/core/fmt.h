#ifndef TERBIT_FMT_H
#define TERBIT_FMT_H
/*
 * Indonesian formats, in one place, for documents, CLI output and the
 * verifier page. All append to a struct buf and return 0 or a TB_E code.
 */
#include <stdint.h>

#include "core/buf.h"
#include "core/ids.h"

/* "2026-11-22" -> "22 November 2026". TB_EINVAL for a malformed date. */
int fmt_date_id(struct buf *out, const char *iso);
/* Days since 1970-01-01 -> "22 November 2026". */
int fmt_days_id(struct buf *out, int64_t days);
/* 1.8421 with 3 decimals -> "1,842" (decimal comma, rounding half up). */
int fmt_decimal_id(struct buf *out, double v, int decimals);
/* 12345 -> "12.345" (thousands with a dot). */
int fmt_int_id(struct buf *out, int64_t v);
/*
 * A waiting time for people (docs/ui: "3 jam", "2 hari"): under a
 * minute "kurang dari 1 menit"; under an hour "N menit"; under ten hours
 * "N jam M menit" (the six-hour mark needs the minutes); under two days
 * "N jam"; under ten days "N hari M jam"; else "N hari". Always rounded
 * down, so a time just short of a mark never reads as the mark itself.
 * A negative time reads as 0.
 */
int fmt_duration_id(struct buf *out, int64_t seconds);
/* A chart axis' top: v rounded up to 1, 2 or 5 times a power of ten
 * (at least 1), so the grid lines carry round numbers; the page's SVG
 * and the PDF report's charts share it and so draw the same scale. */
int64_t fmt_axis_max(int64_t v);
/* "0001234567890" (13 digits) -> "0001 2345 6789 0". */
int fmt_card_number(struct buf *out, const char *digits13);
/* 'L' -> "Laki-laki", 'P' -> "Perempuan"; anything else TB_EINVAL. */
int fmt_sex_id(struct buf *out, char sex);
/* A NIK in its groups, province-regency-kecamatan / district / birth
 * date (day+40 for women) / sequence: "3510055501900001" ->
 * "3510 05 550190 0001". Anything but 16 digits is written as it is
 * (a page must still show what is stored). */
int fmt_nik_grouped(struct buf *out, const char *nik);
/* A waiting time for people, rounded down to its largest unit: under a
 * minute "kurang dari 1 menit", then "45 menit", "3 jam", "2 hari".
 * Negative (clocks apart) counts as 0. */
int fmt_wait_id(struct buf *out, int64_t seconds);
/* A stored UTC timestamp ("2026-11-30T03:30:00.000Z", or with a space
 * instead of the T) as the time in the regency (WIB, UTC+7):
 * "30 November 2026 pukul 10.30 WIB". TB_EINVAL for anything else. */
int fmt_datetime_id(struct buf *out, const char *iso_utc);
/* Unix seconds as the time in the regency: "30 November 2026 pukul
 * 10.30 WIB" (the verifier page's time of a check). */
int fmt_time_id(struct buf *out, int64_t t);
/* Indonesian month name, 1..12; NULL otherwise. */
const char *fmt_month_id(int month);

/* Civil date <-> days since 1970-01-01 (proleptic Gregorian). */
int64_t date_to_days(int y, int m, int d);
void days_to_date(int64_t days, int *y, int *m, int *d);
/* Parses "YYYY-MM-DD" strictly (a real calendar date). 0 or TB_EINVAL. */
int date_parse(const char *iso, int *y, int *m, int *d);
/* Unix seconds -> "2026-11-30T06:36:52.000Z", the audit log's form of a
 * time (ISO 8601 UTC with milliseconds, fixed width: text order is time
 * order). */
void fmt_iso_utc(int64_t t, char out[32]);
/* "YYYY-MM-DDTHH:MM:SS" with an optional fraction and an optional 'Z'
 * (what the store writes) -> unix seconds, the fraction dropped. 0 or
 * TB_EINVAL. */
int iso_utc_parse(const char *s, int64_t *out);
/* Now, unix seconds, from the same precise clock SQLite stamps rows
 * with; TERBIT_NOW=YYYY-MM-DDTHH:MM:SSZ (iso_utc_parse's form) overrides
 * it so tests can fix the time a page shows. */
int64_t clock_now(void);
/* v in decimal, zero-padded to at least width digits (at most 20), a '-'
 * before a negative one; no printf, for what is written every answer
 * (the verifier's dates, the lane's status line and lengths). 0 or
 * TB_ENOMEM. */
int fmt_dec(struct buf *out, int64_t v, int width);
/* Milliseconds of the monotonic clock: for deadlines and durations
 * (never moved by TERBIT_NOW or by setting the time). */
int64_t clock_mono_ms(void);
/* Today (UTC) as days since 1970-01-01: TERBIT_TODAY=YYYY-MM-DD
 * overrides it so tests can move the clock (expiry), else the day of
 * clock_now(). */
int64_t date_today(void);
/* From now on clock_now and date_today read TERBIT_NOW and TERBIT_TODAY
 * as they are at this call, not from the environment each time: for a
 * server, before its threads start (a verification asked for the day
 * four times, and each getenv walked the whole environment). A process
 * that sets those variables later (the unit tests) does not call it. */
void clock_env_fix(void);

/*
 * Region codes are accepted with or without dots ("35.10.05.2001" or
 * "3510052001"). Writes the digits only into out and
 * returns the number of digits (2, 4, 6 or 10), or TB_EINVAL.
 */
int region_normalize(const char *in, char out[REGION_CODE_MAX + 1]);
/* "3510052001" -> "35.10.05.2001" (works for 2, 4, 6, 10 digits). */
int region_dotted(struct buf *out, const char *digits);

/* Masks for public output: "Siti Nurhaliza" -> "S*** N********"
 * (first letter of each word kept), NIK -> "351005******0003" (the
 * kecamatan's code and the last four digits; never the birth date). */
int mask_name(struct buf *out, const char *name);
int mask_nik(struct buf *out, const char *nik);

#endif
