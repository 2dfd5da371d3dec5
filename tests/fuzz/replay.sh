#!/usr/bin/env bash
# Replays every saved fuzz finding and every hostile input under tests/ through
# the CLI: each must end with exit status 0 or 1 (never a crash, a sanitizer
# report or a hang) within 10 seconds.  Usage: replay.sh PACC
set -u
pacc=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
pass=0 fail=0
shopt -s nullglob
for f in "$root"/tests/fuzz/regressions/fuzz_pack/* "$root"/tests/hostile/*.pacc; do
	for cmd in check fmt; do
		timeout 10 ${PACC_WRAP:-} "$pacc" $cmd - <"$f" >/dev/null 2>&1
		rc=$?
		if [ $rc -eq 0 ] || [ $rc -eq 1 ]; then pass=$((pass + 1)); else
			echo "replay: $cmd $f: exit status $rc" >&2; fail=$((fail + 1)); fi
	done
done
# An alias table, as a lock file beside a pack or given with --aliases.
for f in "$root"/tests/fuzz/regressions/fuzz_aliases/*; do
	timeout 10 ${PACC_WRAP:-} "$pacc" check --aliases "$f" "$root/tests/cli/cases/aliases/typo.pacc" >/dev/null 2>&1
	rc=$?
	if [ $rc -eq 0 ] || [ $rc -eq 1 ]; then pass=$((pass + 1)); else
		echo "replay: $f: exit status $rc" >&2; fail=$((fail + 1)); fi
done
# Manifests: the reader and the environments, through `pacc pipeline` (which
# reads the manifest and its packs and writes to standard output).
for f in "$root"/tests/fuzz/regressions/fuzz_manifest/* "$root"/tests/hostile/*.yaml; do
	timeout 10 ${PACC_WRAP:-} "$pacc" pipeline github --manifest "$f" >/dev/null 2>&1
	rc=$?
	if [ $rc -eq 0 ] || [ $rc -eq 1 ]; then pass=$((pass + 1)); else
		echo "replay: $f: exit status $rc" >&2; fail=$((fail + 1)); fi
done
# An import that succeeds must write a pack that pacc can read back: no
# lexical or syntax error (E00xx, E01xx) when checking it, and exit 0 or 1
# (the round trip the fuzz_import harness checks in process).
json_inputs=("$root"/tests/fuzz/regressions/fuzz_import/* "$root"/tests/hostile/*.json)
if ! "$pacc" import --help >/dev/null 2>&1; then
	echo "replay: skipping ${#json_inputs[@]} JSON inputs: this pacc has no 'import' command"
	json_inputs=()
fi
for f in "${json_inputs[@]}"; do
	out=$(mktemp -d)
	timeout 10 ${PACC_WRAP:-} "$pacc" import -o "$out" "$f" >/dev/null 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		for p in "$out"/*.pacc; do
			timeout 10 ${PACC_WRAP:-} "$pacc" check "$p" >/dev/null 2>"$out/err"
			prc=$?
			if { [ $prc -ne 0 ] && [ $prc -ne 1 ]; } || grep -Eq 'error\[E0[01][0-9]{2}\]' "$out/err"; then
				echo "replay: $f: the imported pack does not check:" >&2
				head -5 "$out/err" >&2
				rc=3
			fi
		done
	fi
	rm -rf "$out"
	if [ $rc -eq 0 ] || [ $rc -eq 1 ]; then pass=$((pass + 1)); else
		echo "replay: $f: exit status $rc" >&2; fail=$((fail + 1)); fi
done
# Saved evaluator findings: the definition part through `pacc eval` against the resource part.
for f in "$root"/tests/fuzz/regressions/fuzz_eval/*; do
	dir=$(mktemp -d)
	python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); p=d.split(b"\0",1); open(sys.argv[2]+"/def.json","wb").write(p[0]); open(sys.argv[2]+"/res.json","wb").write(p[1] if len(p)>1 else b"{}")' "$f" "$dir"
	timeout 10 ${PACC_WRAP:-} "$pacc" eval -d "$dir/def.json" -r "$dir/res.json" >/dev/null 2>&1
	rc=$?
	rm -rf "$dir"
	if [ $rc -le 2 ]; then pass=$((pass + 1)); else
		echo "replay: $f: exit status $rc" >&2; fail=$((fail + 1)); fi
done
echo "replay: $pass passed, $fail failed"
[ $fail -eq 0 ]
