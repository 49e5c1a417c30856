#ifndef TERBIT_STR_H
#define TERBIT_STR_H
/*
 * Small string helpers that several modules used to write by hand: the
 * element count of an array, "is this all digits", and hex.
 * Digits here are ASCII '0'..'9' only, never the locale's isdigit: NIKs,
 * region codes and ids are ASCII by definition.
 */
#include <stddef.h>

/*
 * Number of elements of an array. Refuses to compile when given a
 * pointer (the array decayed, e.g. a parameter), where sizeof would
 * silently divide the wrong sizes.
 */
#define ARRAY_SIZE(a)                                                        \
	(sizeof(a) / sizeof((a)[0]) +                                        \
	 0 * sizeof(struct {                                                 \
		 _Static_assert(!__builtin_types_compatible_p(               \
					__typeof__(a), __typeof__(&(a)[0])), \
				"ARRAY_SIZE needs an array, not a pointer"); \
		 char c_;                                                    \
	 }))

/* 1 when s is exactly n ASCII digits and then its end ('\0'); 0 for
 * NULL, shorter, longer or any other character. */
int str_is_digits(const char *s, size_t n);
/* 1 when s is non-empty and only ASCII digits; 0 otherwise (NULL too). */
int str_all_digits(const char *s);

/*
 * Writes the 2n lower-case hex characters of n bytes at out, without a
 * terminating NUL (for filling a slot reserved in place, as in a PDF).
 * Returns out + 2n.
 */
char *str_hex_put(char *out, const void *in, size_t n);
/* The same, then a NUL: out holds at least 2n + 1 chars. Returns out. */
char *str_hex(char *out, const void *in, size_t n);
/* str_hex in upper case ("0A1B..."): the form document serials are
 * printed and typed in. */
char *str_hex_upper(char *out, const void *in, size_t n);
/* The value of one hex digit, either case; -1 for any other character. */
int str_hexval(int c);
/* The reverse of str_hex_upper: exactly 2n upper-case hex digits at in
 * (what follows is not looked at) into n bytes. 0, or -1 at the first
 * character that is not one (lower case too: one spelling per value). */
int str_unhex_upper(unsigned char *out, const char *in, size_t n);

#endif
