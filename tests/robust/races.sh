#!/usr/bin/env bash
# Leftovers and races, through the CLI:
#  - a build removes the staging trees of its pack that a killed build left
#    (".<pack>.tmp.<pid>.<n>" whose pid is gone), and nothing else: not a live
#    process's tree, not another pack's, not a name outside the pattern;
#  - a build that is SIGKILLed mid-way leaves at most its staging tree, which
#    the next build removes;
#  - two first builds of one new pack, run at the same time, both succeed when
#    they write the same tree; when they write different trees each exits 0
#    or 2 ("appeared while this build ran"), and the pack directory is one of
#    the two trees, never a mix; no temporary files remain.
# usage: races.sh PACC [ROUNDS]
set -u
pacc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
rounds=${2:-8}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pacc-races.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "races: FAIL $*" >&2; fail=$((fail + 1)); }
leftovers() { find "$1" -mindepth 1 -maxdepth 1 -name '.*'; }
tree() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum); }

v1=$root/tests/cli/cases/v1/lib.pacc
v2=$root/tests/cli/cases/v2/lib.pacc
"$pacc" build -o "$work/ref1" "$v1" >/dev/null 2>&1 || bad "reference build of v1"
"$pacc" build -o "$work/ref2" "$v2" >/dev/null 2>&1 || bad "reference build of v2"
ref1=$(tree "$work/ref1/lib")
ref2=$(tree "$work/ref2/lib")
[ "$ref1" != "$ref2" ] || bad "v1 and v2 build the same tree"

# ---- stale staging trees --------------------------------------------------------
# A pid that is certainly gone: a child that has exited and been reaped.
sh -c 'exit 0' &
dead=$!
wait "$dead"
out=$work/stale
"$pacc" build -o "$out" "$v1" >/dev/null 2>&1
mkdir -p "$out/.lib.tmp.$dead.0/policies" "$out/.lib.swap.$dead.7" "$out/.lib.tmp.$$.0" \
	"$out/.other.tmp.$dead.0" "$out/.lib.tmp.$dead.x" "$out/.lib.tmp.$dead"
head -c 100000 /dev/zero >"$out/.lib.tmp.$dead.0/policies/big.json"
"$pacc" build -o "$out" "$v1" >/dev/null 2>"$work/err"
rc=$?
[ $rc -eq 0 ] || bad "build beside stale trees: exit $rc"
if [ ! -e "$out/.lib.tmp.$dead.0" ] && [ ! -e "$out/.lib.swap.$dead.7" ]; then ok; else bad "the dead build's staging trees are still there"; fi
if [ -d "$out/.lib.tmp.$$.0" ]; then ok; else bad "a live process's staging tree was removed"; fi
if [ -d "$out/.other.tmp.$dead.0" ]; then ok; else bad "another pack's staging tree was removed"; fi
if [ -d "$out/.lib.tmp.$dead.x" ] && [ -d "$out/.lib.tmp.$dead" ]; then ok; else bad "a name outside the pattern was removed"; fi
if [ "$(tree "$out/lib")" = "$ref1" ]; then ok; else bad "the pack beside stale trees is wrong"; fi

# ---- a build killed while it writes ---------------------------------------------
# Many packs make the write long enough to be killed in the middle of it.
big=$work/big
mkdir -p "$big/src"
for k in $(seq 1 40); do cp "$v1" "$big/src/p$k.pacc"; done
killed=0
for k in 1 2 3 4 5; do
	rm -rf "$big/out"
	"$pacc" build -o "$big/out" "$big/src"/*.pacc >/dev/null 2>&1 &
	victim=$!
	sleep "0.0$k"
	kill -KILL "$victim" 2>/dev/null && killed=$((killed + 1))
	wait "$victim" 2>/dev/null
	"$pacc" build -o "$big/out" "$big/src"/*.pacc >/dev/null 2>"$work/err"
	rc=$?
	if [ $rc -ne 0 ]; then bad "build after a SIGKILL: exit $rc"; head -3 "$work/err" >&2; fi
	if [ -n "$(leftovers "$big/out")" ]; then bad "a SIGKILLed build's leftovers survived the next build: $(leftovers "$big/out" | head -3)"; fi
done
echo "races: $killed of 5 builds killed mid-way"

# ---- two first builds of one pack at once ---------------------------------------
# two_builds DIR PACK-A PACK-B: both at once; exits in ra and rb, stderr in e1, e2.
two_builds() {
	"$pacc" build -o "$1" "$2" >/dev/null 2>"$work/e1" &
	local a=$!
	"$pacc" build -o "$1" "$3" >/dev/null 2>"$work/e2" &
	local b=$!
	wait "$a"
	ra=$?
	wait "$b"
	rb=$?
}
same_ok=0 diff_lost=0
for r in $(seq 1 "$rounds"); do
	out=$work/same$r
	two_builds "$out" "$v1" "$v1"
	if [ $ra -eq 0 ] && [ $rb -eq 0 ]; then same_ok=$((same_ok + 1)); else bad "round $r, same pack: exits $ra and $rb"; cat "$work/e1" "$work/e2" >&2; fi
	[ "$(tree "$out/lib")" = "$ref1" ] || bad "round $r, same pack: wrong tree"
	[ -z "$(leftovers "$out")" ] || bad "round $r, same pack: left $(leftovers "$out" | head -3)"

	out=$work/diff$r
	two_builds "$out" "$v1" "$v2"
	for pair in "$ra:$work/e1" "$rb:$work/e2"; do
		rc=${pair%%:*} err=${pair#*:}
		if [ "$rc" -eq 2 ]; then
			diff_lost=$((diff_lost + 1))
			grep -q 'appeared while this build ran' "$err" || { bad "round $r: a lost race without the clear message"; cat "$err" >&2; }
		elif [ "$rc" -ne 0 ]; then
			bad "round $r, different packs: exit $rc"
		fi
	done
	got=$(tree "$out/lib")
	[ "$got" = "$ref1" ] || [ "$got" = "$ref2" ] || bad "round $r, different packs: a mixed tree"
	[ -z "$(leftovers "$out")" ] || bad "round $r, different packs: left $(leftovers "$out" | head -3)"
done
echo "races: $same_ok of $rounds concurrent same-pack builds both succeeded; $diff_lost lost races of different packs reported"
echo "races: $pass passed, $fail failed"
[ $fail -eq 0 ]
