#!/usr/bin/env bash
# Builds charond and swanctl, starts charond on a socket in ./run (no root
# needed), loads examples/swanctl.conf and lists what the daemon now holds.
# The daemon keeps running; the last line says how to stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

echo "building bin/charond and bin/swanctl (the first build fetches modules)"
go build -o bin/charond ./charond
go build -o bin/swanctl ./swanctl

mkdir -p run
uri="unix://$top/run/charon.vici"
pidfile=run/charond.pid

# ours reports whether pid is a charond started by this script, so a stale
# pid file never makes us signal somebody else's process.
ours() {
	[ -r "/proc/$1/cmdline" ] &&
		tr '\0' ' ' <"/proc/$1/cmdline" | grep -q "^$top/bin/charond .*--uri $uri"
}
if [ -f $pidfile ]; then
	old=$(cat $pidfile)
	if ours "$old"; then
		echo "stopping the previous demo charond (pid $old)"
		kill "$old"
		while kill -0 "$old" 2>/dev/null; do sleep 0.1; done
	fi
	rm -f $pidfile
fi

"$top/bin/charond" --config examples/strongswan.conf --uri "$uri" >run/charond.log 2>&1 </dev/null &
pid=$!
for _ in $(seq 50); do
	[ -S run/charon.vici ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
if ! kill -0 $pid 2>/dev/null || [ ! -S run/charon.vici ]; then
	cat run/charond.log >&2
	echo "charond did not start (log: run/charond.log)" >&2
	exit 1
fi
echo $pid >$pidfile
echo "charond is running (pid $pid), socket $uri, log run/charond.log"

run() { echo "\$ bin/swanctl $*"; bin/swanctl "$@" --uri "$uri"; }
echo "(the example has no certificates or keys: swanctl notes each missing"
echo " credential folder on stderr, as strongSwan's swanctl does)"
run --load-all --file examples/swanctl.conf
run --list-pools --leases
run --list-conns
echo
echo "charond keeps running; stop it with: kill \$(cat $top/$pidfile)"
