/*
 * Card numbers: what a number is made of and its check digit. An issuing
 * rule (the gate allocates numbers, a facility may check one typed from a
 * card), so it lives here; render only prints the digits it is given.
 */
#include "issue/issue.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

/* Six digits of sequence per regency and year. */
#define CARD_SEQ_MAX 999999

int issue_card_check_digit(const char *digits12)
{
	if (!digits12 || strlen(digits12) != 12)
		return TB_EINVAL;
	int sum = 0;
	for (int i = 11, dbl = 1; i >= 0; i--, dbl = !dbl) {
		if (!isdigit((unsigned char)digits12[i]))
			return TB_EINVAL;
		int d = (digits12[i] - '0') * (dbl ? 2 : 1);
		sum += d > 9 ? d - 9 : d;
	}
	return (10 - sum % 10) % 10;
}

int issue_card_number_ok(const char *card13)
{
	char head[13];
	if (!card13 || strlen(card13) != ISSUE_CARD_NUMBER_LEN ||
	    !isdigit((unsigned char)card13[12]))
		return 0;
	memcpy(head, card13, 12);
	head[12] = 0;
	return issue_card_check_digit(head) == card13[12] - '0';
}

int issue_card_number(const char *regency, int year, int64_t seq,
		      char out[ISSUE_CARD_NUMBER_LEN + 1], struct buf *err)
{
	char digits[32];
	if (seq > CARD_SEQ_MAX)
		return tb_err(err, TB_ECONFLICT,
			      "nomor kartu tahun %d sudah habis", year);
	snprintf(digits, sizeof digits, "%.4s%02d%06d", regency, year % 100,
		 (int)seq);
	int check = issue_card_check_digit(digits);
	/* Only a policy whose regency is not 4 digits gets here. */
	if (check < 0)
		return tb_err(err, TB_EINTERNAL, "nomor kartu tidak sah: %s",
			      digits);
	memcpy(out, digits, 12);    /* 12 digits: the check said so */
	out[12] = (char)('0' + check);
	out[13] = '\0';
	return 0;
}
