/* Fuzz target: the policy parser on arbitrary bytes; a policy that loads
 * is then used the way the service uses one (every accessor, the letter
 * number, a decision), so a parse that "succeeds" into a broken policy
 * shows too. */
#include <stdint.h>
#include <string.h>

#include "eligibility/eligibility.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf err = BUF_INIT, num = BUF_INIT;
	struct policy *p = NULL;
	if (policy_parse((const char *)data, size, "fuzz.policy", &p, &err) == 0) {
		struct elig_answer a[POLICY_MAX_ANSWERS * 8];
		size_t n = 0;
		for (size_t i = 0; i < policy_indicator_count(p); i++) {
			const struct policy_indicator *ind = policy_indicator(p, i);
			(void)strlen(ind->label);
			for (size_t k = 0; k < ind->nanswers; k++)
				(void)strlen(ind->answers[k].label);
			if (n < sizeof a / sizeof a[0])
				a[n++] = (struct elig_answer){ ind->code, (int)(i % 4) + 1 };
		}
		(void)strlen(policy_setting(p, "office_name"));
		policy_letter_number(p, 1, 2026, 11, &num);
		struct elig_facts f = {
			.nik = "3510055205840003", .birth_date = "1984-05-12",
			.sex = 'P', .village_code = "3510052001",
			.nanswers = n, .answers = a,
		};
		struct elig_decision d;
		elig_decide(p, &f, &d);
		elig_to_json(&d, &num);
		policy_free(p);
	}
	buf_release(&num);
	buf_release(&err);
	return 0;
}
