#!/usr/bin/env bash
# Runs every check and test of the project: formatting, vet, staticcheck,
# the unit and end-to-end tests with the race detector, and a short run of
# each fuzz target. On a fresh Debian machine (as root) it first installs
# what the interop tests compare against: Debian's strongSwan.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=(strongswan-charon strongswan-swanctl libcharon-extra-plugins
	libstrongswan-standard-plugins)
missing=()
for p in "${need_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing Debian packages: ${missing[*]}; run as root or install them" >&2
		exit 1
	fi
	echo "== installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "not gofmt-clean: $unformatted" >&2
	exit 1
fi

echo "== go vet"
go vet ./...

echo "== staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

echo "== go test -race"
go test -race -count=1 ./...

echo "== load tool, briefly: 200 clients against a race-free build"
go build -o bin/charond ./charond
go run ./viciload --spawn bin/charond --clients 200 --duration 15s

echo "== fuzz targets, briefly"
fuzztime=${FUZZTIME:-10s}
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
	pkg=./$(dirname "${f#./}")
	for target in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | cut -d' ' -f2); do
		echo "-- $pkg $target"
		out=$(mktemp)
		if ! go test -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" "$pkg" >"$out" 2>&1; then
			cat "$out"
			rm -f "$out"
			exit 1
		fi
		tail -1 "$out"
		rm -f "$out"
	done
done
