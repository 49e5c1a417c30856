#ifndef TERBIT_CLI_H
#define TERBIT_CLI_H
/*
 * The command-line face: argument access for command handlers and the
 * handlers themselves. The command table (name, handler, usage, help) is
 * in src/terbit.c; handlers are thin: parse arguments, call module
 * functions, print. Messages for operators are Indonesian.
 *
 * A handler returns 0 or a TB_E code; main prints cli->err (when set) as
 * "terbit: <message>" on stderr and exits with err_exit_code(rc).
 */
#include <stdio.h>

#include "core/buf.h"

struct store;

struct cli {
	const char *data_dir; /* --data, else $TERBIT_DATA, else ./terbit-data */
	int argc;             /* arguments after the command words */
	char **argv;
	struct buf err;       /* handler's message for a failure */
};

/* Value of "--name VALUE" or "--name=VALUE"; NULL when absent. */
const char *cli_opt(const struct cli *c, const char *name);
/* 1 when the boolean flag (--json, --skip-bad, ...) is present. */
int cli_flag(const struct cli *c, const char *name);
/* i-th positional argument (0-based), skipping options and their values;
 * NULL when absent. */
const char *cli_pos(const struct cli *c, int i);
/* Number of positional arguments. */
int cli_npos(const struct cli *c);
/* Fails with an Indonesian usage message unless there are exactly n
 * positionals and every option is one of `allowed` (NULL-terminated). */
int cli_expect(struct cli *c, int n, const char *const *allowed);

/*
 * printf/fputs for text that holds stored data (names, notes, reasons,
 * file names, messages quoting input): control characters and bytes
 * that are not UTF-8 come out as \xHH (utf8_escape_controls), so a
 * name imported before the input check, or a message quoting a bad
 * field, can never drive the operator's terminal.
 */
void cli_printf(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cli_fputs(const char *s, FILE *f);

/* Opens the store in c->data_dir (creating and migrating it). */
int cli_open_store(struct cli *c, struct store **out);

/* Boolean flags: options that take no value. */
extern const char *const cli_bool_flags[];

/* Command handlers, by area (the table in src/terbit.c names them). */
/* -- cases and data (cli_case.c, cli_data.c) -- */
int cli_init(struct cli *c);
int cli_import_residents(struct cli *c);
int cli_import_pbi(struct cli *c);
int cli_user_add(struct cli *c);
/* -- user accounts (cli_user.c) -- */
int cli_user_passwd(struct cli *c);
int cli_user_disable(struct cli *c);
int cli_user_reset_password(struct cli *c);
int cli_user_token(struct cli *c);
/* Loads policy/common-passwords.txt under cli_find_root's directory for
 * cases_password_ok (the CLI and the server, before any thread starts). */
int cli_load_password_list(struct cli *c);
int cli_policy_show(struct cli *c);
int cli_demo_data(struct cli *c);
int cli_case_new(struct cli *c);
int cli_case_answers(struct cli *c);
int cli_case_attach(struct cli *c);
int cli_case_move(struct cli *c);
int cli_case_show(struct cli *c);
int cli_case_list(struct cli *c);
int cli_eligibility(struct cli *c);
/*
 * Finds a file shipped with terbit (policy, regions, layouts, fonts):
 * the value of option opt when given, else $env when set, else rel under
 * the repository the binary was built in (the directory above bin/), else
 * rel under the current directory. Writes the path into out (reset
 * first); TB_ENOTFOUND (Indonesian message) when none exists. opt and env
 * may be NULL.
 */
int cli_resource(struct cli *c, const char *opt, const char *env,
		 const char *rel, struct buf *out);
/* Loads the policy: --policy FILE, $TERBIT_POLICY, or
 * policy/banyuwangi.policy found as in cli_resource. Caller frees *out
 * with policy_free. */
struct policy;
int cli_load_policy(struct cli *c, struct policy **out);
/* -- documents (cli_render.c) -- */
int cli_qr(struct cli *c);
int cli_render(struct cli *c);
/* -- keys, signing, verification (cli_sign.c) -- */
int cli_keys_init(struct cli *c);
int cli_keys_import(struct cli *c);
int cli_keys_rotate(struct cli *c);
int cli_keys_export(struct cli *c);
int cli_keys_export_verifier(struct cli *c);
int cli_keys_crl(struct cli *c);
int cli_keys_new_signer(struct cli *c);
int cli_keys_list(struct cli *c);
int cli_sign_pdf(struct cli *c);
int cli_verify_pdf(struct cli *c);
int cli_token_check(struct cli *c);
/* -- issuance (cli_issue.c) -- */
/* The directory above layouts/ and fonts/ (for render_ctx_new): --root,
 * $TERBIT_ROOT, else beside the binary or here. */
int cli_find_root(struct cli *c, struct buf *root);
int cli_issue(struct cli *c);
int cli_issue_many(struct cli *c);
int cli_revoke(struct cli *c);
int cli_reissue(struct cli *c);
int cli_document_show(struct cli *c);
/* printing through CUPS (cli_issue.c, docs/printing.md) */
int cli_printers(struct cli *c);
int cli_printer_use(struct cli *c);
int cli_print(struct cli *c);
int cli_print_status(struct cli *c);
int cli_print_wait(struct cli *c);
int cli_document_get(struct cli *c);
int cli_document_list(struct cli *c);
int cli_document_check(struct cli *c);
int cli_document_seal(struct cli *c);
int cli_audit_verify(struct cli *c);
int cli_audit_head(struct cli *c);
int cli_document_sheet(struct cli *c);
/* Exit 0 only for VALID; 10 + enum verify_state otherwise. */
int cli_verify(struct cli *c);
/* cli_trust.c */
int cli_status_export(struct cli *c);
int cli_verify_offline(struct cli *c);
int cli_trust_keygen(struct cli *c);
int cli_trust_make(struct cli *c);
/* -- reports (cli_report.c) -- */
int cli_report_monthly(struct cli *c);
/* -- service (cli_serve.c) -- */
int cli_serve(struct cli *c);
/* -- backup and restore (cli_backup.c; docs/operations.md) -- */
int cli_backup(struct cli *c);
int cli_restore(struct cli *c);
/*
 * flock on DATA/terbit.lock (created 0600): shared for every process that
 * uses the data directory (terbit serve, cli_open_store), exclusive for
 * terbit restore, which replaces the database and keys under them. Never
 * waits: TB_ECONFLICT with an Indonesian message when the other kind is
 * held. *fd is the caller's to keep open while it works (closing it
 * releases the lock).
 */
int cli_data_lock(const char *data_dir, int exclusive, int *fd,
		  struct buf *err);

#endif
