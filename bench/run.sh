#!/usr/bin/env bash
# Side-by-side benchmark of charond and our swanctl against Debian's
# strongSwan 5.9.8 charon and swanctl. Run as root from anywhere in the
# repository:  bench/run.sh [bench flags, e.g. -rounds 3]
# It installs Debian's strongSwan if missing, builds the binaries, and runs
# the bench driver (bench/*.go) inside a network namespace of its own, where
# the driver starts both daemons; it prints a markdown table of medians.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

if [ "$(id -u)" != 0 ]; then
	echo "bench/run.sh needs root (network namespace, charon)" >&2
	exit 1
fi
if ! command -v swanctl >/dev/null || [ ! -x /usr/lib/ipsec/charon ] ||
	! dpkg -s libstrongswan-standard-plugins >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq strongswan-charon strongswan-swanctl \
		libcharon-extra-plugins \
		libstrongswan-standard-plugins >/dev/null
	# Debian starts a charon of its own on install; the benchmark runs its
	# own in the namespace, so stop the host's if we just started it.
	systemctl disable --now strongswan-starter strongswan 2>/dev/null || true
fi

run=${BENCH_RUN:-/tmp/charond-bench}
ns=charond-bench-$$
mkdir -p "$run" bin
go build -o bin/charond ./charond
go build -o bin/swanctl ./swanctl
go build -o "$run/bench" ./bench

ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip -n "$ns" link set lo up
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
	"$(go version | cut -d' ' -f3-), load:$(uptime | sed 's/.*load average://')"
echo "charon $(dpkg-query -W -f '${Version}' strongswan-charon), charond $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo "(not a git checkout)")"
ip netns exec "$ns" "$run/bench" -run "$run" -charond bin/charond -swanctl bin/swanctl "$@"
echo "load at the end:$(uptime | sed 's/.*load average://')"
