#!/usr/bin/env bash
# Builds charond and swanctl, starts charond on a socket in ./run (no root
# needed), loads examples/swanctl.conf and lists what the daemon now holds.
# The daemon keeps running; the last line says how to stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

go build -o bin/charond ./charond
go build -o bin/swanctl ./swanctl

mkdir -p run
uri="unix://$top/run/charon.vici"
if [ -f run/charond.pid ] && kill -0 "$(cat run/charond.pid)" 2>/dev/null; then
	echo "stopping the previous demo charond (pid $(cat run/charond.pid))"
	kill "$(cat run/charond.pid)"
	while kill -0 "$(cat run/charond.pid)" 2>/dev/null; do sleep 0.1; done
fi
bin/charond --config examples/strongswan.conf --uri "$uri" >run/charond.log 2>&1 </dev/null &
echo $! >run/charond.pid
for _ in $(seq 50); do
	[ -S run/charon.vici ] && break
	sleep 0.1
done
[ -S run/charon.vici ] || { cat run/charond.log; echo "charond did not start" >&2; exit 1; }
echo "charond is running (pid $(cat run/charond.pid)), socket $uri, log run/charond.log"

run() { echo "\$ swanctl $*"; bin/swanctl "$@" --uri "$uri"; }
echo "(the example has no certificates or keys: swanctl notes each missing"
echo " credential folder on stderr, as strongSwan's swanctl does)"
run --load-all --file examples/swanctl.conf
run --list-pools --leases
run --list-conns
echo
echo "charond keeps running; stop it with: kill \$(cat $top/run/charond.pid)"
