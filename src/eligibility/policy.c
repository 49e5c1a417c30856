/*
 * The policy file parser (format: docs/policy.md). The parser keeps one
 * copy of the text and cuts every string out of it in place, so a policy
 * is two allocations and every label lives as long as the policy.
 * Any error stops the load: a half-read policy must never decide a case.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"
#include "eligibility/eligibility.h"

#define POLICY_MAX_INDICATORS 64
#define POLICY_MAX_SETTINGS 64
#define POLICY_MAX_BYTES (1u << 20)

struct setting {
	const char *key, *val;
	int line;
};

struct policy {
	char *text;
	const char *version, *regency, *regency_name;
	long threshold_milli;
	long validity_days;
	long card_validity_days;
	int key_line[8]; /* where each top-level key was written, by top_keys index */
	size_t nind, nactive;
	struct policy_indicator ind[POLICY_MAX_INDICATORS];
	int ind_line[POLICY_MAX_INDICATORS];
	size_t nset;
	struct setting set[POLICY_MAX_SETTINGS];
};

/* ---- small scanners ---- */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_ident(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return 0;
	size_t n = 0;
	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || is_digit(*s) || *s == '_'))
			return 0;
	return n <= 32;
}

/* Digits only, at most 6: a count of days or a small integer. */
static int parse_int(const char *s, long *out)
{
	size_t n = strlen(s);
	if (n > 6 || !str_all_digits(s))
		return -1;
	*out = strtol(s, NULL, 10);
	return 0;
}

/* "2.107" -> 2107: at most 3 decimals, so weights and the threshold are
 * exact integers of thousandths and the decision needs no floating
 * point comparisons. */
static int parse_milli(const char *s, long *out)
{
	size_t ip = strspn(s, "0123456789");
	if (ip == 0 || ip > 6)
		return -1;
	long v = strtol(s, NULL, 10) * 1000;
	if (s[ip] == '\0') {
		*out = v;
		return 0;
	}
	if (s[ip] != '.')
		return -1;
	const char *f = s + ip + 1;
	size_t fp = strspn(f, "0123456789");
	if (fp == 0 || fp > 3 || f[fp] != '\0')
		return -1;
	long frac = strtol(f, NULL, 10);
	for (size_t i = fp; i < 3; i++)
		frac *= 10;
	*out = v + frac;
	return 0;
}

/* Well-formed UTF-8 without control characters (tab allowed): labels go
 * into PDFs and HTML as they are. */
static int clean_utf8(const unsigned char *s)
{
	while (*s) {
		unsigned c = *s;
		int n;
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return 0;
			s++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3;
		else
			return 0;
		uint32_t cp = c & (0x3f >> n);
		for (int i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		s += n + 1;
	}
	return 1;
}

/* ---- letter number format ---- */

static const char *const roman[12] = { "I", "II", "III", "IV", "V", "VI",
				       "VII", "VIII", "IX", "X", "XI", "XII" };

/*
 * Walks the format; with out NULL it only validates (load time) and puts
 * the reason in why. Placeholders: {seq}, {seq:0N}, {year}, {month},
 * {month:02}, {month_roman}. {seq} must be there: without it two letters
 * could share a number.
 */
static int number_expand(const char *f, long seq, int year, int month,
			 struct buf *out, const char **why)
{
	int seen_seq = 0;
	while (*f) {
		if (*f == '}') {
			*why = "'}' tanpa '{'";
			return TB_EINVAL;
		}
		if (*f != '{') {
			size_t n = strcspn(f, "{}");
			if (out && buf_add(out, f, n))
				return TB_ENOMEM;
			f += n;
			continue;
		}
		const char *end = strchr(f, '}');
		if (!end) {
			*why = "'{' tanpa '}'";
			return TB_EINVAL;
		}
		size_t n = (size_t)(end - f - 1);
		const char *ph = f + 1;
		int rc = 0;
		if (n == 3 && !memcmp(ph, "seq", 3)) {
			seen_seq = 1;
			if (out)
				rc = buf_addf(out, "%ld", seq);
		} else if (n == 6 && !memcmp(ph, "seq:0", 5) && ph[5] >= '1' &&
			   ph[5] <= '9') {
			seen_seq = 1;
			if (out)
				rc = buf_addf(out, "%0*ld", ph[5] - '0', seq);
		} else if (n == 4 && !memcmp(ph, "year", 4)) {
			if (out)
				rc = buf_addf(out, "%04d", year);
		} else if (n == 5 && !memcmp(ph, "month", 5)) {
			if (out)
				rc = buf_addf(out, "%d", month);
		} else if (n == 8 && !memcmp(ph, "month:02", 8)) {
			if (out)
				rc = buf_addf(out, "%02d", month);
		} else if (n == 11 && !memcmp(ph, "month_roman", 11)) {
			if (out)
				rc = buf_adds(out, roman[month - 1]);
		} else {
			*why = "tempat isian tidak dikenal (yang dikenal: {seq}, {seq:04}, {year}, {month}, {month:02}, {month_roman})";
			return TB_EINVAL;
		}
		if (rc)
			return rc;
		f = end + 1;
	}
	if (!seen_seq) {
		*why = "{seq} wajib ada agar setiap nomor surat berbeda";
		return TB_EINVAL;
	}
	return 0;
}

/* ---- lines ---- */

enum { L_BLANK, L_SECTION, L_KEY };

struct line {
	char *key; /* section name for L_SECTION */
	char *arg; /* "answer 1 = ..." -> "1"; "[indicator lantai]" -> "lantai" */
	char *val;
};

static char *skip_ws(char *s)
{
	return s + strspn(s, " \t");
}

/* Cuts a bare word (no spaces, '=', '#', '"', brackets) out of s. */
static char *cut_word(char **s)
{
	char *w = *s;
	size_t n = strcspn(w, " \t=#\"[]");
	*s = w + n;
	return w;
}

/* The rest of a line after a value or header: only a comment may follow. */
static int line_end(char *s)
{
	s = skip_ws(s);
	return *s == '\0' || *s == '#';
}

/* Unquotes "..." in place (escapes \" and \\). On return *s is past the
 * closing quote. NULL and *why on failure. */
static char *cut_string(char **s, const char **why)
{
	char *r = *s + 1, *w = r;
	for (;;) {
		if (*r == '\0') {
			*why = "string tidak ditutup (tanda kutip penutup tidak ada)";
			return NULL;
		}
		if (*r == '"')
			break;
		if (*r == '\\') {
			r++;
			if (*r != '"' && *r != '\\') {
				*why = "escape tidak dikenal dalam string (hanya \\\" dan \\\\)";
				return NULL;
			}
		}
		*w++ = *r++;
	}
	char *val = *s + 1;
	*s = r + 1;
	*w = '\0';
	return val;
}

static int split_line(char *s, struct line *ln, const char **why)
{
	ln->key = ln->arg = ln->val = NULL;
	s = skip_ws(s);
	if (*s == '\0' || *s == '#')
		return L_BLANK;
	if (*s == '[') {
		char *close = strchr(s, ']');
		if (!close || !line_end(close + 1)) {
			*why = "judul bagian harus berbentuk [nama] atau [indicator kode]";
			return -1;
		}
		*close = '\0';
		char *p = skip_ws(s + 1);
		ln->key = cut_word(&p);
		char *after = p;
		p = skip_ws(p);
		*after = '\0';
		if (*p) {
			ln->arg = cut_word(&p);
			char *end = p;
			if (*skip_ws(p)) {
				*why = "judul bagian harus berbentuk [nama] atau [indicator kode]";
				return -1;
			}
			*end = '\0';
		}
		return L_SECTION;
	}
	ln->key = cut_word(&s);
	char *end = s;
	s = skip_ws(s);
	if (*s != '=') {
		ln->arg = cut_word(&s);
		char *aend = s;
		s = skip_ws(s);
		if (*s != '=') {
			*why = "tanda '=' diharapkan: baris berbentuk kunci = nilai";
			return -1;
		}
		*aend = '\0';
	}
	*end = '\0';
	s = skip_ws(s + 1);
	if (*s == '"') {
		ln->val = cut_string(&s, why);
		if (!ln->val)
			return -1;
		if (!line_end(s)) {
			*why = "ada teks setelah string penutup";
			return -1;
		}
	} else {
		ln->val = cut_word(&s);
		char *vend = s;
		if (!line_end(s)) {
			*why = "nilai yang berisi spasi atau tanda khusus harus diapit tanda kutip";
			return -1;
		}
		*vend = '\0';
	}
	if (*ln->val == '\0') {
		*why = "nilai kosong";
		return -1;
	}
	if (!clean_utf8((const unsigned char *)ln->val)) {
		*why = "nilai berisi karakter kendali atau UTF-8 yang rusak";
		return -1;
	}
	return L_KEY;
}

/* ---- the parser ---- */

enum { SEC_TOP, SEC_SETTINGS, SEC_INDICATOR };
enum { K_VERSION, K_REGENCY, K_REGENCY_NAME, K_THRESHOLD, K_VALIDITY, K__COUNT };

static const char *const top_keys[K__COUNT] = {
	"version", "regency", "regency_name", "threshold", "validity_days",
};

/* Settings the documents cannot do without; policy_setting documents
 * each one. */
static const char *const required_settings[] = {
	"letter_number_format", "office_name", "office_address",
	"government_level", "office_city", "head_title", "head_name",
	"head_nip", "verifier_host", "card_validity_days", NULL,
};

struct parser {
	struct policy *p;
	const char *name;
	int line;
	struct buf *err;
	int sec;
	int settings_line;
	struct policy_indicator *cur;
	int label_line, weight_line, retired_line;
	int answer_line[5]; /* by value */
};

/* "name:line: message", the way compilers say it, so an editor can jump. */
__attribute__((format(printf, 2, 3)))
static int perr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	if (!ps->err)
		return TB_EINVAL;
	buf_reset(ps->err);
	va_start(ap, fmt);
	int rc = buf_addf(ps->err, "%s:%d: ", ps->name, ps->line) ||
		 buf_vaddf(ps->err, fmt, ap);
	va_end(ap);
	return rc ? TB_ENOMEM : TB_EINVAL;
}

/* A key written twice is an error, not "last one wins": an administrator
 * editing a long file must not be surprised by a forgotten earlier line. */
static int once(struct parser *ps, int *seen, const char *key)
{
	if (*seen)
		return perr(ps, "kunci '%s' sudah ditulis di baris %d", key, *seen);
	*seen = ps->line;
	return 0;
}

static int top_key(struct parser *ps, const struct line *ln)
{
	struct policy *p = ps->p;
	int k = 0;
	while (k < K__COUNT && strcmp(top_keys[k], ln->key) != 0)
		k++;
	if (k == K__COUNT || ln->arg)
		return perr(ps, "kunci tidak dikenal '%s' (sebelum bagian pertama hanya version, regency, regency_name, threshold, validity_days)",
			    ln->key);
	int rc = once(ps, &p->key_line[k], ln->key);
	if (rc)
		return rc;
	const char *v = ln->val;
	switch (k) {
	case K_VERSION:
		if (strlen(v) > 63 ||
		    strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(v))
			return perr(ps, "version harus 1-63 huruf, angka, '.', '_' atau '-'");
		p->version = v;
		break;
	case K_REGENCY:
		if (!str_is_digits(v, 4))
			return perr(ps, "regency harus kode kabupaten 4 digit, mis. 3510");
		p->regency = v;
		break;
	case K_REGENCY_NAME:
		p->regency_name = v;
		break;
	case K_THRESHOLD:
		if (parse_milli(v, &p->threshold_milli) || p->threshold_milli <= 1000 ||
		    p->threshold_milli > 4000)
			return perr(ps, "threshold harus angka di atas 1 sampai 4 dengan paling banyak 3 desimal (tertulis '%s')",
				    v);
		break;
	case K_VALIDITY:
		if (parse_int(v, &p->validity_days) || p->validity_days < 1 ||
		    p->validity_days > 3660)
			return perr(ps, "validity_days harus bilangan bulat 1 sampai 3660 (tertulis '%s')",
				    v);
		break;
	}
	return 0;
}

static int check_setting(struct parser *ps, const char *key, const char *v)
{
	const char *why = NULL;
	if (!strcmp(key, "letter_number_format")) {
		if (number_expand(v, 1, 2026, 1, NULL, &why))
			return perr(ps, "letter_number_format: %s", why);
	} else if (!strcmp(key, "head_nip")) {
		size_t digits = 0;
		for (const char *c = v; *c; c++) {
			if (is_digit(*c))
				digits++;
			else if (*c != ' ')
				digits = 99;
		}
		if (digits != 18)
			return perr(ps, "head_nip harus 18 digit (boleh diberi spasi), mis. \"19700101 199503 1 001\"");
	} else if (!strcmp(key, "verifier_host")) {
		size_t n = strlen(v);
		if (strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != n ||
		    !strchr(v, '.') || v[0] == '.' || v[0] == '-' || v[n - 1] == '.' ||
		    v[n - 1] == '-')
			return perr(ps, "verifier_host harus nama host saja, tanpa https:// atau garis miring (tertulis '%s')",
				    v);
	} else if (!strncmp(key, "stage_limit_hours_", 18)) {
		/* The dashboard's stage limits (src/stats/, docs/reports.md):
		 * whole hours up to a year. Which stage the key names is the
		 * stats module's business (an unknown one is never read). */
		long h;
		if (parse_int(v, &h) || h < 1 || h > 8760)
			return perr(ps, "%s harus jam bulat 1 sampai 8760 (tertulis '%s')",
				    key, v);
	} else if (!strcmp(key, "card_validity_days")) {
		if (parse_int(v, &ps->p->card_validity_days) ||
		    ps->p->card_validity_days < 1 || ps->p->card_validity_days > 3660)
			return perr(ps, "card_validity_days harus bilangan bulat 1 sampai 3660 (tertulis '%s')",
				    v);
	}
	return 0;
}

static int setting_key(struct parser *ps, const struct line *ln)
{
	struct policy *p = ps->p;
	if (ln->arg || !is_ident(ln->key))
		return perr(ps, "kunci setelan harus huruf kecil, angka dan '_' (tertulis '%s')",
			    ln->key);
	for (size_t i = 0; i < p->nset; i++)
		if (!strcmp(p->set[i].key, ln->key))
			return perr(ps, "kunci '%s' sudah ditulis di baris %d",
				    ln->key, p->set[i].line);
	if (p->nset == POLICY_MAX_SETTINGS)
		return perr(ps, "terlalu banyak setelan (paling banyak %d)", POLICY_MAX_SETTINGS);
	int rc = check_setting(ps, ln->key, ln->val);
	if (rc)
		return rc;
	p->set[p->nset++] = (struct setting){ ln->key, ln->val, ps->line };
	return 0;
}

static int indicator_key(struct parser *ps, const struct line *ln)
{
	struct policy_indicator *ind = ps->cur;
	const char *k = ln->key, *v = ln->val;
	int rc;
	if (!strcmp(k, "answer")) {
		long value;
		if (!ln->arg || parse_int(ln->arg, &value) || value < 1 || value > 4)
			return perr(ps, "nilai jawaban harus 1 sampai 4: answer N = \"label\" (tertulis '%s')",
				    ln->arg ? ln->arg : "");
		if (ps->answer_line[value])
			return perr(ps, "jawaban bernilai %d sudah ditulis di baris %d",
				    (int)value, ps->answer_line[value]);
		ps->answer_line[value] = ps->line;
		ind->answers[ind->nanswers++] = (struct policy_answer){ (int)value, v };
		return 0;
	}
	if (ln->arg)
		return perr(ps, "kunci tidak dikenal '%s' di [indicator] (label, weight, retired, answer N)",
			    k);
	if (!strcmp(k, "label")) {
		if ((rc = once(ps, &ps->label_line, k)))
			return rc;
		ind->label = v;
	} else if (!strcmp(k, "weight")) {
		long w;
		if ((rc = once(ps, &ps->weight_line, k)))
			return rc;
		if (parse_milli(v, &w) || w <= 0 || w > 100000)
			return perr(ps, "weight harus angka positif sampai 100 dengan paling banyak 3 desimal (tertulis '%s')",
				    v);
		ind->weight = w / 1000.0;
	} else if (!strcmp(k, "retired")) {
		if ((rc = once(ps, &ps->retired_line, k)))
			return rc;
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return perr(ps, "retired harus yes atau no (tertulis '%s')", v);
		ind->retired = !strcmp(v, "yes");
	} else {
		return perr(ps, "kunci tidak dikenal '%s' di [indicator] (label, weight, retired, answer N)",
			    k);
	}
	return 0;
}

/* Closes the indicator being read; errors point at its [indicator] line. */
static int indicator_end(struct parser *ps)
{
	struct policy_indicator *ind = ps->cur;
	if (!ind)
		return 0;
	ps->cur = NULL;
	int saved = ps->line;
	ps->line = ps->p->ind_line[ps->p->nind - 1];
	int rc = 0;
	if (!ind->label)
		rc = perr(ps, "indikator '%s' tidak punya label", ind->code);
	else if (!ps->weight_line)
		rc = perr(ps, "indikator '%s' tidak punya weight", ind->code);
	else if (ind->nanswers < 2)
		rc = perr(ps, "indikator '%s' harus punya paling sedikit 2 jawaban (answer N = \"label\")",
			  ind->code);
	ps->line = saved;
	if (!rc && !ind->retired)
		ps->p->nactive++;
	return rc;
}

static int section(struct parser *ps, const struct line *ln)
{
	struct policy *p = ps->p;
	int rc = indicator_end(ps);
	if (rc)
		return rc;
	if (!strcmp(ln->key, "settings") && !ln->arg) {
		if (ps->settings_line)
			return perr(ps, "bagian [settings] sudah ditulis di baris %d",
				    ps->settings_line);
		ps->settings_line = ps->line;
		ps->sec = SEC_SETTINGS;
		return 0;
	}
	if (strcmp(ln->key, "indicator") || !ln->arg)
		return perr(ps, "bagian tidak dikenal '[%s]' (yang dikenal: [settings], [indicator kode])",
			    ln->key);
	if (!is_ident(ln->arg))
		return perr(ps, "kode indikator harus huruf kecil, angka dan '_', diawali huruf, paling panjang 32 (tertulis '%s')",
			    ln->arg);
	for (size_t i = 0; i < p->nind; i++)
		if (!strcmp(p->ind[i].code, ln->arg))
			return perr(ps, "indikator '%s' sudah ditulis di baris %d", ln->arg,
				    p->ind_line[i]);
	if (p->nind == POLICY_MAX_INDICATORS)
		return perr(ps, "terlalu banyak indikator (paling banyak %d)",
			    POLICY_MAX_INDICATORS);
	ps->sec = SEC_INDICATOR;
	ps->cur = &p->ind[p->nind];
	p->ind_line[p->nind++] = ps->line;
	ps->cur->code = ln->arg;
	ps->label_line = ps->weight_line = ps->retired_line = 0;
	memset(ps->answer_line, 0, sizeof ps->answer_line);
	return 0;
}

static int parse_one(struct parser *ps, char *s)
{
	struct line ln;
	const char *why = NULL;
	switch (split_line(s, &ln, &why)) {
	case L_BLANK:
		return 0;
	case L_SECTION:
		return section(ps, &ln);
	case L_KEY:
		break;
	default:
		return perr(ps, "%s", why);
	}
	if (ps->sec == SEC_SETTINGS)
		return setting_key(ps, &ln);
	if (ps->sec == SEC_INDICATOR)
		return indicator_key(ps, &ln);
	return top_key(ps, &ln);
}

/* What only the whole file can tell: required keys present. */
static int parse_finish(struct parser *ps)
{
	struct policy *p = ps->p;
	int rc = indicator_end(ps);
	if (rc)
		return rc;
	for (int k = 0; k < K__COUNT; k++)
		if (!p->key_line[k])
			return tb_err(ps->err, TB_EINVAL, "%s: kunci '%s' belum ditulis",
				      ps->name, top_keys[k]);
	for (size_t i = 0; required_settings[i]; i++)
		if (!policy_setting(p, required_settings[i]))
			return tb_err(ps->err, TB_EINVAL,
				      "%s: setelan '%s' belum ditulis di [settings]",
				      ps->name, required_settings[i]);
	if (!p->nactive)
		return tb_err(ps->err, TB_EINVAL,
			      "%s: tidak ada indikator aktif (retired = no)", ps->name);
	return 0;
}

int policy_parse(const char *text, size_t len, const char *name,
		 struct policy **out, struct buf *err)
{
	int rc = TB_ENOMEM;
	struct parser ps = { .name = name ? name : "policy", .err = err };
	*out = NULL;
	if (len > POLICY_MAX_BYTES)
		return tb_err(err, TB_ETOOBIG, "%s: berkas kebijakan lebih dari 1 MiB",
			      ps.name);
	struct policy *p = calloc(1, sizeof *p);
	if (!p || !(p->text = malloc(len + 1)))
		goto out;
	if (len)
		memcpy(p->text, text, len);
	p->text[len] = '\0';
	ps.p = p;
	char *s = p->text, *end = p->text + len;
	while (s <= end) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		char *eol = nl ? nl : end;
		ps.line++;
		if (memchr(s, '\0', (size_t)(eol - s))) {
			rc = perr(&ps, "berkas berisi byte NUL");
			goto out;
		}
		*eol = '\0';
		if (eol > s && eol[-1] == '\r')
			eol[-1] = '\0';
		if ((rc = parse_one(&ps, s)))
			goto out;
		if (!nl)
			break;
		s = nl + 1;
	}
	if ((rc = parse_finish(&ps)))
		goto out;
	*out = p;
	p = NULL;
	rc = 0;
out:
	if (rc == TB_ENOMEM)
		tb_err(err, rc, "memori habis saat membaca kebijakan");
	policy_free(p);
	return rc;
}

int policy_load(const char *path, struct policy **out, struct buf *err)
{
	struct buf text = BUF_INIT;
	*out = NULL;
	int rc = buf_read_file(&text, path, POLICY_MAX_BYTES, err);
	if (rc == 0) {
		const char *slash = strrchr(path, '/');
		rc = policy_parse(text.data, text.len, slash ? slash + 1 : path, out, err);
	}
	buf_release(&text);
	return rc;
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	free(p->text);
	free(p);
}

/* ---- accessors ---- */

const char *policy_version(const struct policy *p) { return p->version; }
const char *policy_regency(const struct policy *p) { return p->regency; }
const char *policy_regency_name(const struct policy *p) { return p->regency_name; }
double policy_threshold(const struct policy *p) { return p->threshold_milli / 1000.0; }
int policy_validity_days(const struct policy *p) { return (int)p->validity_days; }
int policy_card_validity_days(const struct policy *p) { return (int)p->card_validity_days; }
size_t policy_indicator_count(const struct policy *p) { return p->nind; }
size_t policy_active_count(const struct policy *p) { return p->nactive; }

const struct policy_indicator *policy_indicator(const struct policy *p, size_t i)
{
	return i < p->nind ? &p->ind[i] : NULL;
}

const struct policy_indicator *policy_find(const struct policy *p,
					   const char *code)
{
	for (size_t i = 0; code && i < p->nind; i++)
		if (!strcmp(p->ind[i].code, code))
			return &p->ind[i];
	return NULL;
}

const char *policy_setting(const struct policy *p, const char *key)
{
	for (size_t i = 0; key && i < p->nset; i++)
		if (!strcmp(p->set[i].key, key))
			return p->set[i].val;
	return NULL;
}

const struct policy_answer *policy_answer(const struct policy_indicator *ind,
					  int value)
{
	for (size_t i = 0; ind && i < ind->nanswers; i++)
		if (ind->answers[i].value == value)
			return &ind->answers[i];
	return NULL;
}

int policy_answer_check(const struct policy *p, const char *code, int value,
			struct buf *err)
{
	const struct policy_indicator *ind = policy_find(p, code);
	if (!ind)
		return tb_err(err, TB_EINVAL, "Indikator '%s' tidak ada dalam kebijakan %s",
			      code ? code : "", p->version);
	if (!policy_answer(ind, value))
		return tb_err(err, TB_EINVAL,
			      "Jawaban %d tidak sah untuk indikator '%s' (%s)", value,
			      code, ind->label);
	return 0;
}

int policy_letter_number(const struct policy *p, long seq, int year,
			 int month, struct buf *out)
{
	const char *why = NULL;
	const char *f = policy_setting(p, "letter_number_format");
	if (seq < 1 || month < 1 || month > 12 || year < 1 || year > 9999 || !f)
		return TB_EINVAL;
	size_t mark = out->len;
	int rc = number_expand(f, seq, year, month, out, &why);
	if (rc)
		buf_truncate(out, mark);
	return rc;
}
