#!/usr/bin/env bash
# Installs the Debian packages pacc builds with, when any is missing.
# Root: apt-get directly; sudo without a password: sudo apt-get; otherwise print the
# one command to run and fail.
set -u
missing=()
for pkg in "$@"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "pacc: installing build packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" && exit 0
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" && exit 0
fi
echo "pacc: missing build packages; run:" >&2
echo "  sudo apt-get install -y ${missing[*]}" >&2
exit 1
