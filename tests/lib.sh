# Shared by the shell test scripts: ok NAME / nok NAME [DETAIL...] count and
# print results; the caller ends with `finish`.
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
}
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
