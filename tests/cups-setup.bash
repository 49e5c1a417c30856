# A private CUPS scheduler for the printing tests (sourced after lib.sh;
# not a test itself). cups_start runs cupsd with its own configuration
# under $T_TMP/cups, listening only on a Unix socket there (no network
# port), and points CUPS_SERVER at it, so libcups in terbit and the CUPS
# tools (lpadmin, cupsdisable, cancel, ipptool) all talk to it. It stops
# when the test exits.
#
# The printers print to $CUPS_OUT through a one-line backend of ours
# (terbitpdf: each job's document as job-ID.pdf), not Debian's cups-pdf:
# cups-pdf reads its settings only from /etc/cups (so a test could not
# choose its output directory without writing system files), must run
# as root to change to the job's user, and renders the job again through
# Ghostscript, so its file would not be the document that was sent. The
# queues' PPDs declare that they take PDF as it is (cupsFilter2 with
# "-"): the backend gets the bytes terbit submitted, which the test
# compares with the registry's.
#
# cupsd as root will not run its helpers as root: it runs them as the
# User of cups-files.conf, here lp, who must reach the output directory.
# As any other user it runs everything as that user.

# cupsd, lpadmin, cupsenable and cupsdisable are in /usr/sbin, which is
# not on every user's PATH
PATH=$PATH:/usr/sbin
CUPS_DIR=$T_TMP/cups
CUPS_OUT=$CUPS_DIR/out
CUPS_PID=

cups_stop() {
	if [ -n "$CUPS_PID" ]; then
		kill "$CUPS_PID" 2>/dev/null
		wait "$CUPS_PID" 2>/dev/null
		CUPS_PID=
	fi
}

# The socket in a URI for ipptool: every '/' as %2F.
cups_uri() {
	printf 'ipp://%s%s' "$(printf '%s' "$CUPS_DIR/cups.sock" | sed 's,/,%2F,g')" "$1"
}

# cups_ppd NAME DUPLEX(0|1) SIZE...: a PPD for a queue that takes PDF as
# it is, with the page sizes named (A4, CR80; the first is the default)
# and, with DUPLEX 1, a two-sided option.
cups_ppd() {
	local name=$1 duplex=$2 s
	shift 2
	cat <<EOF
*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "TERBIT.PPD"
*Manufacturer: "terbit"
*Product: "(terbit test)"
*ModelName: "terbit $name"
*ShortNickName: "terbit $name"
*NickName: "terbit $name"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: False
*DefaultColorSpace: Gray
*FileSystem: False
*Throughput: "1"
*LandscapeOrientation: Plus90
*TTRasterizer: Type42
*cupsFilter2: "application/pdf application/pdf 0 -"
*DefaultPageSize: $1
*DefaultPageRegion: $1
*DefaultImageableArea: $1
*DefaultPaperDimension: $1
EOF
	for key in PageSize PageRegion; do
		echo "*OpenUI *$key: PickOne"
		echo "*OrderDependency: 10 AnySetup *$key"
		for s in "$@"; do
			case $s in
			A4) echo "*$key A4/A4: \"<</PageSize[595 842]>>setpagedevice\"" ;;
			CR80) echo "*$key CR80/CR80: \"<</PageSize[153.01 242.65]>>setpagedevice\"" ;;
			esac
		done
		echo "*CloseUI: *$key"
	done
	for s in "$@"; do
		case $s in
		A4) echo '*ImageableArea A4/A4: "0 0 595 842"'
		    echo '*PaperDimension A4/A4: "595 842"' ;;
		CR80) echo '*ImageableArea CR80/CR80: "0 0 153.01 242.65"'
		      echo '*PaperDimension CR80/CR80: "153.01 242.65"' ;;
		esac
	done
	if [ "$duplex" = 1 ]; then
		cat <<'EOF'
*OpenUI *Duplex/2-Sided Printing: PickOne
*OrderDependency: 10 AnySetup *Duplex
*DefaultDuplex: None
*Duplex None/Off: "<</Duplex false>>setpagedevice"
*Duplex DuplexNoTumble/Long Edge: "<</Duplex true/Tumble false>>setpagedevice"
*Duplex DuplexTumble/Short Edge: "<</Duplex true/Tumble true>>setpagedevice"
*CloseUI: *Duplex
EOF
	fi
}

# cups_printer NAME DUPLEX SIZE...: a queue printing to $CUPS_OUT.
cups_printer() {
	local name=$1
	cups_ppd "$@" >"$CUPS_DIR/$name.ppd"
	lpadmin -p "$name" -E -v "terbitpdf:$CUPS_OUT" -P "$CUPS_DIR/$name.ppd" \
		2>&1 | grep -v 'drivers are deprecated' >&2
	return "${PIPESTATUS[0]}"
}

cups_start() {
	local user group i
	mkdir -p "$CUPS_DIR"/{conf,spool,cache,state,log,bin/backend} "$CUPS_OUT"
	if [ "$(id -u)" = 0 ]; then
		user=lp group=lp
		# lp's backend writes the output and cupsd's helpers read
		# the PPDs: the directories on the way must be passable
		chmod 711 "$T_TMP" "$CUPS_DIR"
		chown "$user" "$CUPS_OUT"
	else
		user=$(id -un) group=$(id -gn)
	fi
	ln -s /usr/lib/cups/filter "$CUPS_DIR/bin/filter"
	ln -s /usr/lib/cups/daemon "$CUPS_DIR/bin/daemon" # cups-exec
	cat >"$CUPS_DIR/bin/backend/terbitpdf" <<'EOF'
#!/bin/sh
# terbit's test printer: argv job user title copies options [file]
if [ $# -eq 0 ]; then
	echo 'direct terbitpdf "terbit" "terbit test printer"'
	exit 0
fi
out=${DEVICE_URI#terbitpdf:}
cat ${6:+"$6"} >"$out/job-$1.tmp" && mv "$out/job-$1.tmp" "$out/job-$1.pdf"
EOF
	chmod 755 "$CUPS_DIR/bin/backend/terbitpdf"
	cat >"$CUPS_DIR/conf/cupsd.conf" <<EOF
Listen $CUPS_DIR/cups.sock
Browsing No
WebInterface No
LogLevel info
DefaultAuthType None
PreserveJobHistory Yes
MaxJobTime 0
<Location />
Order allow,deny
Allow all
</Location>
<Policy default>
<Limit All>
Order deny,allow
</Limit>
</Policy>
EOF
	cat >"$CUPS_DIR/conf/cups-files.conf" <<EOF
ServerRoot $CUPS_DIR/conf
RequestRoot $CUPS_DIR/spool
CacheDir $CUPS_DIR/cache
StateDir $CUPS_DIR/state
ServerBin $CUPS_DIR/bin
DataDir /usr/share/cups
TempDir $CUPS_DIR/spool
AccessLog $CUPS_DIR/log/access_log
ErrorLog $CUPS_DIR/log/error_log
PageLog $CUPS_DIR/log/page_log
Printcap $CUPS_DIR/printcap
User $user
Group $group
EOF
	cupsd -f -c "$CUPS_DIR/conf/cupsd.conf" -s "$CUPS_DIR/conf/cups-files.conf" \
		>"$CUPS_DIR/log/stdout" 2>&1 &
	CUPS_PID=$!
	export CUPS_SERVER=$CUPS_DIR/cups.sock
	# ready when it answers (lpstat -r exits 0 either way: read what it
	# says); a few seconds at most
	for i in $(seq 200); do
		[ "$(LC_ALL=C lpstat -r 2>/dev/null)" = "scheduler is running" ] &&
			return 0
		kill -0 "$CUPS_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$CUPS_DIR/log/stdout" "$CUPS_DIR/log/error_log" >&2 2>/dev/null
	return 1
}
