/*
 * Synthetic demo data. Everything comes from one seeded generator, so the
 * same (n, seed) gives the same residents, the same cases and the same
 * decisions; every case goes through the real operations (cases_create,
 * cases_answers, cases_attach, cases_move), so the demo also exercises
 * the rules it shows.
 */
#include "demo/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/ids.h"
#include "core/str.h"
#include "core/vec.h"

/* splitmix64: small, fast, and the same on every platform. */
static uint64_t rnd_next(uint64_t *st)
{
	uint64_t z = (*st += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static unsigned rnd(uint64_t *st, unsigned n)
{
	return (unsigned)(rnd_next(st) % n);
}

#define PICK(st, arr) (arr[rnd(st, ARRAY_SIZE(arr))])

static const char *const men[] = {
	"Agus", "Bambang", "Budi", "Joko", "Slamet", "Sugeng", "Wahyu", "Eko",
	"Hadi", "Imam", "Rudi", "Sutrisno", "Suparman", "Mulyono", "Darmaji",
	"Yusuf", "Rahmat", "Arif", "Fajar", "Hendra", "Taufik", "Dimas",
	"Rizky", "Ahmad", "Misnadi", "Juhari", "Sahuni", "Misrawi", "Sunoto",
	"Sholeh", "Ponimin", "Karyadi", "Haryono", "Bayu", "Andi",
};
static const char *const women[] = {
	"Siti", "Sri", "Dewi", "Endang", "Sumiati", "Suwarni", "Wulan", "Rina",
	"Yuni", "Ani", "Fitri", "Indah", "Ratna", "Sulastri", "Murni", "Tutik",
	"Ayu", "Dian", "Puji", "Rukmini", "Sumarni", "Sunarsih", "Misyati",
	"Juwariyah", "Nurul", "Lilik", "Kasiyem", "Painah", "Wiwik", "Nanik",
};
static const char *const men2[] = {
	"Santoso", "Setiawan", "Hartono", "Purnomo", "Prasetyo", "Hidayat",
	"Kurniawan", "Saputra", "Utomo", "Nugroho", "Pratama", "Wibisono",
	"Susanto", "Wijaya", "Firmansyah", "Hariyanto", "Subagyo", "",
};
static const char *const women2[] = {
	"Rahayu", "Handayani", "Ningsih", "Wati", "Astuti", "Lestari", "Sari",
	"Wahyuni", "Suryani", "Pertiwi", "Kusumawati", "Rahmawati", "",
};
static const char *const places[] = {
	"Banyuwangi", "Banyuwangi", "Banyuwangi", "Genteng", "Rogojampi",
	"Muncar", "Jember", "Situbondo", "Bondowoso", "Surabaya", "Malang",
	"Denpasar",
};
static const char *const streets[] = {
	"Dusun Krajan", "Dusun Sukorejo", "Dusun Kampunganyar", "Dusun Kebonsari",
	"Jalan Kenanga", "Jalan Melati", "Jalan Merdeka", "Jalan Brawijaya",
	"Jalan Gajah Mada", "Dusun Tegalrejo", "Dusun Sumberwaru",
};

/* One synthetic resident (and maybe a PBI membership) from index i. */
struct demo_person {
	struct store_resident r;
	int pbi;                   /* 0 none, else membership below */
	struct store_pbi p;
};

/* District codes cover 01..25; the serial makes NIKs unique for
 * i < 25 * 9999 whatever the birth dates (DEMO_MAX is below). */
static void demo_person(uint64_t seed, unsigned i, struct demo_person *d)
{
	uint64_t st = seed * 0x100000001B3ull + i;
	unsigned district = i % 25 + 1, serial = (i / 25) % 9999 + 1;
	int female = rnd(&st, 2);
	int year = 1940 + (int)rnd(&st, 66), month = 1 + (int)rnd(&st, 12);
	int day = 1 + (int)rnd(&st, 28);
	/* Most people still live in the kecamatan that first registered them;
	 * some moved within the regency, a few left it. */
	unsigned live = rnd(&st, 100);
	unsigned kec = live < 80 ? district : 1 + rnd(&st, 25);
	const char *regency = live < 98 ? "3510" : "3509";
	unsigned household = i / 3;

	memset(d, 0, sizeof *d);
	snprintf(d->r.nik, sizeof d->r.nik, "3510%02u%02d%02d%02d%04u", district,
		 day + (female ? 40 : 0), month, year % 100, serial);
	snprintf(d->r.kk, sizeof d->r.kk, "%s%02u%06u%04u", regency, kec,
		 100000u + household % 900000u, 1 + household % 9999);
	const char *first = female ? PICK(&st, women) : PICK(&st, men);
	const char *last = female ? PICK(&st, women2) : PICK(&st, men2);
	snprintf(d->r.name, sizeof d->r.name, "%s%s%s", first, *last ? " " : "",
		 last);
	snprintf(d->r.birth_place, sizeof d->r.birth_place, "%s",
		 PICK(&st, places));
	snprintf(d->r.birth_date, sizeof d->r.birth_date, "%04d-%02d-%02d", year,
		 month, day);
	d->r.sex = female ? 'P' : 'L';
	snprintf(d->r.address, sizeof d->r.address, "%s No. %u",
		 PICK(&st, streets), 1 + rnd(&st, 120));
	snprintf(d->r.rt, sizeof d->r.rt, "%03u", 1 + rnd(&st, 9));
	snprintf(d->r.rw, sizeof d->r.rw, "%03u", 1 + rnd(&st, 5));
	snprintf(d->r.village_code, sizeof d->r.village_code, "%s%02u%04u",
		 regency, kec, 2001 + rnd(&st, 3));
	if (rnd(&st, 8) == 0) {
		d->pbi = 1;
		snprintf(d->p.nik, sizeof d->p.nik, "%s", d->r.nik);
		snprintf(d->p.program, sizeof d->p.program, "%s",
			 rnd(&st, 10) < 7 ? "PBI-JKN" : "PBI-APBD");
		d->p.active = rnd(&st, 100) < 85;
		snprintf(d->p.card_number, sizeof d->p.card_number, "000%010u",
			 i * 7919u % 1000000000u + 1);
	}
}

static int csv_field(struct buf *b, const char *s, char sep)
{
	int rc = 0;
	if (strpbrk(s, ",\"\n")) {
		rc |= buf_addc(b, '"');
		for (; *s; s++)
			rc |= *s == '"' ? buf_adds(b, "\"\"") : buf_addc(b, *s);
		rc |= buf_addc(b, '"');
	} else {
		rc |= buf_adds(b, s);
	}
	rc |= buf_addc(b, sep);
	return rc ? TB_ENOMEM : 0;
}

static int resident_csv(struct buf *b, const struct store_resident *r)
{
	char sex[2] = { r->sex, 0 };
	const char *f[] = { r->nik, r->kk, r->name, r->birth_place,
			    r->birth_date, sex, r->address, r->rt, r->rw,
			    r->village_code };
	int rc = 0;
	for (size_t k = 0; k < 10; k++)
		rc |= csv_field(b, f[k], k == 9 ? '\n' : ',');
	return rc ? TB_ENOMEM : 0;
}

static int pbi_csv(struct buf *b, const struct store_pbi *p)
{
	return buf_addf(b, "%s,%s,%s,%s\n", p->nik, p->program,
			p->active ? "aktif" : "nonaktif", p->card_number);
}

int demo_csv(unsigned n, uint64_t seed, struct buf *residents,
	     struct buf *pbi, struct buf *err)
{
	struct demo_person d;
	int rc = 0;
	if (n > DEMO_MAX)
		return tb_err(err, TB_EINVAL, "paling banyak %u penduduk contoh",
			      DEMO_MAX);
	rc |= buf_adds(residents, "nik,kk,name,birth_place,birth_date,sex,"
				  "address,rt,rw,village_code\n");
	rc |= buf_adds(pbi, "nik,program,status,card_number\n");
	for (unsigned i = 0; i < n && rc == 0; i++) {
		demo_person(seed, i, &d);
		rc |= resident_csv(residents, &d.r);
		if (d.pbi)
			rc |= pbi_csv(pbi, &d.p);
	}
	return rc ? tb_err(err, TB_ENOMEM, "memori habis") : 0;
}

/* ---- generated attachments ---------------------------------------- */

/* A one-page PDF with a line of text and a correct xref table. */
static int demo_pdf(struct buf *b, const char *title)
{
	size_t off[6];
	struct buf content = BUF_INIT;
	int rc = buf_addf(&content, "BT /F1 18 Tf 72 760 Td (%s) Tj ET\n"
				    "BT /F1 11 Tf 72 730 Td (Dokumen contoh "
				    "sintetis terbit.) Tj ET\n", title);
	rc |= buf_adds(b, "%PDF-1.4\n");
	off[1] = b->len;
	rc |= buf_adds(b, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
	off[2] = b->len;
	rc |= buf_adds(b, "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> "
			  "endobj\n");
	off[3] = b->len;
	rc |= buf_adds(b, "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox "
			  "[0 0 595 842] /Resources << /Font << /F1 5 0 R >> "
			  ">> /Contents 4 0 R >> endobj\n");
	off[4] = b->len;
	rc |= buf_addf(b, "4 0 obj << /Length %zu >> stream\n%sendstream "
			  "endobj\n", content.len, content.data);
	off[5] = b->len;
	rc |= buf_adds(b, "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont "
			  "/Helvetica >> endobj\n");
	size_t xref = b->len;
	rc |= buf_adds(b, "xref\n0 6\n0000000000 65535 f \n");
	for (int i = 1; i <= 5; i++)
		rc |= buf_addf(b, "%010zu 00000 n \n", off[i]);
	rc |= buf_addf(b, "trailer << /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n"
			  "%%%%EOF\n", xref);
	buf_release(&content);
	return rc ? TB_ENOMEM : 0;
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & -(c & 1));
	}
	return c ^ 0xFFFFFFFFu;
}

static int put32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = { v >> 24, v >> 16, v >> 8, v };
	return buf_add(b, x, 4);
}

static int png_chunk(struct buf *b, const char *type, const void *data,
		     size_t n)
{
	size_t start = b->len + 4;
	int rc = put32(b, (uint32_t)n);
	rc |= buf_add(b, type, 4);
	rc |= buf_add(b, data, n);
	if (rc)
		return TB_ENOMEM;
	return put32(b, crc32_of((const unsigned char *)b->data + start, n + 4));
}

/* A 32x32 greyscale PNG (a survey "photo": a shaded square) with the
 * image data in one stored (uncompressed) deflate block. */
static int demo_png(struct buf *b, unsigned shade)
{
	enum { W = 32, H = 32, RAW = H * (W + 1) };
	unsigned char raw[RAW], z[RAW + 11];
	unsigned char ihdr[13] = { 0, 0, 0, W, 0, 0, 0, H, 8, 0, 0, 0, 0 };
	uint32_t a = 1, s2 = 0;
	for (int y = 0; y < H; y++) {
		raw[y * (W + 1)] = 0;
		for (int x = 0; x < W; x++)
			raw[y * (W + 1) + 1 + x] =
				(unsigned char)(shade + 4 * (x + y));
	}
	for (int i = 0; i < RAW; i++) {
		a = (a + raw[i]) % 65521;
		s2 = (s2 + a) % 65521;
	}
	z[0] = 0x78;
	z[1] = 0x01;
	z[2] = 1; /* final stored block */
	z[3] = RAW & 0xff;
	z[4] = RAW >> 8;
	z[5] = ~RAW & 0xff;
	z[6] = (~RAW >> 8) & 0xff;
	memcpy(z + 7, raw, RAW);
	uint32_t adler = s2 << 16 | a;
	z[RAW + 7] = adler >> 24;
	z[RAW + 8] = adler >> 16;
	z[RAW + 9] = adler >> 8;
	z[RAW + 10] = adler;
	int rc = buf_add(b, "\x89PNG\r\n\x1a\n", 8);
	rc |= png_chunk(b, "IHDR", ihdr, sizeof ihdr);
	rc |= png_chunk(b, "IDAT", z, sizeof z);
	rc |= png_chunk(b, "IEND", "", 0);
	return rc ? TB_ENOMEM : 0;
}

/* ---- users -------------------------------------------------------- */

/* Names and roles, collected before any password is set (the listing's
 * statement must not be stepped while the writes run). */
struct user_list {
	struct store_user *u;
	size_t n, cap;
};

static int collect_user(const struct store_user *u, void *arg)
{
	struct user_list *l = arg;
	if (vec_reserve(&l->u, &l->cap, l->n, sizeof *l->u, 64) < 0)
		return TB_ENOMEM;
	l->u[l->n++] = *u;
	return 0;
}

int demo_passwords(struct store *s, struct buf *out, struct buf *err)
{
	struct user_list l = { 0 };
	char pw[64];
	int rc = cases_user_each(s, NULL, collect_user, &l, err);
	if (rc == TB_ENOMEM)
		rc = tb_err(err, rc, "memori habis");
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		snprintf(pw, sizeof pw, "%s-contoh-2026", l.u[i].role);
		rc = cases_password_set(s, NULL, l.u[i].name, pw, err);
		if (rc == 0 && buf_addf(out, "%s\t%s\t%s\n", l.u[i].name,
					l.u[i].role, pw) < 0)
			rc = tb_err(err, TB_ENOMEM, "memori habis");
	}
	free(l.u);
	return rc;
}

static int add_user(struct store *s, const char *name, const char *role,
		    const char *region, struct buf *tokens, struct buf *err)
{
	struct buf tok = BUF_INIT;
	int rc = cases_user_add(s, NULL, name, role, region, &tok, err);
	if (rc == 0 && buf_addf(tokens, "%s\t%s\t%s\t%s\n", name, role,
				region ? region : "", tok.data) < 0)
		rc = tb_err(err, TB_ENOMEM, "memori habis");
	buf_release(&tok);
	return rc;
}

/* Region codes that get a user, collected before any is added. */
struct region_list {
	char (*codes)[REGION_CODE_MAX + 1];
	size_t n, cap;
};

static int collect_region(const struct store_region *r, void *arg)
{
	struct region_list *l = arg;
	if (strcmp(r->kind, "kecamatan") && strlen(r->code) != 10)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char(*grown)[REGION_CODE_MAX + 1] =
			realloc(l->codes, cap * sizeof *grown);
		if (!grown)
			return TB_ENOMEM;
		l->codes = grown;
		l->cap = cap;
	}
	snprintf(l->codes[l->n++], 11, "%s", r->code);
	return 0;
}

/* Every village has its operator and every kecamatan its officer, as in
 * the regency: desa-<village>, kecamatan-<kecamatan>. */
static int demo_region_users(struct store *s, struct buf *tokens,
			     struct buf *err)
{
	struct region_list l = { 0 };
	char name[64];
	int rc = store_region_each(s, collect_region, &l, err);
	if (rc == TB_ENOMEM)
		rc = tb_err(err, rc, "memori habis");
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		const char *role = strlen(l.codes[i]) == 6 ? "kecamatan" : "desa";
		snprintf(name, sizeof name, "%s-%s", role, l.codes[i]);
		rc = add_user(s, name, role, l.codes[i], tokens, err);
	}
	free(l.codes);
	return rc;
}

static int demo_users(struct store *s, struct buf *tokens, struct buf *err)
{
	static const char *const central[][2] = {
		{ "admin", "admin" }, { "dinkes", "dinkes" },
		{ "dinsos", "dinsos" }, { "faskes", "faskes" },
	};
	int rc = 0;
	for (size_t i = 0; i < 4 && rc == 0; i++)
		rc = add_user(s, central[i][0], central[i][1], NULL, tokens, err);
	return rc < 0 ? rc : demo_region_users(s, tokens, err);
}

/* ---- cases -------------------------------------------------------- */

/*
 * The stages the demo shows, in the order cases are opened. poor: the
 * survey answers give a score under the threshold. Each case walks the
 * path to its target through the workflow table.
 */
enum outcome { KEEP, APPROVE_THEN_PBI };
static const struct {
	enum case_state target;
	int poor;
	int count;
	enum outcome after;
	enum case_state via; /* for returned/rejected: the reviewing stage */
} plan[] = {
	{ ST_DRAFT, 1, 4, KEEP, ST_DRAFT },
	{ ST_SUBMITTED, 1, 4, KEEP, ST_DRAFT },
	{ ST_HEALTH_CHECKED, 1, 4, KEEP, ST_DRAFT },
	{ ST_SURVEYED, 0, 2, KEEP, ST_DRAFT },
	{ ST_SURVEYED, 1, 3, KEEP, ST_DRAFT },
	{ ST_RECOMMENDED, 1, 3, KEEP, ST_DRAFT },
	{ ST_VERIFIED, 1, 3, KEEP, ST_DRAFT },
	{ ST_VERIFIED, 0, 3, KEEP, ST_DRAFT },
	{ ST_APPROVED, 1, 8, KEEP, ST_DRAFT },
	{ ST_APPROVED, 1, 3, APPROVE_THEN_PBI, ST_DRAFT },
	{ ST_RETURNED, 1, 2, KEEP, ST_SUBMITTED },
	{ ST_REJECTED, 0, 3, KEEP, ST_VERIFIED },
};

struct demo {
	struct store *s;
	const struct policy *p;
	uint64_t rng;
	struct buf *err;
	struct buf late_pbi; /* CSV of memberships that start after approval */
	const struct demo_history *h; /* NULL: the plan */
	int64_t clock;       /* the store's clock in a history */
};

static int actor_for(struct store *s, enum role role, const char *village,
		     struct cases_actor *a, struct buf *err)
{
	char name[64];
	switch (role) {
	case ROLE_DESA:
		snprintf(name, sizeof name, "desa-%s", village);
		break;
	case ROLE_KECAMATAN:
		snprintf(name, sizeof name, "kecamatan-%.6s", village);
		break;
	default:
		snprintf(name, sizeof name, "%s", role_name(role));
	}
	return cases_actor_load(s, name, a, err);
}

static int demo_answers(struct demo *d, const struct cases_actor *a,
			int64_t id, int poor)
{
	size_t n = policy_indicator_count(d->p);
	struct elig_answer *ans = calloc(n ? n : 1, sizeof *ans);
	if (!ans)
		return tb_err(d->err, TB_ENOMEM, "memori habis");
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct policy_indicator *ind = policy_indicator(d->p, i);
		if (!ind->nanswers)
			continue;
		/* Poor households answer among the lower half of the scale,
		 * the others among the upper half. */
		size_t pick = rnd(&d->rng, (unsigned)((ind->nanswers + 1) / 2));
		size_t idx = poor ? pick : ind->nanswers - 1 - pick;
		ans[k].code = ind->code;
		ans[k].value = ind->answers[idx].value;
		k++;
	}
	int rc = cases_answers(d->s, d->p, a, id, ans, k, d->err);
	free(ans);
	return rc;
}

static int demo_attach(struct demo *d, const struct cases_actor *a,
		       int64_t id, const char *kind)
{
	struct buf b = BUF_INIT;
	char fname[64];
	int rc;
	if (!strcmp(kind, "survei")) {
		rc = demo_png(&b, 40 + rnd(&d->rng, 100));
		snprintf(fname, sizeof fname, "foto-rumah-%lld.png", (long long)id);
	} else {
		rc = demo_pdf(&b, !strcmp(kind, "rujukan")
					  ? "Surat Rujukan Puskesmas"
					  : "Berita Acara Hasil Verifikasi");
		snprintf(fname, sizeof fname, "%s-%lld.pdf", kind, (long long)id);
	}
	if (rc < 0)
		rc = tb_err(d->err, rc, "memori habis");
	else
		rc = cases_attach(d->s, a, id, kind, fname, b.data, b.len, NULL,
				  d->err);
	buf_release(&b);
	return rc;
}

static const struct wf_transition *find_move(enum case_state from,
					     enum case_state to)
{
	for (size_t i = 0; i < wf_table_len; i++)
		if (wf_table[i].from == from && wf_table[i].to == to)
			return &wf_table[i];
	return NULL;
}

/* Makes one move: the first role the table allows, after providing what
 * the row requires. */
static int demo_move(struct demo *d, int64_t id, const char *village,
		     enum case_state from, enum case_state to, int poor,
		     int *answered)
{
	const struct wf_transition *t = find_move(from, to);
	struct cases_actor a, desa;
	int rc, role = 0;
	if (!t)
		return tb_err(d->err, TB_EINTERNAL, "demo: tidak ada langkah %s -> %s",
			      state_name(from), state_name(to));
	while (role < ROLE__COUNT && !(t->roles & (1u << role)))
		role++;
	if ((rc = actor_for(d->s, (enum role)role, village, &a, d->err)) < 0 ||
	    (rc = actor_for(d->s, ROLE_DESA, village, &desa, d->err)) < 0)
		return rc;
	if ((t->requires & WF_NEED_SURVEY) && !*answered) {
		if ((rc = demo_answers(d, &desa, id, poor)) < 0)
			return rc;
		*answered = 1;
	}
	if ((t->requires & WF_NEED_VERIFIKASI) &&
	    (rc = demo_attach(d, &desa, id, "verifikasi")) < 0)
		return rc;
	return cases_move(d->s, d->p, &a, id, state_name(to),
			  (t->requires & WF_NEED_NOTE)
				  ? "Data belum lengkap; mohon dilengkapi."
				  : NULL,
			  d->err);
}

/* The path from draft to target (returned/rejected: through `via`). */
static size_t demo_path(enum case_state target, enum case_state via,
			enum case_state *out)
{
	static const enum case_state main_line[] = {
		ST_DRAFT, ST_SUBMITTED, ST_HEALTH_CHECKED, ST_SURVEYED,
		ST_RECOMMENDED, ST_VERIFIED, ST_APPROVED,
	};
	enum case_state stop =
		(target == ST_RETURNED || target == ST_REJECTED) ? via : target;
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(main_line); i++) {
		out[n++] = main_line[i];
		if (main_line[i] == stop)
			break;
	}
	if (stop != target)
		out[n++] = target;
	return n;
}

static int demo_case(struct demo *d, const struct demo_person *who,
		     size_t plan_i)
{
	enum case_state path[10];
	size_t n = demo_path(plan[plan_i].target, plan[plan_i].via, path);
	const char *village = who->r.village_code;
	struct cases_actor desa;
	int64_t id;
	int answered = 0;
	int rc = actor_for(d->s, ROLE_DESA, village, &desa, d->err);
	if (rc < 0 || (rc = cases_create(d->s, &desa, who->r.nik, &id, d->err)) < 0)
		return rc;
	if ((rc = demo_attach(d, &desa, id, "rujukan")) < 0)
		return rc;
	/* The survey (answers and a photo) is recorded once the health
	 * office has checked the case, as in the regency's process. */
	for (size_t i = 1; i < n; i++) {
		if (path[i - 1] == ST_HEALTH_CHECKED) {
			if ((rc = demo_answers(d, &desa, id, plan[plan_i].poor)) < 0 ||
			    (rc = demo_attach(d, &desa, id, "survei")) < 0)
				return rc;
			answered = 1;
		}
		if ((rc = demo_move(d, id, village, path[i - 1], path[i],
				    plan[plan_i].poor, &answered)) < 0)
			return rc;
	}
	if (plan[plan_i].after == APPROVE_THEN_PBI &&
	    buf_addf(&d->late_pbi, "%s,PBI-APBD,aktif,0990%09lld\n", who->r.nik,
		     (long long)id) < 0)
		return tb_err(d->err, TB_ENOMEM, "memori habis");
	return 0;
}

/* A resident the demo may open a case for: lives in one of the
 * regency's villages (so its operator exists), no PBI membership at all. */
static int candidate(struct store *s, const struct demo_person *p)
{
	struct store_region r;
	return !p->pbi && store_region_get(s, p->r.village_code, &r, NULL) == 0;
}

static int demo_cases(struct demo *d, unsigned n, uint64_t seed)
{
	struct demo_person p;
	unsigned next = 0;
	int rc = 0;
	for (size_t k = 0; k < ARRAY_SIZE(plan) && rc == 0; k++) {
		for (int c = 0; c < plan[k].count && rc == 0; c++) {
			while (next < n) {
				demo_person(seed, next, &p);
				if (candidate(d->s, &p))
					break;
				next++;
			}
			if (next >= n)
				return 0; /* a small demo: fewer cases */
			rc = demo_case(d, &p, k);
			next++;
		}
	}
	return rc;
}

/* ---- a history over time ------------------------------------------ */

#define MINUTE 60
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)
#define HISTORY_BATCH 250 /* cases per transaction */

static int64_t demo_clock(void *arg)
{
	return *(int64_t *)arg;
}

/* A delay between lo and hi seconds, most of them short: an office
 * deals with most cases soon and with a few much later. */
static int64_t delay(struct demo *d, int64_t lo, int64_t hi)
{
	uint64_t u = rnd(&d->rng, 1000), v = rnd(&d->rng, 1000);
	return lo + (int64_t)((uint64_t)(hi - lo) * u * v / 1000000);
}

/* How long each stage waits for its office, lo..hi seconds: the
 * village prepares and uploads, the health office checks within the
 * day, the survey takes days, the kecamatan and the social office
 * decide within a day or two. */
static const struct {
	enum case_state state;
	int64_t lo, hi;
} stage_delay[] = {
	{ ST_DRAFT, 10 * MINUTE, 2 * DAY },
	{ ST_SUBMITTED, 20 * MINUTE, 3 * DAY },
	{ ST_HEALTH_CHECKED, 2 * HOUR, 6 * DAY },
	{ ST_SURVEYED, 30 * MINUTE, 4 * DAY },
	{ ST_RECOMMENDED, 30 * MINUTE, 3 * DAY },
	{ ST_VERIFIED, 10 * MINUTE, 2 * DAY },
	{ ST_RETURNED, 2 * HOUR, 7 * DAY },
	{ ST_APPROVED, 1 * MINUTE, 12 * HOUR }, /* to the letter */
};

/* Moves the clock to the end of a stay in `state`; 1 when that is past
 * now (the case is still waiting there). */
static int wait_in(struct demo *d, enum case_state state)
{
	for (size_t i = 0; i < ARRAY_SIZE(stage_delay); i++)
		if (stage_delay[i].state == state)
			d->clock += delay(d, stage_delay[i].lo, stage_delay[i].hi);
	return d->clock >= d->h->now;
}

/* What the reviewer at `from` decides (the main line, or a return or a
 * rejection); poor households are mostly approved, the others rejected
 * by the social office at the latest. */
static enum case_state decide(struct demo *d, enum case_state from, int poor)
{
	static const enum case_state next[] = {
		[ST_DRAFT] = ST_SUBMITTED,      [ST_SUBMITTED] = ST_HEALTH_CHECKED,
		[ST_HEALTH_CHECKED] = ST_SURVEYED, [ST_SURVEYED] = ST_RECOMMENDED,
		[ST_RECOMMENDED] = ST_VERIFIED, [ST_VERIFIED] = ST_APPROVED,
		[ST_RETURNED] = ST_SUBMITTED,
	};
	unsigned r = rnd(&d->rng, 100);
	if (from == ST_SUBMITTED)
		return r < 6 ? ST_RETURNED : r < 9 ? ST_REJECTED : next[from];
	if (from == ST_SURVEYED)
		return r < 8 ? ST_RETURNED
		       : r < (poor ? 11u : 40u) ? ST_REJECTED : next[from];
	if (from == ST_VERIFIED)
		return !poor ? ST_REJECTED : r < 7 ? ST_RETURNED : next[from];
	return next[from];
}

static int history_case(struct demo *d, const struct demo_person *who,
			int64_t opened)
{
	const char *village = who->r.village_code;
	struct cases_actor desa;
	enum case_state st = ST_DRAFT;
	int64_t id;
	int answered = 0, poor = rnd(&d->rng, 100) < 85;
	int rc = actor_for(d->s, ROLE_DESA, village, &desa, d->err);
	d->clock = opened;
	if (rc < 0 || (rc = cases_create(d->s, &desa, who->r.nik, &id, d->err)) < 0 ||
	    (rc = demo_attach(d, &desa, id, "rujukan")) < 0)
		return rc;
	for (int steps = 0; steps < 40 && !wf_is_final(st); steps++) {
		if (wait_in(d, st))
			return 0; /* still waiting at now */
		enum case_state to = decide(d, st, poor);
		if (st == ST_HEALTH_CHECKED && !answered) {
			if ((rc = demo_answers(d, &desa, id, poor)) < 0)
				return rc;
			answered = 1;
		}
		if ((rc = demo_move(d, id, village, st, to, poor, &answered)) < 0)
			return rc;
		st = to;
	}
	if (st != ST_APPROVED || !d->h->issue)
		return 0;
	for (int card = 0; card < 2; card++) {
		if (wait_in(d, ST_APPROVED))
			return 0; /* the letter is still to come */
		if (card && rnd(&d->rng, 10) < 3)
			break;
		if ((rc = d->h->issue(d->h->issue_arg, id, card, d->err)) < 0)
			return rc;
	}
	return 0;
}

static int history_cases(struct demo *d, unsigned n, uint64_t seed)
{
	const struct demo_history *h = d->h;
	struct demo_person p;
	unsigned next = 0, made = 0;
	int rc = 0;
	store_clock_set(d->s, demo_clock, &d->clock);
	while (made < h->cases && next < n && rc == 0) {
		demo_person(seed, next++, &p);
		if (!candidate(d->s, &p))
			continue;
		/* Evenly over the span, so every month has its cases. */
		int64_t opened = h->now - (int64_t)h->days * DAY +
				 (int64_t)h->days * DAY * made / h->cases +
				 rnd(&d->rng, HOUR);
		if (made % HISTORY_BATCH == 0 && (rc = store_begin(d->s, d->err)) < 0)
			break;
		rc = history_case(d, &p, opened);
		made++;
		if (rc < 0 || made % HISTORY_BATCH == 0 || made == h->cases)
			rc = store_end(d->s, rc, d->err);
	}
	if (rc == 0 && made % HISTORY_BATCH && made != h->cases)
		rc = store_end(d->s, rc, d->err); /* ran out of residents */
	store_clock_set(d->s, NULL, NULL);
	return rc;
}

static int populate(struct store *s, const struct policy *p, unsigned n,
		    uint64_t seed, const struct demo_history *h,
		    struct buf *tokens, struct buf *err)
{
	struct demo d = { .s = s, .p = p, .rng = seed ^ 0xD3A0u, .err = err,
			  .h = h };
	struct buf res = BUF_INIT, pbi = BUF_INIT, report = BUF_INIT;
	int rc;
	buf_init(&d.late_pbi, 0);
	if (store_region_count(s, err) <= 0) {
		rc = tb_err(err, TB_EINVAL,
			    "data wilayah belum ada; jalankan `terbit init` dulu");
		goto out;
	}
	if ((rc = store_resident_count(s, err)) != 0) {
		if (rc > 0)
			rc = tb_err(err, TB_ECONFLICT,
				    "basis data sudah berisi penduduk; data contoh "
				    "hanya untuk basis data baru");
		goto out;
	}
	if ((rc = demo_csv(n, seed, &res, &pbi, err)) < 0)
		goto out;
	if ((rc = cases_import(s, NULL, CASES_IMPORT_RESIDENTS, res.data, res.len,
			       0, &report, NULL, err)) < 0 ||
	    (rc = cases_import(s, NULL, CASES_IMPORT_PBI, pbi.data, pbi.len, 0,
			       &report, NULL, err)) < 0)
		goto out;
	if ((rc = demo_users(s, tokens, err)) < 0 ||
	    (rc = buf_adds(&d.late_pbi, "nik,program,status,card_number\n")) < 0 ||
	    (rc = h ? history_cases(&d, n, seed) : demo_cases(&d, n, seed)) < 0)
		goto out;
	/* After approval, some residents joined PBI-APBD: their approved
	 * cases are no longer eligible, and the issue gate must see it. */
	rc = cases_import(s, NULL, CASES_IMPORT_PBI, d.late_pbi.data,
			  d.late_pbi.len, 0, &report, NULL, err);
	rc = rc < 0 ? rc : 0;
out:
	if (rc < 0 && report.len)
		buf_addf(err, "\n%s", report.data);
	buf_release(&res);
	buf_release(&pbi);
	buf_release(&report);
	buf_release(&d.late_pbi);
	return rc;
}

int demo_populate(struct store *s, const struct policy *p, unsigned n,
		  uint64_t seed, struct buf *tokens, struct buf *err)
{
	return populate(s, p, n, seed, NULL, tokens, err);
}

int demo_populate_history(struct store *s, const struct policy *p,
			  unsigned n, uint64_t seed,
			  const struct demo_history *h, struct buf *tokens,
			  struct buf *err)
{
	if (!h || !h->cases || !h->days)
		return tb_err(err, TB_EINVAL,
			      "riwayat contoh perlu jumlah kasus dan hari");
	return populate(s, p, n, seed, h, tokens, err);
}
