<?php
/*
 * Bench-only yardstick for 35-issue.sh: an SPM letter made with PHP TCPDF
 * (Debian php-tcpdf), DejaVu Sans embedded (subset), a QR code, and a PDF
 * signature (setSignature with the RSA-2048 certificate the calling
 * script makes with openssl): what issuing costs with TCPDF. Prints
 * signed letters per second.
 *   php tcpdf_signed_letter.php CERT.pem KEY.pem N OUT.pdf
 */
require_once '/usr/share/php/tcpdf/tcpdf.php';

[$self, $certFile, $keyFile, $count, $out] = $argv;
$cert = 'file://' . realpath($certFile);
$key = 'file://' . realpath($keyFile);

function signed_letter($i, $cert, $key)
{
	$pdf = new TCPDF('P', 'mm', 'A4', true, 'UTF-8', false);
	$pdf->setPrintHeader(false);
	$pdf->setPrintFooter(false);
	$pdf->SetMargins(25, 20, 20);
	$pdf->setFontSubsetting(true);
	$pdf->setSignature($cert, $key, '', '', 2,
		['Name' => 'Dinas Sosial Kabupaten Banyuwangi']);
	$pdf->AddPage();
	$pdf->SetFont('dejavusans', 'B', 13);
	$pdf->Cell(0, 6, 'PEMERINTAH KABUPATEN BANYUWANGI', 0, 1, 'C');
	$pdf->SetFont('dejavusans', 'B', 15);
	$pdf->Cell(0, 7, 'DINAS SOSIAL', 0, 1, 'C');
	$pdf->SetFont('dejavusans', '', 9);
	$pdf->Cell(0, 5, 'Jalan Contoh Sejahtera No. 1, Banyuwangi 68411 - Telepon (0333) 000000', 0, 1, 'C');
	$y = $pdf->GetY() + 1;
	$pdf->Line(25, $y, 190, $y);
	$pdf->Line(25, $y + 1, 190, $y + 1);
	$pdf->Ln(8);
	$pdf->SetFont('dejavusans', 'BU', 12);
	$pdf->Cell(0, 6, 'SURAT PERNYATAAN MISKIN', 0, 1, 'C');
	$pdf->SetFont('dejavusans', '', 11);
	$pdf->Cell(0, 6, sprintf('Nomor: 400.9/%04d/429.108/2026', $i + 1), 0, 1, 'C');
	$pdf->Ln(4);
	$pdf->MultiCell(0, 6, 'Yang bertanda tangan di bawah ini, Kepala Dinas Sosial Kabupaten Banyuwangi, dengan ini menyatakan bahwa:', 0, 'J');
	$rows = [
		['Nama', 'Warga Uji ' . $i], ['NIK', '3510050101400001'],
		['Tempat, tanggal lahir', 'Banyuwangi, 1 Januari 1940'],
		['Jenis kelamin', 'Laki-laki'],
		['Alamat', 'Dusun Krajan No. 1, RT 001 RW 002'],
		['Desa/Kelurahan', 'Tembokrejo'], ['Kecamatan', 'Muncar'],
		['Skor kemiskinan', '1,000']];
	foreach ($rows as $r) {
		$pdf->Cell(55, 6, $r[0], 0, 0);
		$pdf->Cell(5, 6, ':', 0, 0);
		$pdf->Cell(0, 6, $r[1], 0, 1);
	}
	$pdf->Ln(3);
	$pdf->MultiCell(0, 6, 'adalah benar penduduk Kabupaten Banyuwangi yang tergolong keluarga miskin dan belum terdaftar sebagai peserta PBI-JKN maupun PBI-APBD. Surat ini dipergunakan untuk memperoleh pelayanan kesehatan atas biaya Pemerintah Kabupaten Banyuwangi dan berlaku sampai dengan 23 November 2027.', 0, 'J');
	$pdf->Ln(3);
	$pdf->MultiCell(0, 6, 'Demikian surat pernyataan ini dibuat untuk dipergunakan sebagaimana mestinya.', 0, 'J');
	$pdf->Ln(6);
	$pdf->SetX(115);
	$pdf->Cell(0, 6, 'Banyuwangi, 23 November 2026', 0, 1);
	$pdf->SetX(115);
	$pdf->Cell(0, 6, 'Kepala Dinas Sosial', 0, 1);
	$pdf->write2DBarcode('HTTPS://SPM.BANYUWANGIKAB.GO.ID/V/' . str_repeat('A', 144), 'QRCODE,M', 25, $pdf->GetY(), 30, 30);
	$pdf->Ln(24);
	$pdf->SetX(115);
	$pdf->SetFont('dejavusans', 'BU', 11);
	$pdf->Cell(0, 6, 'Drs. Contoh Wibowo, M.Si.', 0, 1);
	$pdf->SetX(115);
	$pdf->SetFont('dejavusans', '', 11);
	$pdf->Cell(0, 6, 'NIP 19700101 199503 1 001', 0, 1);
	$pdf->SetFont('dejavusans', '', 8);
	$pdf->Ln(10);
	$pdf->MultiCell(0, 4, 'Dokumen ini ditandatangani secara elektronik dan dapat diperiksa dengan memindai kode QR.', 0, 'L');
	return $pdf->Output('', 'S');
}

signed_letter(0, $cert, $key); // warm-up: font files read once
$t0 = microtime(true);
$bytes = '';
for ($i = 0; $i < intval($count); $i++)
	$bytes = signed_letter($i, $cert, $key);
$dt = microtime(true) - $t0;
file_put_contents($out, $bytes);
printf("%.2f\n", intval($count) / $dt);
