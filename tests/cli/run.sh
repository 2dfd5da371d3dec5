#!/usr/bin/env bash
# Shell tests of the pacc command line: exit codes, help, diagnostics, and the
# promises `pacc build` makes about the output directory (all or nothing, stale
# files removed, unchanged packs untouched, no temporary files, no symlinks
# followed, deterministic bytes).
#
# usage: tests/cli/run.sh PACC
# $PACC_WRAP, when set, prefixes every pacc run (e.g. valgrind); a wrapper's own
# failure code (valgrind --error-exitcode=99) fails the test that hit it.
set -u

if [ $# -ne 1 ]; then
	echo "usage: tests/cli/run.sh PACC" >&2
	exit 2
fi
PACC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CASES=$(cd "$(dirname "$0")" && pwd)/cases
read -r -a WRAP <<<"${PACC_WRAP:-}"
T=$(mktemp -d "${TMPDIR:-/tmp}/pacc-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT

pass=0
fail=0
ok() {
	pass=$((pass + 1))
	printf 'ok   %s\n' "$1"
}
nok() {
	fail=$((fail + 1))
	printf 'FAIL %s\n' "$1"
	shift
	for line in "$@"; do printf '     %s\n' "$line"; done
	if [ -s "$T/err" ]; then sed -n '1,12s/^/     stderr: /p' "$T/err"; fi
}

# pacc ARGS...: runs pacc; sets rc, and leaves stdout in $T/out, stderr in $T/err.
pacc() {
	"${WRAP[@]}" "$PACC" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}
# pacc_in STDIN-FILE ARGS...
pacc_in() {
	local input=$1
	shift
	"${WRAP[@]}" "$PACC" "$@" <"$input" >"$T/out" 2>"$T/err"
	rc=$?
}

# expect NAME CODE: passes when the last run exited with CODE.
expect() {
	if [ "$rc" -eq "$2" ]; then ok "$1"; else nok "$1" "exit status $rc, expected $2"; fi
}

# A fingerprint of a tree: every entry's type, path, mtime and inode, and every
# file's bytes.  Equal fingerprints mean nothing was touched.
fingerprint() {
	(
		cd "$1" || exit 1
		find . -printf '%y %p %T@ %i\n' | LC_ALL=C sort
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
	) | sha256sum
}

# Temporary names fsout uses; none may survive a run.
leftovers() {
	find "$1" -name '.*.tmp.*' -o -name '.*.swap.*' | head -5
}

is_json() {
	python3 -c 'import json, sys; json.load(sys.stdin)' 2>/dev/null
}

# ---- version, help, usage errors ----------------------------------------------------------

pacc --version
if [ "$rc" -eq 0 ] && [ "$(cat "$T/out")" = "pacc 0.1.0" ]; then ok "--version prints 'pacc 0.1.0'"; else nok "--version prints 'pacc 0.1.0'" "exit $rc, stdout: $(head -c 200 "$T/out")"; fi

pacc --help
if [ "$rc" -eq 0 ] && grep -q '^usage: pacc <command>' "$T/out" && grep -q 'Exit status' "$T/out"; then ok "--help shows usage and exit status"; else nok "--help shows usage and exit status" "exit $rc"; fi

for form in "help build" "build --help" "build -h"; do
	# shellcheck disable=SC2086
	pacc $form
	if [ "$rc" -eq 0 ] && grep -q '^usage: pacc build' "$T/out" && grep -q '^Examples:' "$T/out"; then ok "'pacc $form' shows build's help"; else nok "'pacc $form' shows build's help" "exit $rc"; fi
done

pacc
expect "no command: exit 2" 2

pacc biuld "$CASES/v1/lib.pacc"
expect "unknown command: exit 2" 2
if grep -q "did you mean 'build'" "$T/err"; then ok "unknown command suggests 'build'"; else nok "unknown command suggests 'build'"; fi

pacc build --outptu "$T/x" "$CASES/v1/lib.pacc"
expect "unknown option: exit 2" 2
if grep -q "did you mean '--output'" "$T/err" && [ ! -e "$T/x" ]; then ok "unknown option suggests '--output' and writes nothing"; else nok "unknown option suggests '--output' and writes nothing"; fi

pacc --diagnostics-format=sarf check "$CASES/v1/lib.pacc"
if [ "$rc" -eq 2 ] && grep -q "did you mean 'sarif'" "$T/err"; then ok "a misspelt --diagnostics-format suggests 'sarif'"; else nok "a misspelt --diagnostics-format suggests 'sarif'" "exit $rc"; fi

pacc --color=sometimes check "$CASES/v1/lib.pacc"
expect "bad --color value: exit 2" 2

pacc check "$T/does-not-exist.pacc"
expect "unreadable file: exit 2" 2

pacc build -o "$T/clash" "$CASES/v1/lib.pacc" "$CASES/v2/lib.pacc"
expect "two packs with one name: exit 2" 2
if [ ! -e "$T/clash" ]; then ok "clashing packs write nothing"; else nok "clashing packs write nothing"; fi

# ---- check ---------------------------------------------------------------------------------

pacc check "$CASES/v1/lib.pacc" "$CASES/v1/other.pacc"
expect "check of valid packs: exit 0" 0
if [ ! -s "$T/out" ]; then ok "check writes nothing to stdout"; else nok "check writes nothing to stdout"; fi

pacc_in "$CASES/v1/lib.pacc" check -
expect "check - reads stdin: exit 0" 0

pacc_in "$CASES/typo/lib.pacc" check -
expect "check - with an error: exit 1" 1
if grep -Eq '^<stdin>:13:1: error\[E[0-9]{4}\]' "$T/err"; then ok "stdin diagnostics name <stdin>:13:1"; else nok "stdin diagnostics name <stdin>:13:1"; fi

pacc check --max-errors=1 "$CASES/typo/lib.pacc"
expect "--max-errors=1 with an error: exit 1" 1
if grep -q 'error\[E0003\]' "$T/err"; then ok "--max-errors=1 stops with E0003"; else nok "--max-errors=1 stops with E0003"; fi

pacc check -- -not-an-option.pacc
if [ "$rc" -eq 2 ] && grep -q "cannot read '-not-an-option.pacc'" "$T/err"; then ok "'--' ends the options"; else nok "'--' ends the options" "exit $rc"; fi

head -c 17000000 /dev/zero | tr '\0' ' ' >"$T/big.pacc"
pacc check "$T/big.pacc"
expect "a file over 16 MiB: exit 1" 1
if grep -q 'big\.pacc:1:1: error\[E0009\]' "$T/err"; then ok "a file over 16 MiB is E0009 at 1:1"; else nok "a file over 16 MiB is E0009 at 1:1"; fi
# A larger pack: the limit is raised with --max-file-size (MiB); past it, E0009 again.
{ cat "$CASES/v1/lib.pacc"; head -c 17000000 /dev/zero | tr '\0' '\n'; } >"$T/big.pacc"
pacc --max-file-size=32 check "$T/big.pacc"
expect "--max-file-size=32 reads a 17 MB pack" 0
pacc --max-file-size=16 check "$T/big.pacc"
if [ "$rc" -eq 1 ] && grep -q 'error\[E0009\]: file too large (more than 16 MiB)' "$T/err"; then ok "--max-file-size=16 is the default limit"; else nok "--max-file-size=16 is the default limit" "exit $rc"; fi
pacc --max-file-size=2048 check "$T/big.pacc"
expect "--max-file-size=2048: exit 2" 2
rm -f "$T/big.pacc"

pacc --time-passes check "$CASES/v1/lib.pacc"
if [ "$rc" -eq 0 ] && grep -q '^pacc: time-passes: lex+parse .* ms wall .* ms cpu$' "$T/err" && grep -q '^pacc: time-passes: check ' "$T/err" && grep -q '^pacc: time-passes: total ' "$T/err" && [ ! -s "$T/out" ]; then ok "--time-passes reports each pass on stderr"; else nok "--time-passes reports each pass on stderr"; fi

# ---- build ---------------------------------------------------------------------------------

OUT=$T/out-dir
pacc build -o "$OUT" "$CASES/v1/lib.pacc" "$CASES/v1/other.pacc"
expect "build of valid packs: exit 0" 0
if [ -f "$OUT/lib/policies/lib-factory-public-network.json" ] &&
	[ -f "$OUT/lib/policies/lib-factory-cmk.json" ] &&
	[ -f "$OUT/other/policies/other-storage-tls.json" ]; then
	ok "build writes DIR/<pack>/policies/<name>.json"
else
	nok "build writes DIR/<pack>/policies/<name>.json" "$(cd "$T" && find out-dir | sort | tr '\n' ' ')"
fi
if [ -z "$(leftovers "$OUT")" ]; then ok "no temporary files after build"; else nok "no temporary files after build" "$(leftovers "$OUT")"; fi
if [ "$(ls -A "$OUT" | tr '\n' ' ')" = "lib other " ]; then ok "DIR holds only the pack directories"; else nok "DIR holds only the pack directories" "$(ls -A "$OUT" | tr '\n' ' ')"; fi
bad_json=0
for f in $(find "$OUT" -name '*.json'); do is_json <"$f" || bad_json=1; done
if [ $bad_json -eq 0 ]; then ok "every generated .json parses"; else nok "every generated .json parses"; fi

before=$(fingerprint "$OUT")
sleep 0.02
pacc build -o "$OUT" "$CASES/v1/lib.pacc" "$CASES/v1/other.pacc"
expect "rebuild: exit 0" 0
if [ "$(fingerprint "$OUT")" = "$before" ]; then ok "an unchanged rebuild touches nothing"; else nok "an unchanged rebuild touches nothing"; fi

# An error anywhere: exit 1, located E-code diagnostic, the directory exactly as before.
pacc build -o "$OUT" "$CASES/typo/lib.pacc" "$CASES/v1/other.pacc"
expect "build with a typo: exit 1" 1
if grep -Eq "lib\.pacc:13:1: error\[E[0-9]{4}\]" "$T/err"; then ok "the typo is reported at lib.pacc:13:1 with an E-code"; else nok "the typo is reported at lib.pacc:13:1 with an E-code"; fi
if grep -q '\^' "$T/err"; then ok "the diagnostic has a caret line"; else nok "the diagnostic has a caret line"; fi
if [ "$(fingerprint "$OUT")" = "$before" ]; then ok "a failed build leaves DIR byte-identical and untouched"; else nok "a failed build leaves DIR byte-identical and untouched"; fi
if [ -z "$(leftovers "$OUT")" ]; then ok "no temporary files after a failed build"; else nok "no temporary files after a failed build"; fi

pacc build --diagnostics-format=json -o "$OUT" "$CASES/typo/lib.pacc"
expect "json diagnostics: exit 1" 1
if is_json <"$T/err" &&
	python3 -c 'import json,sys; d=json.load(sys.stdin); r=d[0]; assert r["code"].startswith("E") and r["line"]==13 and r["column"]==1 and r["severity"]=="error"' <"$T/err" 2>/dev/null; then
	ok "json diagnostics parse and carry code, line 13, column 1"
else
	nok "json diagnostics parse and carry code, line 13, column 1"
fi

pacc build --color=always -o "$OUT" "$CASES/typo/lib.pacc"
if grep -q $'\033\\[' "$T/err"; then ok "--color=always colours diagnostics"; else nok "--color=always colours diagnostics"; fi
NO_COLOR=1 pacc build --color=auto -o "$OUT" "$CASES/typo/lib.pacc"
if ! grep -q $'\033' "$T/err"; then ok "--color=auto off a terminal prints no escapes"; else nok "--color=auto off a terminal prints no escapes"; fi

# A removed policy's file disappears on rebuild; the other pack stays untouched.
other_before=$(fingerprint "$OUT/other")
pacc build -o "$OUT" "$CASES/v2/lib.pacc" "$CASES/v1/other.pacc"
expect "build after removing a policy: exit 0" 0
if [ ! -e "$OUT/lib/policies/lib-factory-cmk.json" ] && [ -f "$OUT/lib/policies/lib-factory-public-network.json" ]; then ok "the removed policy's file is gone"; else nok "the removed policy's file is gone"; fi
if [ "$(fingerprint "$OUT/other")" = "$other_before" ]; then ok "the unchanged pack beside it is untouched"; else nok "the unchanged pack beside it is untouched"; fi
if [ -z "$(leftovers "$OUT")" ]; then ok "no temporary files after replacing a pack"; else nok "no temporary files after replacing a pack"; fi

# build --check: writes nothing, lists every difference, exit 1 unless DIR is fresh.
pacc build --check -o "$OUT" "$CASES/v2/lib.pacc" "$CASES/v1/other.pacc"
expect "build --check on a fresh tree: exit 0" 0
if [ ! -s "$T/out" ]; then ok "build --check on a fresh tree lists nothing"; else nok "build --check on a fresh tree lists nothing" "$(head -3 "$T/out")"; fi
pacc build --check -o "$OUT" "$CASES/v1/lib.pacc" "$CASES/v1/other.pacc"
expect "build --check after a policy was added: exit 1" 1
if [ "$(cat "$T/out")" = "added: $OUT/lib/policies/lib-factory-cmk.json" ]; then ok "build --check lists the added file"; else nok "build --check lists the added file" "$(head -5 "$T/out")"; fi
echo '{}' >"$T/stray.json"
cp "$T/stray.json" "$OUT/lib/policies/zz-stray.json"
mkdir -p "$OUT/lib/empty"
printf ' ' >>"$OUT/other/policies/other-storage-tls.json"
messy=$(fingerprint "$OUT")
pacc build --check -o "$OUT" "$CASES/v2/lib.pacc" "$CASES/v1/other.pacc"
want="removed: $OUT/lib/empty/
removed: $OUT/lib/policies/zz-stray.json
changed: $OUT/other/policies/other-storage-tls.json"
if [ "$rc" -eq 1 ] && [ "$(cat "$T/out")" = "$want" ]; then ok "build --check lists changed and removed files, one line each"; else nok "build --check lists changed and removed files, one line each" "exit $rc" "$(head -5 "$T/out")"; fi
if [ "$(fingerprint "$OUT")" = "$messy" ]; then ok "build --check touched nothing"; else nok "build --check touched nothing"; fi
rm -f "$OUT/lib/policies/zz-stray.json"
rmdir "$OUT/lib/empty"
truncate -s -1 "$OUT/other/policies/other-storage-tls.json"
pacc build --check -o "$T/never-made" "$CASES/v1/other.pacc"
if [ "$rc" -eq 1 ] && [ ! -e "$T/never-made" ] && grep -q "^added: $T/never-made/other/" "$T/out"; then ok "build --check into a missing DIR lists every file and creates nothing"; else nok "build --check into a missing DIR lists every file and creates nothing" "exit $rc"; fi
pacc build --check -o "$OUT" "$CASES/typo/lib.pacc"
if [ "$rc" -eq 1 ] && grep -q 'error\[E' "$T/err" && [ ! -s "$T/out" ]; then ok "build --check of a broken pack: its diagnostics, exit 1"; else nok "build --check of a broken pack: its diagnostics, exit 1" "exit $rc"; fi

# DIR/<pack> that is a symbolic link is refused; its target is not written.
mkdir -p "$T/linked" "$T/elsewhere"
ln -s "$T/elsewhere" "$T/linked/lib"
pacc build -o "$T/linked" "$CASES/v1/lib.pacc"
expect "symlinked pack directory: exit 2" 2
if grep -q 'symbolic link' "$T/err" && [ -z "$(ls -A "$T/elsewhere")" ] && [ -L "$T/linked/lib" ]; then ok "symlinked pack directory refused, target untouched"; else nok "symlinked pack directory refused, target untouched"; fi

pacc build --check -o "$T/linked" "$CASES/v1/lib.pacc"
if [ "$rc" -eq 2 ] && grep -q 'symbolic link' "$T/err"; then ok "build --check refuses a symlinked pack directory too"; else nok "build --check refuses a symlinked pack directory too" "exit $rc"; fi

# An output directory that cannot be created: exit 2.
: >"$T/a-file"
pacc build -o "$T/a-file/out" "$CASES/v1/lib.pacc"
expect "output directory under a file: exit 2" 2

# Determinism: other time zone, locale and argument order give the same bytes.
TZ=UTC LC_ALL=C pacc build -o "$T/det1" "$CASES/v1/lib.pacc" "$CASES/v1/other.pacc"
TZ=Asia/Kolkata LC_ALL=C.UTF-8 pacc build -o "$T/det2" "$CASES/v1/other.pacc" "$CASES/v1/lib.pacc"
if diff -r "$T/det1" "$T/det2" >/dev/null; then ok "output is identical across TZ, locale and file order"; else nok "output is identical across TZ, locale and file order" "$(diff -rq "$T/det1" "$T/det2" | head -5)"; fi

# ---- names that become paths or ids -----------------------------------------------------------

# ms.service names the guide: each of these is E0301 at the string (4:14), and nothing is written.
NAMES=$CASES/names/base.pacc
mkdir -p "$T/names"
i=0
for slug in 'a/b/c' '.hidden' 'con' '<script>x' 'x/../../..' 'new\nline' 'a:b' 'rtl\u202eoverride' 'zero\u200bwidth' 'bom\ufeff'; do
	i=$((i + 1))
	sed "4s|\"contoso-widgets\"|\"${slug//\\/\\\\}\"|" "$NAMES" >"$T/names/pk$i.pacc"
	pacc build -o "$T/names/out" "$T/names/pk$i.pacc"
	if [ "$rc" -eq 1 ] && grep -q "pk$i\.pacc:4:14: error\[E0301\]: ms.service name" "$T/err" && [ ! -e "$T/names/out" ]; then
		ok "ms.service \"$slug\" is E0301 at 4:14 and writes nothing"
	else
		nok "ms.service \"$slug\" is E0301 at 4:14 and writes nothing" "exit status $rc"
	fi
	if ! grep -q "internal error" "$T/err"; then ok "ms.service \"$slug\" is no internal error"; else nok "ms.service \"$slug\" is no internal error"; fi
done

# Ids that hide characters are E0332 where they are written.
sed '24s|recommendation DP-3|recommendation "DP\\u202e3"|' "$NAMES" >"$T/names/rid.pacc"
pacc check "$T/names/rid.pacc"
if [ "$rc" -eq 1 ] && grep -q 'rid\.pacc:24:18: error\[E0332\]: recommendation id contains U+202E' "$T/err"; then ok "a recommendation id with U+202E is E0332 at 24:18"; else nok "a recommendation id with U+202E is E0332 at 24:18" "exit status $rc"; fi
sed 's|effect audit|param "tag\\u200bName" String = "x"\n      effect audit|' "$NAMES" >"$T/names/pid.pacc"
pacc check "$T/names/pid.pacc"
if [ "$rc" -eq 1 ] && grep -q 'pid\.pacc:35:13: error\[E0332\]: parameter name contains U+200B' "$T/err"; then ok "a parameter name with U+200B is E0332 at 35:13"; else nok "a parameter name with U+200B is E0332 at 35:13" "exit status $rc"; fi

# Import refuses a name the build would refuse, at its place in the JSON (E0908).
printf '{\n  "name": "a/b",\n  "properties": {"displayName": "x", "mode": "All",\n    "policyRule": {"if": {"field": "type", "equals": "x"}, "then": {"effect": "audit"}}}\n}\n' >"$T/names/slash.json"
pacc import -o "$T/names/imp" "$T/names/slash.json"
if [ "$rc" -eq 1 ] && grep -q 'slash\.json:2:11: error\[E0908\]' "$T/err" && [ ! -e "$T/names/imp" ]; then ok "import of the policy name 'a/b' is E0908 at 2:11"; else nok "import of the policy name 'a/b' is E0908 at 2:11" "exit status $rc"; fi
printf '{\n  "name": "p",\n  "properties": {"displayName": "x", "mode": "All",\n    "parameters": {"e\\u202eff": {"type": "String"}},\n    "policyRule": {"if": {"field": "type", "equals": "x"}, "then": {"effect": "audit"}}}\n}\n' >"$T/names/bidi.json"
pacc import -o "$T/names/imp" "$T/names/bidi.json"
if [ "$rc" -eq 1 ] && grep -q 'bidi\.json:4:51: error\[E0908\]: parameter name contains U+202E' "$T/err"; then ok "import of a parameter name with U+202E is E0908 at 4:51"; else nok "import of a parameter name with U+202E is E0908 at 4:51" "exit status $rc"; fi

# ---- Azure's limits ----------------------------------------------------------------------------

# Each is an error at its place with the limit named, and nothing is written.
python3 - "$NAMES" "$T/names" <<'PY'
import sys
base = open(sys.argv[1]).read()
out = sys.argv[2]
i = base.index('    enforce {')
j = base.index('\n  }\n}\n')
enf = base[i:j]
blocks = [enf] + [enf.replace('    enforce {', '    enforce s%d {' % k, 1).replace('effect audit|deny|disabled = audit', 'effect audit') for k in range(1, 1001)]
open(out + '/refs.pacc', 'w').write(base[:i] + '\n'.join(blocks) + base[j:])
params = ''.join('      param p%d String = "x"\n' % k for k in range(401))
conds = ''.join('        value "[parameters(\'p%d\')]" equals "x"\n' % k for k in range(401))
typ = '        type == "Microsoft.Storage/storageAccounts"\n'
t = base.replace('      effect audit|deny|disabled = audit\n', '      effect audit|deny|disabled = audit\n' + params)
open(out + '/params.pacc', 'w').write(t.replace(typ, typ + conds))
vals = ',\n'.join('          "v%07d-abcdefghij"' % k for k in range(60000))
open(out + '/big.pacc', 'w').write(base.replace(typ, typ + '        field "location" in [\n' + vals + '\n        ]\n'))
PY
pacc build -o "$T/names/out" "$T/names/refs.pacc"
if [ "$rc" -eq 1 ] && grep -q 'refs\.pacc:[0-9]*:5: error\[E0334\]: .*more than 1000 policies' "$T/err" && [ ! -e "$T/names/out" ]; then ok "1,001 enforce blocks are E0334 (1,000 per initiative)"; else nok "1,001 enforce blocks are E0334 (1,000 per initiative)" "exit status $rc"; fi
pacc build -o "$T/names/out" "$T/names/params.pacc"
if [ "$rc" -eq 1 ] && grep -q "params\.pacc:435:13: error\[E0333\]: policy 'params-dp-3' declares more than 400 parameters" "$T/err" && [ ! -e "$T/names/out" ]; then ok "401 parameters are E0333 at the 401st"; else nok "401 parameters are E0333 at the 401st" "exit status $rc"; fi
pacc build -o "$T/names/out" "$T/names/big.pacc"
if [ "$rc" -eq 1 ] && grep -q "big\.pacc:31:5: error\[E0335\]: 'policies/big-dp-3.json' would be [0-9]* bytes" "$T/err" && [ ! -e "$T/names/out" ]; then ok "a definition over 1 MiB is E0335 at its enforce block"; else nok "a definition over 1 MiB is E0335 at its enforce block" "exit status $rc"; fi

# `pacc import` takes the options every command takes, parsed and rendered as for build.
mkdir -p "$T/imp/many"
printf '{\n  "name": ,\n}\n' >"$T/imp/broken.json"
for k in 1 2 3; do printf '{"name": %s' "$k" >"$T/imp/many/bad$k.json"; done
pacc import --diagnostics-format=json -o "$T/imp/out" "$T/imp/broken.json"
expect "import --diagnostics-format=json on broken JSON: exit 1" 1
if python3 -c 'import json,sys; d=json.load(sys.stdin); assert isinstance(d, list) and len(d)==1; r=d[0]; assert r["code"]=="E0901" and r["line"]==2 and r["column"]==11 and r["severity"]=="error"' <"$T/err" 2>/dev/null; then ok "import --diagnostics-format=json prints a JSON array with E0901 at 2:11"; else nok "import --diagnostics-format=json prints a JSON array with E0901 at 2:11"; fi
if [ ! -e "$T/imp/out" ] && [ ! -s "$T/out" ]; then ok "import with errors writes nothing"; else nok "import with errors writes nothing"; fi
pacc import -o "$T/imp/out" --diagnostics-format json "$T/imp/broken.json"
if [ "$rc" -eq 1 ] && head -c 1 "$T/err" | grep -q '\['; then ok "import: --diagnostics-format after -o, value as the next argument"; else nok "import: --diagnostics-format after -o, value as the next argument" "exit status $rc"; fi
pacc import --color=never -o "$T/imp/out" "$T/imp/broken.json"
expect "import --color=never on broken JSON: exit 1" 1
if grep -q 'broken.json:2:11: error\[E0901\]' "$T/err" && ! grep -q $'\033' "$T/err"; then ok "import --color=never prints no escapes"; else nok "import --color=never prints no escapes"; fi
pacc import --color=always -o "$T/imp/out" "$T/imp/broken.json"
if grep -q $'\033' "$T/err"; then ok "import --color=always colours the diagnostics"; else nok "import --color=always colours the diagnostics"; fi
NO_COLOR=1 pacc import --color=auto -o "$T/imp/out" "$T/imp/broken.json"
if [ "$rc" -eq 1 ] && ! grep -q $'\033' "$T/err"; then ok "import --color=auto with NO_COLOR prints no escapes"; else nok "import --color=auto with NO_COLOR prints no escapes"; fi
pacc import --max-errors=1 --diagnostics-format=json -o "$T/imp/out" "$T/imp/many"
if [ "$rc" -eq 1 ] && python3 -c 'import json,sys; d=json.load(sys.stdin); c=[r["code"] for r in d]; assert c==["E0901","E0003"], c' <"$T/err" 2>/dev/null; then ok "import --max-errors=1 stops after one error"; else nok "import --max-errors=1 stops after one error" "exit status $rc"; fi
pacc import --diagnostics-formt=json -o "$T/imp/out" "$T/imp/broken.json"
expect "import with an unknown option: exit 2" 2
if grep -q "unknown option '--diagnostics-formt=json'" "$T/err" && grep -q "did you mean '--diagnostics-format'" "$T/err"; then ok "import: unknown option suggests the closest"; else nok "import: unknown option suggests the closest"; fi
pacc import --color=sometimes "$T/imp/broken.json"
expect "import --color=sometimes: exit 2" 2
pacc import -o "$T/imp/out"
expect "import without inputs: exit 2" 2
pacc help import
if [ "$rc" -eq 0 ] && grep -q -- '--diagnostics-format' "$T/out" && grep -q -- '--output=DIR' "$T/out"; then ok "pacc help import lists its options and the common ones"; else nok "pacc help import lists its options and the common ones"; fi

# ---- hardening modules that would not deploy ----------------------------------------------
# A storage account module without sku/kind, and a user-assigned identity naming none:
# located errors at `pacc check`, before Bicep or Azure sees the module.
pacc check --diagnostics-format=json "$CASES/storage/storage.pacc"
expect "check of a storage module without sku/kind: exit 1" 1
if python3 -c 'import json,sys; d=json.load(sys.stdin); c=[(r["code"],r["line"],r["column"]) for r in d]; assert ("E0414",23,12) in c, c; m=[r["message"] for r in d if r["code"]=="E0414"][0]; assert "sku.name" in m and "kind" in m, m' <"$T/err" 2>/dev/null; then ok "a module without sku.name and kind is E0414 at the harden block"; else nok "a module without sku.name and kind is E0414 at the harden block"; fi
if python3 -c 'import json,sys; d=json.load(sys.stdin); c=[(r["code"],r["line"],r["column"]) for r in d]; assert ("E0416",25,32) in c, c' <"$T/err" 2>/dev/null; then ok "a user-assigned identity without userAssignedIdentities is E0416 at its type"; else nok "a user-assigned identity without userAssignedIdentities is E0416 at its type"; fi

pacc check --diagnostics-format=json "$CASES/storage/empty-categories.pacc"
if [ "$rc" -eq 1 ] && python3 -c 'import json,sys; d=json.load(sys.stdin); c=[(r["code"],r["line"],r["column"]) for r in d]; assert c==[("E0419",27,74)], c' <"$T/err" 2>/dev/null; then ok "'categories = []' is E0419, not every log"; else nok "'categories = []' is E0419, not every log" "exit status $rc"; fi
pacc build -o "$T/storage" "$CASES/../../golden/storage-remediation/storage-remediation.pacc"
if [ "$rc" -eq 0 ] && grep -q "'\${identityId}': {}" "$T/storage/storage-remediation/bicep/storage.bicep" &&
	! grep -q allLogs "$T/storage/storage-remediation/bicep/storage.bicep"; then ok "the fixed storage pack builds: user identity from an input, metrics only"; else nok "the fixed storage pack builds: user identity from an input, metrics only" "exit status $rc"; fi

# ---- eval, test ----------------------------------------------------------------------------
# shellcheck source=tests/cli/eval.sh
. "$(dirname "$0")/eval.sh"

# shellcheck source=tests/cli/aliases.sh
. "$(dirname "$0")/aliases.sh"

# ---- the project manifest and its environments ----------------------------------
# Runs on a fixed day (2026-12-01) so the exemptions' expiry is deterministic.
export SOURCE_DATE_EPOCH=1796083200
MF="$T/manifest"
mkdir -p "$MF"
cp "$CASES/manifest/contoso-vaults.pacc" "$CASES/manifest/bad.yaml" "$MF/"
cp "$CASES/../../golden/environments/pacc.yaml" "$MF/pacc.yaml"
(cd "$MF" && "${WRAP[@]}" "$PACC" build) >"$T/out" 2>"$T/err"
rc=$?
expect "build with ./pacc.yaml of two environments: exit 0" 0
bicep="$MF/generated/contoso-vaults/bicep"
if [ -f "$bicep/deploy-dev.bicep" ] && [ -f "$bicep/deploy-prod.bicep" ] && [ -f "$bicep/deploy-dev.bicepparam" ] &&
	[ -f "$bicep/deploy-prod.bicepparam" ] && [ -f "$bicep/modules/assignment-mg.bicep" ] && [ -f "$bicep/modules/exemption-rg.bicep" ]; then
	ok "each environment gets its Bicep, its .bicepparam and the modules"
else nok "each environment gets its Bicep, its .bicepparam and the modules" "$(ls -R "$bicep" | tr '\n' ' ')"; fi
if grep -q "param enforcementMode string = 'DoNotEnforce'" "$bicep/deploy-dev.bicep" &&
	grep -q "param enforcementMode string = 'Default'" "$bicep/deploy-prod.bicep"; then
	ok "dev deploys with DoNotEnforce (the default), prod with Default as its manifest says"
else nok "dev deploys with DoNotEnforce (the default), prod with Default as its manifest says"; fi
if grep -A1 "'ns-2-modify-effect'" "$bicep/deploy-prod.bicep" | grep -q "value: 'Disabled'"; then
	ok "the Modify twin stays Disabled where no environment turns it on"
else nok "the Modify twin stays Disabled where no environment turns it on"; fi
# Every line that differs between the two environments is one the manifest decides:
# names, enforcement, the NS-2 effect, not-scopes, the message, the exemption.
diff "$bicep/deploy-dev.bicep" "$bicep/deploy-prod.bicep" | grep '^[<>]' |
	grep -vE "(dev|prod)|enforcementMode string|value: '(Audit|Deny)'|notScopes|sandbox|^> +\]$|message: |Exemption of|module exemption|^> +(scope|name|params|policyAssignmentId|exemptionCategory|expiresOn|displayName|exemptionDescription|policyDefinitionReferenceIds|'ns-3'|metadata|owner|ticket|environment|\}|\]|$)" >"$T/extra"
if [ ! -s "$T/extra" ]; then ok "the two environments' Bicep differ only where the manifest says"; else nok "the two environments' Bicep differ only where the manifest says" "$(head -5 "$T/extra")"; fi
if [ -x "$CASES/../../../../shared/tools/check-bicep" ]; then
	if "$CASES/../../../../shared/tools/check-bicep" "$bicep" >"$T/cb" 2>&1; then ok "check-bicep passes both environments' Bicep"; else nok "check-bicep passes both environments' Bicep" "$(tail -3 "$T/cb")"; fi
else echo "skip check-bicep of the environments: ../shared/tools/check-bicep is not here"; fi
fingerprint "$MF/generated" >"$T/fp1"
(cd "$MF" && "${WRAP[@]}" "$PACC" build --manifest bad.yaml --color=never) >"$T/out" 2>"$T/err"
rc=$?
expect "build of a manifest with five mistakes: exit 1" 1
for want in 'bad.yaml:7:5: error\[E1006\]' 'bad.yaml:8:17: error\[E1018\]' 'bad.yaml:10:28: error\[E1013\]' 'bad.yaml:11:7: error\[E1012\]' 'bad.yaml:18:18: error\[E1016\]'; do
	if grep -q "$want" "$T/err"; then ok "the bad manifest reports ${want//\\/}"; else nok "the bad manifest reports ${want//\\/}"; fi
done
if grep -q "did you mean 'enforcement'" "$T/err" && grep -q "did you mean 'contoso-vaults-ns-3'\|did you mean 'contoso-vaults-ns-2'" "$T/err" && grep -q 'at most 24' "$T/err"; then
	ok "the bad manifest's errors suggest keys and policies and name the limit"
else nok "the bad manifest's errors suggest keys and policies and name the limit"; fi
fingerprint "$MF/generated" >"$T/fp2"
if cmp -s "$T/fp1" "$T/fp2" && [ ! -e "$MF/bad" ]; then ok "a manifest with errors writes nothing"; else nok "a manifest with errors writes nothing"; fi
(cd "$MF" && "${WRAP[@]}" "$PACC" build contoso-vaults.pacc --manifest pacc.yaml) >"$T/out" 2>"$T/err"
rc=$?
expect "build with both a manifest and pack files: exit 2" 2
(cd "$MF" && "${WRAP[@]}" "$PACC" pipeline github -o gh.yml && "${WRAP[@]}" "$PACC" pipeline azure-devops) >"$T/out" 2>"$T/err"
rc=$?
expect "pipeline github -o FILE and azure-devops to stdout: exit 0" 0
if grep -q 'pacc build --check' "$MF/gh.yml" && grep -q 'upload-sarif' "$MF/gh.yml" && grep -q 'id-token: write' "$MF/gh.yml" &&
	grep -q 'environment: prod' "$MF/gh.yml" && grep -q 'needs: deploy-dev' "$MF/gh.yml" && grep -q 'CodeAnalysisLogs' "$T/out" &&
	grep -q 'AzureCLI@2' "$T/out" && ! grep -qi 'secret' <(grep -v '^#' "$MF/gh.yml"); then
	ok "the pipelines check, upload SARIF, sign in with OIDC and deploy dev before prod"
else nok "the pipelines check, upload SARIF, sign in with OIDC and deploy dev before prod"; fi
(cd "$MF" && "${WRAP[@]}" "$PACC" pipeline gitlab) >"$T/out" 2>"$T/err"
rc=$?
expect "pipeline of an unknown kind: exit 2" 2
(cd "$MF" && "${WRAP[@]}" "$PACC" pipeline github --manifest bad.yaml -o bad-gh.yml) >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 1 ] && [ ! -e "$MF/bad-gh.yml" ]; then ok "pipeline of a manifest with errors: exit 1, nothing written"; else nok "pipeline of a manifest with errors: exit 1, nothing written" "exit status $rc"; fi
unset SOURCE_DATE_EPOCH
# `pacc import` of directory trees: links, limits, repository layouts.
# shellcheck source=tests/cli/import.sh
. "$(dirname "$0")/import.sh"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
