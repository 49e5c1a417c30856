/*
 * terbit: main and the command table. One row per subcommand; the same
 * table dispatches, checks that a handler exists, and prints --help.
 * Multi-word commands ("case new") match on the longest row whose words
 * begin the argument list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/err.h"

struct command {
	const char *name;  /* words, space-separated */
	int (*run)(struct cli *);
	const char *usage; /* arguments after the name */
	const char *help;  /* one line, Indonesian */
};

static const struct command commands[] = {
	/* -- cases and data -- */
	{ "init", cli_init, "[--regions FILE]",
	  "buat direktori data, basis data, data wilayah dan kunci" },
	{ "import residents", cli_import_residents, "FILE.csv [--skip-bad]",
	  "impor data penduduk dari CSV (semua atau tidak sama sekali)" },
	{ "import pbi", cli_import_pbi, "FILE.csv [--skip-bad]",
	  "impor kepesertaan PBI-JKN/PBI-APBD dari CSV" },
	{ "user add", cli_user_add, "NAMA --role PERAN [--region KODE]",
	  "tambah pengguna; mencetak token API sekali saja" },
	{ "user passwd", cli_user_passwd, "NAMA [--root DIR] < KATA-SANDI",
	  "tetapkan kata sandi dari stdin (satu baris); sesi pengguna berakhir" },
	{ "user disable", cli_user_disable, "NAMA",
	  "nonaktifkan pengguna: sesi dan token API langsung berhenti" },
	{ "user reset-password", cli_user_reset_password, "NAMA",
	  "mencetak kata sandi sekali pakai; wajib diganti saat masuk" },
	{ "user token", cli_user_token, "NAMA [--expires HARI]",
	  "token API baru (yang lama berhenti); dicetak sekali saja; "
	  "--expires: berlaku sekian hari" },
	{ "case new", cli_case_new, "NIK --by PENGGUNA",
	  "buat kasus baru (draf); mencetak nomor kasus" },
	{ "case answers", cli_case_answers, "KASUS FILE.csv --by PENGGUNA",
	  "simpan jawaban survei (CSV indicator,value)" },
	{ "case attach", cli_case_attach,
	  "KASUS FILE --kind rujukan|survei|verifikasi --by PENGGUNA",
	  "lampirkan berkas PDF/JPEG/PNG (paling besar 10 MB)" },
	{ "case move", cli_case_move, "KASUS STATUS --by PENGGUNA [--note TEKS]",
	  "pindahkan status kasus menurut alur kerja" },
	{ "case show", cli_case_show, "KASUS [--by PENGGUNA] [--json]",
	  "tampilkan kasus, jawaban, lampiran dan riwayat" },
	{ "case list", cli_case_list,
	  "[--state S] [--region KODE] [--by PENGGUNA] [--json]",
	  "daftar kasus" },
	{ "policy show", cli_policy_show, "[--policy FILE] [--json]",
	  "tampilkan indikator kebijakan kelayakan" },
	{ "eligibility", cli_eligibility, "KASUS [--by PENGGUNA] [--json]",
	  "keputusan kelayakan kasus, aturan demi aturan" },
	{ "demo-data", cli_demo_data,
	  "[--residents N] [--seed S] [--export-csv DIR]"
	  " [--history-days D [--cases N]]",
	  "isi basis data dengan data contoh sintetis (atau tulis CSV)" },
	/* -- documents -- */
	{ "qr", cli_qr, "TEKS --out FILE.png [--mm 20] [--dpi 300]",
	  "tulis kode QR (PNG 1-bit, resolusi tercatat)" },
	{ "render", cli_render,
	  "letter|card KASUS --out FILE.pdf (atau --fields FILE)",
	  "cetak contoh surat SPM atau kartu (bertanda CONTOH, tanpa tanda tangan)" },
	/* -- keys, signing, verification -- */
	{ "keys init", cli_keys_init, "",
	  "buat CA lokal, sertifikat penanda tangan dan kunci QR (sekali)" },
	{ "keys import", cli_keys_import, "FILE.p12 [--password-file F]",
	  "impor sertifikat PKCS#12 sebagai penanda tangan PDF aktif" },
	{ "keys rotate", cli_keys_rotate, "",
	  "buat kunci QR baru; kunci lama tetap memverifikasi" },
	{ "keys export-public", cli_keys_export, "[--out DIR]",
	  "kunci publik QR dan sertifikat CA untuk pemeriksa luring" },
	{ "keys export-verifier", cli_keys_export_verifier, "--out DIR",
	  "kunci untuk pemeriksa baca-saja: publik dan kunci segel, tanpa "
	  "kunci tanda tangan" },
	{ "keys list", cli_keys_list, "", "daftar kunci dan sertifikat" },
	{ "keys crl", cli_keys_crl, "[--revoke KID|SERI] [--days 30]",
	  "terbitkan CRL baru dari CA lokal (dan cabut sertifikat)" },
	{ "keys new-signer", cli_keys_new_signer, "",
	  "buat sertifikat penanda tangan PDF baru dari CA lokal" },
	{ "sign-pdf", cli_sign_pdf, "MASUK.pdf KELUAR.pdf",
	  "tandatangani PDF dengan sertifikat kantor (PAdES)" },
	{ "verify-pdf", cli_verify_pdf, "FILE.pdf [--json]",
	  "periksa tanda tangan PDF (bukan status registri)" },
	{ "token check", cli_token_check, "TOKEN|URL [--json]",
	  "periksa tanda tangan token QR (bukan status registri)" },
	/* -- issuance -- */
	{ "issue", cli_issue,
	  "KASUS letter|card --by PENGGUNA [--out BERKAS.pdf]",
	  "terbitkan surat SPM atau kartu (gerbang penerbitan); mencetak nomor seri" },
	{ "issue-many", cli_issue_many,
	  "letter|card --by PENGGUNA [--count N] [--batch N]",
	  "(uji) terbitkan untuk setiap kasus disetujui yang belum punya dokumen" },
	{ "revoke", cli_revoke, "SERI --reason TEKS --by PENGGUNA",
	  "cabut dokumen yang berlaku" },
	{ "reissue", cli_reissue,
	  "SERI --reason TEKS --by PENGGUNA [--out BERKAS.pdf]",
	  "terbitkan ulang: dokumen baru untuk kasus yang sama, yang lama diganti" },
	{ "document show", cli_document_show, "SERI [--by PENGGUNA] [--json]",
	  "tampilkan data registri sebuah dokumen" },
	{ "document get", cli_document_get,
	  "SERI --out BERKAS.pdf [--by PENGGUNA]",
	  "simpan PDF bertanda tangan dari registri" },
	{ "document list", cli_document_list,
	  "[--case KASUS] [--by PENGGUNA] [--json]", "daftar dokumen terbit" },
	{ "document check", cli_document_check, "",
	  "periksa seluruh registri: berkas basis data, hash, tanda tangan, "
	  "segel, nomor urut, log audit" },
	{ "document seal", cli_document_seal, "",
	  "segel dokumen dari sebelum pembaruan (sekali); buat kunci segel "
	  "bila belum ada" },
	{ "audit verify", cli_audit_verify, "[--head ID:HASH]",
	  "periksa rantai hash log audit; sebutkan entri pertama yang rusak" },
	{ "audit head", cli_audit_head, "",
	  "cetak ID:HASH entri terakhir log audit (untuk laporan bulanan)" },
	{ "document sheet", cli_document_sheet,
	  "SERI... | --all-valid | --case KASUS --out BERKAS.pdf --by PENGGUNA",
	  "cetak kartu berlaku 10 per lembar A4 dengan tanda potong (bolak-balik)" },
	{ "printers", cli_printers, "",
	  "daftar printer CUPS (A4, CR80, bolak-balik, warna) dan printer "
	  "surat/kartu yang diatur" },
	{ "printer use", cli_printer_use,
	  "letter|card PRINTER [--sheets] [--by PENGGUNA]",
	  "atur printer surat atau kartu (--sheets: kartu 10 per lembar A4)" },
	{ "print", cli_print,
	  "SERI... [--printer NAMA] [--copies N] [--reprint --reason TEKS] "
	  "--by PENGGUNA [--wait DETIK]",
	  "kirim dokumen ke printer lewat CUPS; tercatat dicetak setelah "
	  "pekerjaan selesai" },
	{ "print status", cli_print_status, "[PEKERJAAN...]",
	  "perbarui dan tampilkan status pekerjaan cetak" },
	{ "print wait", cli_print_wait, "PEKERJAAN... [--timeout DETIK]",
	  "tunggu sampai pekerjaan cetak selesai (gagal bila dibatalkan)" },
	{ "verify", cli_verify, "TOKEN|URL|BERKAS.pdf [--json] [--policy BERKAS]"
	  " | --offline --trust DIR|DAFTAR [--trust-key KUNCI.pem]"
	  " [--status BERKAS|DIR] TOKEN|URL|BERKAS.pdf [--json]",
	  "periksa kode QR atau PDF: VALID, REVOKED, SUPERSEDED, EXPIRED, "
	  "UNKNOWN, FORGED; --offline tanpa basis data (STALE: daftar status "
	  "kedaluwarsa)" },
	{ "status export", cli_status_export,
	  "[--out BERKAS] [--next-hours 24] [--policy BERKAS]",
	  "daftar status bertanda tangan: dokumen yang tidak berlaku lagi "
	  "(untuk pemeriksa luring)" },
	{ "trust keygen", cli_trust_keygen, "DIR",
	  "buat kunci penanda tangan daftar kepercayaan (Ed25519)" },
	{ "trust make", cli_trust_make,
	  "--key DIR/trust-KID.key --out DAFTAR KODE:NAMA:DIR[:URL-STATUS]...",
	  "daftar kepercayaan bertanda tangan: penerbit (kode BPS, nama) dan "
	  "kunci QR mereka dari keys export-public" },
	/* -- reports -- */
	{ "report monthly", cli_report_monthly,
	  "YYYY-MM --csv BERKAS.csv [--out BERKAS.pdf] [--by PENGGUNA]",
	  "rekap bulanan (WIB): kasus per status, waktu tunggu per tahap, "
	  "waktu sampai surat, per kecamatan" },
	/* -- service -- */
	{ "serve", cli_serve,
	  "[--listen ALAMAT:PORT] [--threads N] [--config BERKAS] [--rate-limit N]"
	  " [--policy BERKAS] [--root DIR] [--verify-only]"
	  " [--verify-listen ALAMAT:PORT]",
	  "menjalankan layanan HTTP (verifikasi, API); berhenti rapi pada SIGTERM;"
	  " --verify-only: hanya verifikasi, basis data dibuka baca saja;"
	  " --verify-listen: jalur verifikasi (rute verifikasi publik) di port"
	  " kedua" },
	/* -- backup and restore -- */
	{ "backup", cli_backup, "DIREKTORI",
	  "salinan utuh basis data dan kunci selagi layanan berjalan; "
	  "diperiksa setelah ditulis" },
	{ "restore", cli_restore, "DIREKTORI",
	  "pulihkan dari cadangan setelah diperiksa (integritas, segel, "
	  "rantai audit); layanan harus berhenti" },
	{ NULL, NULL, NULL, NULL },
};

static size_t words_match(const char *name, int argc, char **argv)
{
	size_t nwords = 0;
	const char *p = name;
	while (*p) {
		size_t len = strcspn(p, " ");
		if ((int)nwords >= argc || strlen(argv[nwords]) != len ||
		    strncmp(argv[nwords], p, len) != 0)
			return 0;
		nwords++;
		p += len;
		p += *p == ' ';
	}
	return nwords;
}

static void print_usage(FILE *f, const char *prefix)
{
	fprintf(f, "Penggunaan: terbit PERINTAH [ARGUMEN] [--data DIR]\n\n"
		   "Perintah:\n");
	for (const struct command *c = commands; c->name; c++) {
		if (prefix && strncmp(c->name, prefix, strlen(prefix)) != 0)
			continue;
		fprintf(f, "  %s %s\n      %s\n", c->name, c->usage, c->help);
	}
	fprintf(f, "\nSetiap perintah menerima --data DIR (atau TERBIT_DATA; "
		   "bawaan ./terbit-data).\n");
}

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		print_usage(stdout, NULL);
		return argc < 2 ? 2 : 0;
	}
	const struct command *best = NULL;
	size_t best_words = 0;
	for (const struct command *c = commands; c->name; c++) {
		size_t n = words_match(c->name, argc - 1, argv + 1);
		if (n > best_words) {
			best = c;
			best_words = n;
		}
	}
	if (!best) {
		/* "terbit case" alone: show that group's rows. */
		for (const struct command *c = commands; c->name; c++)
			if (strncmp(c->name, argv[1], strlen(argv[1])) == 0 &&
			    c->name[strlen(argv[1])] == ' ') {
				print_usage(stderr, argv[1]);
				return 2;
			}
		fprintf(stderr, "terbit: perintah tidak dikenal: %s\n"
				"Lihat: terbit --help\n", argv[1]);
		return 2;
	}
	struct cli cli = { .argc = argc - 1 - (int)best_words,
			   .argv = argv + 1 + best_words };
	buf_init(&cli.err, 0);
	if (cli_flag(&cli, "--help")) {
		printf("Penggunaan: terbit %s %s\n  %s\n", best->name,
		       best->usage, best->help);
		buf_release(&cli.err);
		return 0;
	}
	cli.data_dir = cli_opt(&cli, "--data");
	if (!cli.data_dir)
		cli.data_dir = getenv("TERBIT_DATA");
	if (!cli.data_dir || !*cli.data_dir)
		cli.data_dir = "./terbit-data";
	int rc = best->run(&cli);
	if (rc < 0) {
		cli_printf(stderr, "terbit: %s\n",
			   cli.err.len ? cli.err.data : err_name(rc));
		rc = err_exit_code(rc);
	}
	buf_release(&cli.err);
	return rc;
}
