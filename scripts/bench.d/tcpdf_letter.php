<?php
// Bench-only: the same SPM letter as layouts/spm_letter.layout, made by
// PHP TCPDF (Debian php-tcpdf), for the throughput comparison in
// 20-render.sh. Same content: letterhead with the logo PNG and a double
// rule, title, the data table, the statement paragraphs, a QR code (level
// M) of the same payload, the signature block and the footer.
//   php tcpdf_letter.php FIELDS_FILE LOGO_PNG FONT COUNT OUT_PDF
// FONT: "dejavusans" (embedded, subset) or "helvetica" (core, not
// embedded). Prints "<letters per second> <bytes of one letter>".
require_once '/usr/share/php/tcpdf/tcpdf.php';

[$self, $fieldsFile, $logo, $font, $count, $out] = $argv;
$f = [];
foreach (file($fieldsFile) as $line) {
	if (preg_match('/^\s*([a-z_]+)\s*=\s*(.*?)\s*$/', $line, $m))
		$f[$m[1]] = $m[2];
}
$months = ['', 'Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli',
	   'Agustus', 'September', 'Oktober', 'November', 'Desember'];
$date = function ($iso) use ($months) {
	[$y, $m, $d] = explode('-', $iso);
	return intval($d) . ' ' . $months[intval($m)] . ' ' . $y;
};
$score = str_replace('.', ',', sprintf('%.3f', floatval($f['score'])));

function letter($f, $logo, $font, $date, $score)
{
	$pdf = new TCPDF('P', 'mm', 'A4', true, 'UTF-8', false);
	$pdf->setPrintHeader(false);
	$pdf->setPrintFooter(false);
	$pdf->SetMargins(25, 12, 20);
	$pdf->SetAutoPageBreak(false);
	$pdf->setFontSubsetting(true);
	$pdf->AddPage();
	$pdf->Image($logo, 25, 12, 21, 24.6, 'PNG');
	$pdf->SetFont($font, 'B', 13);
	$pdf->SetXY(48, 12);
	$pdf->Cell(142, 6, strtoupper($f['government_level']), 0, 1, 'C');
	$pdf->SetFont($font, 'B', 16);
	$pdf->SetXY(48, 18.5);
	$pdf->Cell(142, 7, strtoupper($f['office_name']), 0, 1, 'C');
	$pdf->SetFont($font, '', 9.5);
	$pdf->SetXY(48, 26);
	$pdf->MultiCell(142, 4, $f['office_address'], 0, 'C');
	$pdf->SetLineWidth(1.1);
	$pdf->Line(25, 38.5, 190, 38.5);
	$pdf->SetLineWidth(0.37);
	$pdf->Line(25, 40.1, 190, 40.1);
	$pdf->SetFont($font, 'BU', 13);
	$pdf->SetXY(25, 47);
	$pdf->Cell(165, 6, 'SURAT PERNYATAAN MISKIN', 0, 1, 'C');
	$pdf->SetFont($font, '', 11);
	$pdf->SetX(25);
	$pdf->Cell(165, 5, 'Nomor: ' . $f['letter_number'], 0, 1, 'C');
	$pdf->SetXY(25, 65);
	$pdf->MultiCell(165, 5.8, 'Yang bertanda tangan di bawah ini, ' . $f['head_title'] .
		' Kabupaten ' . $f['regency'] . ', dengan ini menyatakan dengan sebenarnya bahwa:', 0, 'J');
	$sex = $f['sex'] === 'P' ? 'Perempuan' : 'Laki-laki';
	$rows = [
		['Nama', $f['name']], ['NIK', $f['nik']], ['No. KK', $f['kk']],
		['Tempat/Tgl Lahir', $f['birth_place'] . ', ' . $date($f['birth_date'])],
		['Jenis Kelamin', $sex],
		['Alamat', $f['address'] . ' RT ' . $f['rt'] . '/RW ' . $f['rw']],
		['Desa/Kelurahan', $f['village']], ['Kecamatan', $f['kecamatan']],
		['Skor Kemiskinan', $score],
	];
	$y = $pdf->GetY() + 3;
	foreach ($rows as $r) {
		$pdf->SetXY(33, $y);
		$pdf->Cell(42, 5.8, $r[0]);
		$pdf->Cell(4, 5.8, ':');
		$pdf->MultiCell(111, 5.8, $r[1], 0, 'L');
		$y = $pdf->GetY();
	}
	$pdf->SetXY(25, $y + 4);
	$pdf->MultiCell(165, 5.8, 'adalah benar penduduk Kabupaten ' . $f['regency'] .
		' yang tergolong miskin berdasarkan hasil survei rumah tangga yang telah ' .
		'diverifikasi oleh tim verifikasi desa/kelurahan dan kecamatan, dengan skor ' .
		'kemiskinan ' . $score . '. Surat pernyataan ini diberikan sebagai dasar untuk ' .
		'memperoleh pelayanan kesehatan gratis di fasilitas kesehatan pemerintah, dengan ' .
		'biaya ditanggung oleh Pemerintah Kabupaten ' . $f['regency'] . ', dan berlaku ' .
		'sampai dengan tanggal ' . $date($f['valid_until']) . '.', 0, 'J');
	$pdf->SetX(25);
	$pdf->Ln(3);
	$pdf->SetX(25);
	$pdf->MultiCell(165, 5.8, 'Demikian surat pernyataan ini dibuat dengan sebenarnya ' .
		'untuk dipergunakan sebagaimana mestinya.', 0, 'J');
	$y = $pdf->GetY();
	$pdf->write2DBarcode($f['qr'], 'QRCODE,M', 27, $y + 10, 32, 32,
			     ['border' => false, 'padding' => 4, 'fgcolor' => [0, 0, 0],
			      'bgcolor' => [255, 255, 255]], 'N');
	$pdf->SetFont($font, '', 7.5);
	$pdf->SetXY(27, $y + 42);
	$pdf->Cell(32, 4, 'Pindai untuk verifikasi', 0, 0, 'C');
	$pdf->SetFont($font, '', 11);
	$pdf->SetXY(108, $y + 8);
	$pdf->MultiCell(82, 5, $f['office_city'] . ', ' . $date($f['issue_date']) . "\n" .
		$f['head_title'] . "\nKabupaten " . $f['regency'], 0, 'C');
	$pdf->SetXY(108, $pdf->GetY() + 20);
	$pdf->SetFont($font, 'BU', 11);
	$pdf->Cell(82, 5, $f['head_name'], 0, 1, 'C');
	$pdf->SetFont($font, '', 11);
	$pdf->SetX(108);
	$pdf->Cell(82, 5, 'NIP. ' . $f['head_nip'], 0, 1, 'C');
	$pdf->SetFont($font, '', 8.8);
	$pdf->SetX(108);
	$pdf->Cell(82, 4, 'Ditandatangani secara elektronik', 0, 1, 'C');
	$pdf->SetLineWidth(0.25);
	$pdf->Line(25, 279, 190, 279);
	$pdf->SetFont($font, '', 7.5);
	$pdf->SetXY(25, 280.5);
	$pdf->MultiCell(165, 3.4, 'Nomor seri dokumen: ' . $f['serial'] . '. Dokumen ini ' .
		'ditandatangani secara elektronik; keasliannya dapat diperiksa dengan memindai ' .
		'kode QR di atas.', 0, 'C');
	return $pdf->Output('', 'S');
}

$t0 = microtime(true);
$bytes = '';
for ($i = 0; $i < intval($count); $i++)
	$bytes = letter($f, $logo, $font, $date, $score);
$dt = microtime(true) - $t0;
file_put_contents($out, $bytes);
printf("%.1f %d\n", $count / $dt, strlen($bytes));
