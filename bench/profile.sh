#!/usr/bin/env bash
# CPU profiles of charond (bench/profd) and of our swanctl (bench/profctl)
# on the side-by-side workloads. Run as root: bench/profile.sh
# Profiles go to $BENCH_RUN/prof (default /tmp/charond-bench/prof); read
# them with: go tool pprof -top $BENCH_RUN/prof/profd $BENCH_RUN/prof/<file>
set -euo pipefail
cd "$(dirname "$0")/.."

run=${BENCH_RUN:-/tmp/charond-bench}
out=$run/prof
ns=charond-prof-$$
sock=$out/profd.vici
mkdir -p "$out"
go build -o "$out/profd" ./bench/profd
go build -o "$out/profctl" ./bench/profctl
go build -o "$out/bench" ./bench
go build -o bin/swanctl ./swanctl
# the configurations of the benchmark, written by a one-round-free run
"$out/bench" -run "$run" -rounds 0 >/dev/null

ip netns add "$ns"
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip -n "$ns" link set lo up

# start_profd FILE: a fresh charond writing its CPU profile to FILE
start_profd() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid"
		wait "$pid" || true
	fi
	PROFD_CPU=$out/$1 PROFD_HEAP=$out/${1%.cpu}.heap ip netns exec "$ns" \
		"$out/profd" --config "$run/charond.conf" --uri "unix://$sock" \
		2>"$out/profd.log" &
	pid=$!
	for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
}
swanctl() { "$out/profctl" "$@" --uri "unix://$sock" >/dev/null; }

start_profd load.cpu
for i in 1 2 3; do
	PROFCTL_CPU=$out/swanctl-load-cold$i.cpu swanctl --load-all --file "$run/conf10000/swanctl.conf"
	PROFCTL_CPU=$out/swanctl-load-again$i.cpu swanctl --load-all --file "$run/conf10000/swanctl.conf"
	swanctl --load-all --file "$run/empty/swanctl.conf"
done
start_profd list.cpu
swanctl --load-all --file "$run/conf10000/swanctl.conf"
for i in 1 2 3; do
	PROFCTL_CPU=$out/swanctl-list$i.cpu swanctl --list-conns
done
start_profd govici.cpu
swanctl --load-all --file "$run/conf1000/swanctl.conf"
for w in pools pools-leases version-1 version-16; do
	"$out/bench" -sock "$sock" -do "$w" -run "$run"
done
cleanup
pid=
echo "profiles in $out"
