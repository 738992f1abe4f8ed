#!/bin/sh
# Usage: bench/live/run.sh NAME [flags for bench/live]   (from the repository root)
# Runs the live-session load generator and records, next to its output,
# what else was running on the machine at the start and end (noise).
set -e
name=$1; shift
out=bench/live/results
mkdir -p $out
{ echo "== before: $(date -u)"; uptime; ps -eo pid,pcpu,etime,args --sort=-pcpu | head -8 | cut -c1-200; } > $out/$name.noise.txt
go run ./bench/live -json $out/$name.json "$@" > $out/$name.txt 2>&1 || echo "exit $?" >> $out/$name.txt
{ echo "== after: $(date -u)"; uptime; ps -eo pid,pcpu,etime,args --sort=-pcpu | head -8 | cut -c1-200; } >> $out/$name.noise.txt
grep -v '^time=' $out/$name.txt
