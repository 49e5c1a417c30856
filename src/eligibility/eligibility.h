#ifndef TERBIT_ELIGIBILITY_H
#define TERBIT_ELIGIBILITY_H
/*
 * Eligibility: NIK rules, the policy file, and the pure decision function.
 * No I/O except policy_load (which only reads the file): the decision is
 * a function of its inputs, so the issuance gate can re-run it and get the
 * same answer for the same data.
 */
#include <stddef.h>

#include "core/buf.h"

/* ---- NIK ---------------------------------------------------------- */

struct nik_info {
	char region[7];     /* province+regency+district of first registration */
	int year, month, day; /* birth date (full year, see nik_parse) */
	char sex;           /* 'L' or 'P' (day + 40 for women) */
	char serial[5];
};

/*
 * Parses a NIK: exactly 16 ASCII digits, a real calendar date in digits
 * 7-12 (DDMMYY, DD + 40 for women). The two-digit year is resolved with
 * the birth date the caller knows when birth_iso is given, else as the
 * latest year not after today. TB_EINVAL with an Indonesian reason.
 *
 * When birth_iso ("YYYY-MM-DD") is given, the NIK's day, month and
 * two-digit year must equal it, else TB_EINVAL ("... tidak sama dengan
 * tanggal lahir ..."); out->year is then the birth date's year. Without
 * it, "today" is date_today() (TERBIT_TODAY moves it in tests).
 * The prefix (out->region) is informative only: a NIK never changes when
 * a person moves, so residency is never judged from it. out may be NULL
 * (validation only); on failure its contents are unspecified.
 */
int nik_parse(const char *nik, const char *birth_iso, struct nik_info *out,
	      struct buf *err);

/* ---- policy ------------------------------------------------------- */

#define POLICY_MAX_ANSWERS 8

struct policy_answer {
	int value;          /* 1 (poorest) .. 4 */
	const char *label;  /* Indonesian */
};

struct policy_indicator {
	const char *code;   /* e.g. "lantai" */
	const char *label;  /* Indonesian question/label */
	double weight;      /* > 0 */
	int retired;        /* shown, accepted, never counts */
	size_t nanswers;
	struct policy_answer answers[POLICY_MAX_ANSWERS];
};

struct policy; /* opaque; fields reached through the functions below */

/* Parses policy text; name is used in line-numbered errors
 * ("banyuwangi.policy:12: ..."). On success *out is the caller's to free
 * with policy_free. Format and messages: docs/policy.md. Any error
 * (TB_EINVAL; TB_ETOOBIG over 1 MiB) leaves *out NULL. Every string
 * reached through the policy (codes, labels, settings) lives until
 * policy_free. Answer values are distinct within an indicator, so an
 * indicator has at most 4 answers. policy_load names errors after the
 * file's base name and passes on buf_read_file's failures. */
int policy_parse(const char *text, size_t len, const char *name,
		 struct policy **out, struct buf *err);
int policy_load(const char *path, struct policy **out, struct buf *err);
void policy_free(struct policy *p);

const char *policy_version(const struct policy *p);  /* e.g. "banyuwangi-2026.2" */
const char *policy_regency(const struct policy *p);  /* 4 digits, "3510" */
const char *policy_regency_name(const struct policy *p); /* "Banyuwangi" */
double policy_threshold(const struct policy *p);     /* eligible when score < it */
int policy_validity_days(const struct policy *p);    /* letter validity */
/* Card validity in days (setting card_validity_days, checked at load). */
int policy_card_validity_days(const struct policy *p);
size_t policy_indicator_count(const struct policy *p);
/* Indicators that count (not retired); the decision's `required`. */
size_t policy_active_count(const struct policy *p);
const struct policy_indicator *policy_indicator(const struct policy *p, size_t i);
/* NULL when the code is not in the policy. */
const struct policy_indicator *policy_find(const struct policy *p,
					   const char *code);
/* Free-form "key = value" settings the documents use (letter number
 * format, office name, head's name and NIP, ...); NULL when absent.
 * The parser requires these keys (docs/policy.md describes each):
 *   letter_number_format  e.g. "400.9/{seq:04}/429.108/{year}"
 *   office_name           "Dinas Sosial Kabupaten Banyuwangi"
 *   office_address        one line
 *   government_level      "PEMERINTAH KABUPATEN BANYUWANGI"
 *   office_city           place on the letter's date line, "Banyuwangi"
 *   head_title            "Kepala Dinas Sosial"
 *   head_name, head_nip   NIP as "19700101 199503 1 001" (18 digits)
 *   verifier_host         host name only, e.g. "SPM.BANYUWANGIKAB.GO.ID"
 *   card_validity_days    positive integer (see policy_card_validity_days)
 * Other lower-case keys are kept as they are, for later documents. */
const char *policy_setting(const struct policy *p, const char *key);

/* The answer of ind with that value, NULL when the indicator has none. */
const struct policy_answer *policy_answer(const struct policy_indicator *ind,
					  int value);
/*
 * Checks one survey answer before it is stored: TB_EINVAL with an
 * Indonesian message when code is not an indicator of the policy or
 * value is not one of its answers. Retired indicators accept answers.
 */
int policy_answer_check(const struct policy *p, const char *code, int value,
			struct buf *err);
/*
 * Appends the letter number for sequence seq (>= 1) issued in year/month
 * to out, from setting letter_number_format: "{seq:04}" -> "0001",
 * "{seq}", "{year}", "{month}" / "{month:02}", "{month_roman}" ("XI").
 * The format was validated at load; 0, TB_EINVAL (seq < 1, month not
 * 1..12) or TB_ENOMEM.
 */
int policy_letter_number(const struct policy *p, long seq, int year,
			 int month, struct buf *out);

/* ---- decision ----------------------------------------------------- */

struct elig_answer {
	const char *code;
	int value;
};

/* Everything the decision needs, loaded by the caller. */
struct elig_facts {
	const char *nik;
	const char *birth_date;   /* YYYY-MM-DD from the resident record */
	char sex;                 /* 'L' or 'P' */
	const char *village_code; /* 10 digits, from the KK address */
	int pbi_jkn_active;       /* active PBI-JKN membership */
	int pbi_apbd_active;      /* active PBI-APBD membership */
	size_t nanswers;
	const struct elig_answer *answers;
};

#define ELIG_MAX_RULES 8

struct elig_rule {
	const char *code;   /* machine code, e.g. "nik_valid", "resident",
			       "not_pbi", "survey_complete", "score_below" */
	int passed;
	char message[256];  /* Indonesian */
};

struct elig_decision {
	int eligible;
	double score;       /* weighted mean of active answers; 0 when none */
	int answered;       /* active indicators answered */
	int required;       /* active indicators in the policy */
	char policy_version[64];
	size_t nrules;
	struct elig_rule rules[ELIG_MAX_RULES];
};

/* Pure: fills *out from the policy and the facts; always evaluates every
 * rule (so the caller can show all reasons). Returns 0; TB_EINVAL only for
 * NULL arguments.
 *
 * Rules, in this order: nik_valid, resident, not_pbi, survey_complete,
 * score_below. The score is the weighted mean of the answered active
 * indicators rounded half up to 3 decimals, and it is that rounded score
 * that is compared with the threshold (so the number people see is the
 * number that decided). A missing birth_date fails nik_valid (the NIK's
 * date must match it) and keeps the decision free of the clock.
 * Answers: the first answer for a code counts; answers to retired
 * indicators and unknown codes are ignored (policy_answer_check rejects
 * unknown codes upstream). */
int elig_decide(const struct policy *p, const struct elig_facts *f,
		struct elig_decision *out);

/* The rule with that machine code, NULL when absent. */
const struct elig_rule *elig_rule_find(const struct elig_decision *d,
				       const char *code);

/* Appends the decision as JSON: {"eligible":..,"score":..,"policy":..,
 * "answered":..,"required":..,"rules":[{"code","passed","message"}]} */
int elig_to_json(const struct elig_decision *d, struct buf *out);

#endif
