#!/usr/bin/env bash
# make fuzz FUZZ_SECONDS=N — builds each libFuzzer harness in tests/fuzz/ with
# clang -fsanitize=fuzzer,address,undefined and runs it for N seconds on a seed
# corpus made at run time from policies/, tests/ and (when present) a sample of
# ../shared/corpus.  A finding is copied to tests/fuzz/regressions/<harness>/ and
# fails the run; the regression inputs are replayed by the unit tests' harness
# replay (tests/fuzz/replay.sh) on every `make test`.
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
build=build-fuzz
mkdir -p "$build"
command -v clang >/dev/null || { echo "fuzz: clang is required (apt-get install clang)" >&2; exit 2; }
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DPACC_ARENA_MALLOC -Iinclude -I$build"
# The library under the fuzzer's instrumentation (not the harness main).
make -s BUILD="$build" CC=clang OPT="-g -O1" \
	SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
	CPPFLAGS="-Iinclude -I$build -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DPACC_ARENA_MALLOC" \
	"$build/libpacc.a" >/dev/null
extra=""
[ -f include/pacc/gen_bicep.h ] && extra="$extra -DPACC_HAVE_BICEP"
libs=$(pkg-config --libs yaml-0.1 libcjson uuid)
cflags=$(pkg-config --cflags yaml-0.1 libcjson uuid)
status=0
# copy_seeds DIR FILE...: each file under a name made from its path, so two
# seeds called lib.pacc do not overwrite each other.
copy_seeds() {
	local dir=$1 f
	shift
	for f in "$@"; do cp "$f" "$dir/$(printf '%s' "$f" | md5sum | cut -c1-12)-$(basename "$f")"; done
}
total=0
for harness in tests/fuzz/fuzz_*.c; do
	name=$(basename "$harness" .c)
	bin="$build/$name"
	# FUZZ_ONLY=fuzz_aliases (a glob) runs just the harnesses it matches.
	# shellcheck disable=SC2053
	[[ -z "${FUZZ_ONLY:-}" || "$name" == $FUZZ_ONLY ]] || continue
	if [[ "$name" == fuzz_import* ]] && [ ! -f include/pacc/import.h ]; then
		echo "fuzz: skipping $name: this tree has no importer (include/pacc/import.h)"
		continue
	fi
	# shellcheck disable=SC2086
	clang $flags $cflags $extra "$harness" "$build/libpacc.a" $libs -o "$bin"
	seeds=$(mktemp -d)
	case "$name" in
	fuzz_pack)
		mapfile -t files < <(find policies tests -name '*.pacc' -size -64k 2>/dev/null | sort)
		copy_seeds "$seeds" "${files[@]}" tests/fuzz/regressions/fuzz_pack/* 2>/dev/null || true ;;
	fuzz_manifest)
		mapfile -t files < <(find . -maxdepth 1 -name 'pacc.yaml'; find tests -name '*.yaml' -size -64k 2>/dev/null | sort)
		copy_seeds "$seeds" "${files[@]}" tests/fuzz/regressions/fuzz_manifest/* 2>/dev/null || true ;;
	fuzz_import)
		mapfile -t files < <(find tests -name '*.json' -size -64k 2>/dev/null | sort)
		copy_seeds "$seeds" "${files[@]}" tests/fuzz/regressions/fuzz_import/* 2>/dev/null || true
		if [ -d ../shared/corpus/azure-policy ]; then
			find ../shared/corpus/azure-policy -name '*.json' -size -16k | sort | awk 'NR % 40 == 1' |
				while read -r f; do cp "$f" "$seeds/$(echo "$f" | md5sum | cut -c1-12).json"; done
		fi ;;
	fuzz_aliases)
		mapfile -t files < <(find tests/cli/cases/aliases -name '*.json' -o -name '*.csv' | sort)
		copy_seeds "$seeds" "${files[@]}" tests/fuzz/regressions/fuzz_aliases/* 2>/dev/null || true
		head -c 60000 policies/aliases.lock.json >"$seeds/lock-head.json" 2>/dev/null || true
		if [ -f ../shared/corpus/aliases/aliases.csv ]; then
			awk 'NR % 200 == 1' ../shared/corpus/aliases/aliases.csv >"$seeds/sample.csv"
		fi ;;
	fuzz_import_tree)
		# programs that build trees: loops, links out, nested valid definitions
		printf '\003\004\014\005\015\006' >"$seeds/links"
		printf '\000\003\000\003\004\001\007\001\002{}' >"$seeds/nested"
		copy_seeds "$seeds" tests/fuzz/regressions/fuzz_import_tree/* 2>/dev/null || true ;;
	fuzz_eval)
		mapfile -t files < <(find tests/cli/cases/eval policies/tests -name '*.json' -size -64k 2>/dev/null | sort)
		copy_seeds "$seeds" "${files[@]}" tests/fuzz/regressions/fuzz_eval/* 2>/dev/null || true
		if [ -d ../shared/corpus/azure-policy ]; then
			find ../shared/corpus/azure-policy/policyDefinitions -name '*.json' -size -16k | sort | awk 'NR % 40 == 7' |
				while read -r f; do cp "$f" "$seeds/$(echo "$f" | md5sum | cut -c1-12).json"; done
		fi ;;
	esac
	out=$(mktemp -d)
	echo "fuzz: $name for ${seconds}s ($(ls "$seeds" | wc -l) seeds)"
	dict=()
	[ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
	if ! "$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		"${dict[@]}" -artifact_prefix="$out/" -print_final_stats=1 "$seeds" >"$out/log" 2>&1; then
		mkdir -p "tests/fuzz/regressions/$name"
		cp "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* "tests/fuzz/regressions/$name/" 2>/dev/null || true
		tail -50 "$out/log"
		echo "fuzz: $name FOUND A PROBLEM; inputs saved under tests/fuzz/regressions/$name/" >&2
		status=1
	else
		grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$out/log" | sed "s/^/fuzz: $name /"
	fi
	rm -rf "$seeds" "$out"
	total=$((total + seconds))
done
echo "fuzz: ${total}s of fuzzing in all"
exit $status
