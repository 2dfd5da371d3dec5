#!/usr/bin/env bash
# Malformed and hostile input: each case must give a located, coded diagnostic
# (file:line:col: error[CODE]), exit status 1, no output, within bounded time and
# memory.  Large cases are made at run time, not committed.  Usage: run.sh PACC
# Environment: HOSTILE_VMEM (ulimit -v, "unlimited" under ASan), HOSTILE_TIMEOUT
# (seconds per run), HOSTILE_STEP and HOSTILE_JSON_STEP (truncation strides;
# larger under valgrind).
set -u
pacc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "hostile: FAIL $*" >&2; fail=$((fail + 1)); }

# expect NAME FILE CODE: `pacc build` must exit 1, print FILE:L:C: error[CODE], write nothing.
expect() {
	local name=$1 file=$2 code=$3 out="$work/out-$1" err="$work/err-$1"
	mkdir -p "$out"
	( ulimit -v "${HOSTILE_VMEM:-1000000}"; timeout "${HOSTILE_TIMEOUT:-20}" ${PACC_WRAP:-} "$pacc" build -o "$out" "$file" ) >/dev/null 2>"$err"
	local rc=$?
	if [ $rc -ne 1 ]; then bad "$name: exit status $rc, want 1"; head -5 "$err" >&2; return; fi
	if ! grep -Eq "^[^ ]+:[0-9]+:[0-9]+: error\[$code\]" "$err"; then
		bad "$name: no located error[$code]"; head -5 "$err" >&2; return; fi
	if [ -n "$(ls -A "$out")" ]; then bad "$name: wrote output"; return; fi
	ok
}

valid="$root/tests/hostile/valid.pacc"
: >"$work/empty.pacc";                                       expect empty "$work/empty.pacc" 'E[0-9]{4}'
printf 'service "a\0b" {}\n' >"$work/nul.pacc";               expect nul "$work/nul.pacc" E0004
printf 'service "a\\u0000b" {}\n' >"$work/nulesc.pacc";         expect nul-escape "$work/nulesc.pacc" E0007
printf 'policy "p" { metadata { "n": 1e309 } }\n' >"$work/bignum.pacc"; expect number-overflow "$work/bignum.pacc" E0011
printf 'service "caf\xe9" {}\n' >"$work/utf8.pacc";           expect utf8 "$work/utf8.pacc" E0002
printf 'service "abc {\n}\n' >"$work/str.pacc";               expect open-string "$work/str.pacc" E0005
printf 'section a "b" {\n  """\n  never closed\n' >"$work/text.pacc"; expect open-text "$work/text.pacc" E0006
printf 'section a "b" {\n/* never closed\n' >"$work/comment.pacc";    expect open-comment "$work/comment.pacc" E0010
python3 -c 'import sys; sys.stdout.write("policy \"p\" { metadata " + "["*100000 + "\n")' >"$work/deep.pacc"
expect deep "$work/deep.pacc" E0102
python3 -c 'import sys; sys.stdout.write("# " + "x"*1048576 + "\n")' >"$work/longline.pacc"
expect long-line "$work/longline.pacc" E0008
python3 -c 'import sys; sys.stdout.write("@\n"*200)' >"$work/many.pacc"
expect too-many-errors "$work/many.pacc" E0003
python3 -c 'import sys; sys.stdout.write(("# padding line\n")*1300000)' >"$work/huge.pacc"
expect too-large "$work/huge.pacc" E0009

# within_limits STATUS ERR: the check finished, and its only error is the one about
# Azure's limit of 1,000 references per initiative (E0334).
within_limits() {
	[ "$1" -eq 0 ] && return 0
	[ "$1" -eq 1 ] && grep -q 'error\[E0334\]' "$2" && [ "$(grep -c 'error\[' "$2")" -eq 1 ]
}

# Large valid input in bounded time: 100,000 policies and one initiative that
# references them all (a linear lookup per reference took minutes).
python3 -c '
import sys
n = 100000
w = sys.stdout.write
for i in range(n):
    w("policy \"p%d\" {\n  display \"d\"\n  mode All\n  effect audit\n  if { type == \"a\" }\n}\n" % i)
w("initiative \"all\" {\n  display \"all\"\n")
for i in range(n):
    w("  reference \"r%d\" -> \"p%d\" { }\n" % (i, i))
w("}\n")' >"$work/large.pacc"
# Azure takes 1,000 references per initiative, so the check ends in E0334.
( ulimit -v "${HOSTILE_VMEM:-1000000}"; timeout "${HOSTILE_TIMEOUT:-20}" ${PACC_WRAP:-} "$pacc" check "$work/large.pacc" ) >/dev/null 2>"$work/err-many"
if within_limits $? "$work/err-many"; then ok; else
	bad "100,000 policies and references: not checked in bounded time and memory"; head -3 "$work/err-many" >&2; fi

# A guide of 20,000 sections, each with an enforced recommendation.
python3 - "$valid" >"$work/guide.pacc" <<'PY'
import sys
head = open(sys.argv[1]).read()
w = sys.stdout.write
w(head[:head.index("section ")])
for i in range(20000):
    w('section s%d "Section %d" {\n  """\n    Text.\n  """\n  recommendation R-%d "Do %d" {\n'
      '    """\n      Why.\n    """\n    enforce {\n      display "P %d"\n      mode Indexed\n'
      '      effect audit\n      if { type == "Microsoft.Storage/storageAccounts" }\n    }\n  }\n}\n'
      % (i, i, i, i, i))
PY
( ulimit -v "${HOSTILE_VMEM:-1000000}"; timeout "${HOSTILE_TIMEOUT:-20}" ${PACC_WRAP:-} "$pacc" check "$work/guide.pacc" ) >/dev/null 2>"$work/err-guide"
if within_limits $? "$work/err-guide"; then ok; else
	bad "20,000 sections: not checked in bounded time and memory"; head -3 "$work/err-guide" >&2; fi

# CRLF line endings are accepted: the valid pack with CRLF builds like the LF one.
sed 's/$/\r/' "$valid" >"$work/crlf.pacc"
if ( timeout 20 "$pacc" check "$work/crlf.pacc" ) >/dev/null 2>"$work/err-crlf"; then ok; else
	bad "crlf: not accepted"; head -5 "$work/err-crlf" >&2; fi

# Every truncation of a valid pack: exit 0 or 1 (never a crash or hang), and a
# truncation that fails names a place.
size=$(wc -c <"$valid")
trunc_bad=0
for ((i = 0; i < size; i += ${HOSTILE_STEP:-7})); do
	head -c "$i" "$valid" >"$work/t.pacc"
	timeout "${HOSTILE_TIMEOUT:-10}" ${PACC_WRAP:-} "$pacc" check "$work/t.pacc" >/dev/null 2>"$work/t.err"
	rc=$?
	if [ $rc -ne 0 ] && { [ $rc -ne 1 ] || ! grep -Eq ':[0-9]+:[0-9]+: error\[E[0-9]{4}\]' "$work/t.err"; }; then
		bad "truncated at byte $i: exit $rc"; head -3 "$work/t.err" >&2; trunc_bad=1; break
	fi
done
[ $trunc_bad -eq 0 ] && ok

# ---- JSON for `pacc import` (when this pacc has the command) ----------------
# expect_import NAME FILE CODE: exit 1, FILE:L:C: error[CODE], nothing written.
expect_import() {
	local name=$1 file=$2 code=$3 out="$work/iout-$1" err="$work/ierr-$1"
	mkdir -p "$out"
	( ulimit -v "${HOSTILE_VMEM:-1000000}"; timeout "${HOSTILE_TIMEOUT:-20}" ${PACC_WRAP:-} "$pacc" import -o "$out" "$file" ) >/dev/null 2>"$err"
	local rc=$?
	if [ $rc -ne 1 ]; then bad "import $name: exit status $rc, want 1"; head -5 "$err" >&2; return; fi
	if ! grep -Eq "^[^ ]+:[0-9]+:[0-9]+: error\[$code\]" "$err"; then
		bad "import $name: no located error[$code]"; head -5 "$err" >&2; return; fi
	if [ -n "$(ls -A "$out")" ]; then bad "import $name: wrote output"; return; fi
	ok
}

if "$pacc" import --help >/dev/null 2>&1; then
	hj="$root/tests/hostile"
	: >"$work/empty.json";                              expect_import empty "$work/empty.json" E0901
	expect_import truncated "$hj/truncated.json" E0901
	expect_import duplicate-key "$hj/duplicate-key.json" E0901
	expect_import invalid-utf8 "$hj/invalid-utf8.json" E0002
	expect_import nul "$hj/nul.json" E0004
	expect_import number-overflow "$hj/number-overflow.json" E0903
	python3 -c 'import sys; sys.stdout.write("["*100000)' >"$work/deep.json"
	expect_import deep "$work/deep.json" E0901
	python3 -c 'import sys; sys.stdout.write("{\"a\":"*100000 + "1" + "}"*100000)' >"$work/deep-obj.json"
	expect_import deep-object "$work/deep-obj.json" E0901
	python3 -c 'import sys; sys.stdout.write("{\"properties\": {\"description\": \"" + "x"*(17*1024*1024) + "\"}}")' >"$work/huge.json"
	expect_import too-large "$work/huge.json" E0009
	# 200,000 members in one object, the last a duplicate: found in n log n
	python3 -c 'import sys; sys.stdout.write("{" + ",".join("\"k%d\": 1" % i for i in range(200000)) + ", \"k7\": 2}")' >"$work/wide.json"
	expect_import wide-duplicate "$work/wide.json" E0901
	# every truncation of a valid definition: exit 0 or 1, and a failure names a place
	vj="$hj/valid.json"
	size=$(wc -c <"$vj")
	trunc_bad=0
	for ((i = 0; i < size; i += ${HOSTILE_JSON_STEP:-3})); do
		head -c "$i" "$vj" >"$work/t.json"
		rm -rf "$work/tout"
		timeout "${HOSTILE_TIMEOUT:-10}" ${PACC_WRAP:-} "$pacc" import -o "$work/tout" "$work/t.json" >/dev/null 2>"$work/t.err"
		rc=$?
		if [ $rc -ne 1 ] || ! grep -Eq ':[0-9]+:[0-9]+: error\[E[0-9]{4}\]' "$work/t.err" || [ -e "$work/tout/t.pacc" ]; then
			bad "import truncated at byte $i: exit $rc"; head -3 "$work/t.err" >&2; trunc_bad=1; break
		fi
	done
	[ $trunc_bad -eq 0 ] && ok
else
	echo "hostile: skipping the JSON cases: this pacc has no 'import' command"
fi

# ---- the project manifest (pacc.yaml) -----------------------------------------
# expect_manifest NAME FILE CODE: `pacc build --manifest FILE` exits 1 with a
# located FILE:L:C: error[CODE] and writes nothing.
expect_manifest() {
	local name=$1 file=$2 code=$3 out="$work/mout-$1" err="$work/merr-$1"
	mkdir -p "$out"
	( ulimit -v "${HOSTILE_VMEM:-1000000}"; timeout "${HOSTILE_TIMEOUT:-20}" ${PACC_WRAP:-} "$pacc" build --manifest "$file" -o "$out" ) >/dev/null 2>"$err"
	local rc=$?
	if [ $rc -ne 1 ]; then bad "manifest $name: exit status $rc, want 1"; head -5 "$err" >&2; return; fi
	if ! grep -Eq "^[^ ]+:[0-9]+:[0-9]+: error\[$code\]" "$err"; then
		bad "manifest $name: no located error[$code]"; head -5 "$err" >&2; return; fi
	if [ -n "$(ls -A "$out")" ]; then bad "manifest $name: wrote output"; return; fi
	ok
}
m="$work/m"
mkdir -p "$m"
# Billion laughs: aliases are refused, never expanded.
python3 - >"$m/laughs.yaml" <<'PY'
print('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]')
for i in range(1, 10):
    p = chr(ord('a') + i - 1); c = chr(ord('a') + i)
    print('%s: &%s [%s]' % (c, c, ','.join(['*' + p] * 9)))
print('environments: *j')
PY
expect_manifest laughs "$m/laughs.yaml" E1004
printf 'environments:
	- name: dev
' >"$m/tab.yaml";               expect_manifest tab "$m/tab.yaml" E1002
printf 'output: "caf\xe9"
' >"$m/utf8.yaml";                         expect_manifest utf8 "$m/utf8.yaml" E0002
printf 'output: a\0b\n' >"$m/nul.yaml";                              expect_manifest nul "$m/nul.yaml" E0004
printf 'environments: [\n' >"$m/open.yaml";                           expect_manifest syntax "$m/open.yaml" E1001
python3 -c 'import sys; sys.stdout.write("x: " + "["*100000 + "\n")' >"$m/deep.yaml"
expect_manifest deep "$m/deep.yaml" E1022
# 100,000 keys in one mapping, one of them twice: found in n log n, not n squared.
python3 -c 'import sys; sys.stdout.write("".join("k%d: 1\n" % i for i in range(100000)) + "k7: 2\n")' >"$m/wide.yaml"
expect_manifest wide "$m/wide.yaml" E1005
python3 -c 'import sys; sys.stdout.write("environments:\n" + "".join("  - {name: e%d, scope: m, location: w}\n" % i for i in range(101)))' >"$m/envs.yaml"
expect_manifest too-many-environments "$m/envs.yaml" E1007
python3 -c 'import sys; sys.stdout.write(("# padding line\n")*1300000)' >"$m/huge.yaml"
expect_manifest too-large "$m/huge.yaml" E0009

echo "hostile: $pass passed, $fail failed"
[ $fail -eq 0 ]
