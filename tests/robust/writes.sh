#!/usr/bin/env bash
# Contained, atomic writes, through the CLI:
#  - unsafe policy and initiative names (.., /, \, absolute, NUL, reserved
#    device names, leading dots, over-long) are refused with a located
#    diagnostic, exit 1, before anything is written;
#  - a symbolic link inside a pack directory is not followed;
#  - a file where a directory must go fails the build (exit 2) and changes nothing;
#  - a build that fails at any point — each file-system call that creates or
#    changes something made to fail in turn by the failio shim — exits 2 and
#    leaves the previous output byte-identical and no temporary files.
# usage: writes.sh PACC [FAILIO.so]   (without the shim the last part is skipped)
set -u
pacc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shim=${2:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pacc-writes.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "writes: FAIL $*" >&2; fail=$((fail + 1)); }

# Every entry's type, path, mode, mtime and inode, and every file's bytes (DIR's
# own mtime changes when a temporary tree comes and goes, so it is left out).
fingerprint() {
	( cd "$1" && find . -mindepth 1 -printf '%y %p %m %T@ %i\n' | LC_ALL=C sort &&
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum )
}
# Names that are not pack directories: temporaries a build must not leave.
leftovers() { find "$1" -mindepth 1 -maxdepth 1 -name '.*'; find "$1" -name '*.tmp*'; }

valid="$root/tests/hostile/valid.pacc"

# ---- unsafe names --------------------------------------------------------------
names=('..' 'a/b' 'a\\b' '/etc/passwd' 'a\u0000b' 'con' 'CON' 'nul.json' 'com1' 'lpt9' 'aux'
	'prn.txt' '.hidden' '...' "$(printf 'x%.0s' $(seq 300))" 'trailing.' 'x:y' 'x*y' 'x?y' 'x<y' 'x|y' '')
i=0
for name in "${names[@]}"; do
	i=$((i + 1))
	mkdir -p "$work/n$i/out"
	{ cat "$valid"; printf '\npolicy "%s" {\n  display "d"\n  mode All\n  effect audit\n  if { type == "a" }\n}\n' "$name"; } >"$work/n$i/p.pacc"
	"$pacc" build -o "$work/n$i/out" "$work/n$i/p.pacc" >/dev/null 2>"$work/n$i/err"
	rc=$?
	if [ $rc -ne 1 ] || ! grep -Eq '^[^ ]+:[0-9]+:[0-9]+: error\[E[0-9]{4}\]' "$work/n$i/err"; then
		bad "policy name '$name': exit $rc, want 1 with a located error"; head -3 "$work/n$i/err" >&2
	elif [ -n "$(ls -A "$work/n$i/out")" ]; then
		bad "policy name '$name': wrote output"
	else ok; fi
done
# Pack names come from file names: a leading dot or a reserved device name is
# refused, nothing written.
for pk in .hidden con NUL; do
	mkdir -p "$work/pk-$pk/out"
	cp "$valid" "$work/pk-$pk/$pk.pacc"
	"$pacc" build -o "$work/pk-$pk/out" "$work/pk-$pk/$pk.pacc" >/dev/null 2>"$work/pk-$pk/err"
	rc=$?
	if [ $rc -eq 0 ] || [ -n "$(ls -A "$work/pk-$pk/out")" ]; then bad "pack '$pk': exit $rc, $(ls -A "$work/pk-$pk/out")"; else ok; fi
done

# ---- links and files in the way ---------------------------------------------------
out="$work/out"
"$pacc" build -o "$out" "$valid" >/dev/null 2>&1 || bad "valid pack does not build"
pol="$out/valid/policies/valid-ns-1.json"
echo "outside" >"$work/target"
rm -f "$pol" && ln -s "$work/target" "$pol"
sed 's/display "Gadget storage accounts should disable/display "Changed: storage accounts should disable/' "$valid" >"$work/valid2.pacc"
mkdir -p "$work/v2" && cp "$work/valid2.pacc" "$work/v2/valid.pacc"
"$pacc" build -o "$out" "$work/v2/valid.pacc" >/dev/null 2>"$work/err"
rc=$?
if [ "$(cat "$work/target")" != "outside" ]; then bad "a symlink inside the pack directory was followed"; else ok; fi
if [ $rc -eq 0 ] && [ -L "$pol" ]; then bad "exit 0 but the symlink is still in place"; fi

mkdir -p "$work/fw/out"
: >"$work/fw/out/valid"    # a file where the pack directory must go
before=$(fingerprint "$work/fw/out")
"$pacc" build -o "$work/fw/out" "$valid" >/dev/null 2>"$work/err"
rc=$?
if [ $rc -ne 2 ]; then bad "file in place of the pack directory: exit $rc, want 2"; head -3 "$work/err" >&2
elif [ "$(fingerprint "$work/fw/out")" != "$before" ] || [ -n "$(leftovers "$work/fw/out" | grep -v '^$')" ]; then
	bad "file in place of the pack directory: output changed"; else ok; fi

# ---- a changed rebuild links the files it does not change --------------------------
# Same bytes: the old file is linked into the new tree (same inode, same mtime);
# other bytes: a new file.  The old tree's files are never changed in place.
mkdir -p "$work/ln"
"$pacc" build -o "$work/ln/out" "$valid" >/dev/null 2>&1 || bad "valid pack does not build"
( cd "$work/ln/out" && find . -type f -printf '%p %i %T@\n' | LC_ALL=C sort ) >"$work/ln/before"
cp -a "$work/ln/out" "$work/ln/copy"
"$pacc" build -o "$work/ln/out" "$work/v2/valid.pacc" >/dev/null 2>&1 || bad "changed pack does not build"
linked=0 written=0
while read -r path ino mtime; do
	new="$work/ln/out/$path"
	[ -f "$new" ] || continue
	if cmp -s "$new" "$work/ln/copy/$path"; then
		if [ "$(stat -c %i "$new")" = "$ino" ] && [ "$(stat -c %.Y "$new")" = "$(stat -c %.Y "$work/ln/copy/$path")" ]; then linked=$((linked + 1))
		else bad "changed rebuild: '$path' has the same bytes but was written again"; fi
	else
		[ "$(stat -c %i "$new")" != "$ino" ] || bad "changed rebuild: '$path' was changed in place"
		written=$((written + 1))
	fi
done <"$work/ln/before"
if [ $linked -gt 0 ] && [ $written -gt 0 ]; then ok; else bad "changed rebuild: $linked linked, $written written; want both"; fi

# ---- a failure at every point ---------------------------------------------------
if [ -z "$shim" ]; then
	echo "writes: skipping the injected failures: no failio shim given"
else
	shim=$(cd "$(dirname "$shim")" && pwd)/$(basename "$shim")
	# Two packs that both change, and one that does not.
	mkdir -p "$work/a" "$work/b"
	cp "$valid" "$work/a/valid.pacc"; cp "$root/tests/cli/cases/v1/lib.pacc" "$work/a/lib.pacc" 2>/dev/null ||
		sed 's/Contoso Gadgets/Contoso Lib/; s/contoso-gadgets/contoso-lib/' "$valid" >"$work/a/lib.pacc"
	cp "$work/valid2.pacc" "$work/b/valid.pacc"
	sed 's/display "/display "Changed /' "$work/a/lib.pacc" >"$work/b/lib.pacc"
	cp "$valid" "$work/a/same.pacc"; cp "$valid" "$work/b/same.pacc"
	# Once as a plain build, once with --sync (which flushes: syncfs, fsync).
	for sync in "" --sync; do
		out="$work/inj$sync"
		rm -rf "$work/probe" "$work/count"
		"$pacc" build $sync -o "$out" "$work/a/valid.pacc" "$work/a/lib.pacc" "$work/a/same.pacc" >/dev/null 2>&1 ||
			bad "the first build failed"
		before=$(fingerprint "$out")
		# How many points: one clean run under the shim, logging.
		"$pacc" build $sync -o "$work/count" "$work/a/valid.pacc" >/dev/null 2>&1
		rm -rf "$work/count"
		: >"$work/log"
		cp -a "$out" "$work/probe"
		FAILIO_LOG="$work/log" LD_PRELOAD="$shim" "$pacc" build $sync -o "$work/probe" "$work/b/valid.pacc" "$work/b/lib.pacc" "$work/b/same.pacc" >/dev/null 2>&1
		points=$(wc -l <"$work/log")
		if [ "$points" -lt 5 ]; then bad "the shim saw only $points calls; is it loaded?"; cat "$work/log" >&2; fi
		# Durability on request: a plain build flushes nothing, --sync flushes once.
		flushes=$(grep -c -E ' (syncfs|fsync)$' "$work/log")
		if [ -z "$sync" ] && [ "$flushes" -ne 0 ]; then bad "a build without --sync flushed $flushes times"; fi
		if [ -n "$sync" ] && ! grep -q ' syncfs$' "$work/log"; then bad "a build with --sync did not call syncfs"; fi
		for ((n = 1; n <= points; n++)); do
			FAILIO_N=$n LD_PRELOAD="$shim" "$pacc" build $sync -o "$out" "$work/b/valid.pacc" "$work/b/lib.pacc" "$work/b/same.pacc" >/dev/null 2>"$work/err"
			rc=$?
			call=$(sed -n "${n}p" "$work/log")
			if [ $rc -eq 0 ]; then
				# the failed call was one the build may retry or ignore; then the
				# output must be the new build's
				if ! diff -r "$out" "$work/probe" >/dev/null; then bad "failure at call $call: exit 0 but the output is not the new build"; fi
				rm -rf "$out"; "$pacc" build $sync -o "$out" "$work/a/valid.pacc" "$work/a/lib.pacc" "$work/a/same.pacc" >/dev/null 2>&1
				before=$(fingerprint "$out")
				continue
			fi
			if [ $rc -ne 2 ]; then bad "failure at call $call: exit $rc, want 2"; head -3 "$work/err" >&2; fi
			if [ "$(fingerprint "$out")" != "$before" ]; then bad "failure at call $call: the previous output changed"; fi
			if [ -n "$(leftovers "$out")" ]; then bad "failure at call $call: left $(leftovers "$out" | head -3)"; fi
		done
		[ $fail -eq 0 ] && ok
		echo "writes: $points injected failure points checked${sync:+ with $sync}"
	done
fi

# ---- pacc import ------------------------------------------------------------------
if "$pacc" import --help >/dev/null 2>&1; then
	vj="$root/tests/hostile/valid.json"
	# A file name with a line break cannot inject source through the pack's
	# opening comment.
	mkdir -p "$work/imp/out"
	nl="$work/imp/x"$'\n''policy "evil" { effect audit }.json'
	cp "$vj" "$nl"
	"$pacc" import -o "$work/imp/out" "$nl" >/dev/null 2>"$work/err"
	rc=$?
	written=$(ls "$work/imp/out"/*.pacc 2>/dev/null | head -1)
	# The policy's name, taken from the file, is mapped to a name the build
	# accepts (the line break and quotes become '-'): one policy, no injected
	# statement, and the written pack checks clean.
	if [ $rc -ne 0 ] || [ -z "$written" ] || [ "$(grep -c '^policy ' "$written")" -ne 1 ] ||
		grep -q '^policy "evil"' "$written" || ! "$pacc" check "$written" >/dev/null 2>&1; then
		bad "import: a line break in the file name injected source or gave a pack the build refuses"
	else ok; fi
	# A symbolic link where the pack goes is replaced, never written through.
	mkdir -p "$work/imp/out2"
	ln -s "$work/imp/target" "$work/imp/out2/valid.pacc"
	"$pacc" import -o "$work/imp/out2" "$vj" >/dev/null 2>&1
	if [ -e "$work/imp/target" ]; then bad "import: wrote through a symbolic link"; else ok; fi
	if [ -n "$(leftovers "$work/imp/out2")" ]; then bad "import: left temporary files"; else ok; fi
	# A failure at any point leaves the previous packs and no temporary file.
	if [ -n "$shim" ]; then
		mkdir -p "$work/imp/v1" "$work/imp/v2" "$work/imp/out3"
		cp "$vj" "$work/imp/v1/one.json"; cp "$vj" "$work/imp/v1/two.json"
		sed 's/"x"/"changed"/' "$vj" >"$work/imp/v2/one.json"; sed 's/"x"/"changed"/' "$vj" >"$work/imp/v2/two.json"
		"$pacc" import -o "$work/imp/out3" "$work/imp/v1/one.json" "$work/imp/v1/two.json" >/dev/null 2>&1
		before=$(fingerprint "$work/imp/out3")
		: >"$work/ilog"
		cp -a "$work/imp/out3" "$work/imp/probe"
		FAILIO_LOG="$work/ilog" LD_PRELOAD="$shim" "$pacc" import -o "$work/imp/probe" "$work/imp/v2/one.json" "$work/imp/v2/two.json" >/dev/null 2>&1
		points=$(wc -l <"$work/ilog")
		before_fail=$fail
		for ((n = 1; n <= points; n++)); do
			call=$(sed -n "${n}p" "$work/ilog")
			case "$call" in *rename*) continue ;; esac # a failed rename after another cannot be undone
			FAILIO_N=$n LD_PRELOAD="$shim" "$pacc" import -o "$work/imp/out3" "$work/imp/v2/one.json" "$work/imp/v2/two.json" >/dev/null 2>"$work/err"
			rc=$?
			if [ $rc -ne 2 ]; then bad "import: failure at call $call: exit $rc, want 2"; fi
			if [ "$(fingerprint "$work/imp/out3")" != "$before" ]; then bad "import: failure at call $call: the previous packs changed"; fi
			if [ -n "$(leftovers "$work/imp/out3")" ]; then bad "import: failure at call $call: left temporary files"; fi
		done
		[ $fail -eq $before_fail ] && ok
		echo "writes: $points import failure points checked"
	fi
else
	echo "writes: skipping the import cases: this pacc has no 'import' command"
fi

echo "writes: $pass passed, $fail failed"
[ $fail -eq 0 ]
