#ifndef TERBIT_IDS_H
#define TERBIT_IDS_H
/*
 * Lengths of the identifiers and dates terbit stores and prints, in
 * characters, without the NUL: a buffer for one is `char x[NIK_LEN + 1]`.
 * Kept apart from core/str.h (generic string helpers) because these are
 * facts about Indonesian data and our documents, and headers that only
 * need a struct field size (store.h, cases.h) include nothing else.
 */

/* Nomor Induk Kependudukan: 16 digits (docs/data-formats.md). */
#define NIK_LEN 16
/* Nomor Kartu Keluarga: 16 digits. */
#define KK_LEN 16
/* A document serial as text: the token's 8 random bytes
 * (TOKEN_SERIAL_LEN, sign/token.h) as 16 upper-case hex digits. */
#define SERIAL_LEN 16
/* Region codes: 2, 4, 6 or 10 digits (province .. village), dots
 * removed; a buffer of REGION_CODE_MAX + 1 holds any of them. */
#define REGION_CODE_MAX 10
/* An ISO date "YYYY-MM-DD". */
#define DATE_LEN 10

#endif
