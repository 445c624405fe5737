#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# Real tools in a container as a runtime makes it (in_runtime: own pid and
# mount namespaces, the mount's files bind-mounted over /proc/... and
# /sys/devices/system/cpu) on ONE CPU of the host with 256 MiB, so that a
# file passed through from the host cannot look right.  Tools that keep a
# file open and read it again (top, vmstat, free -s, mpstat, sar) also test
# the re-read (doc/FILES.md, "Re-reads").  Also in the cgroup v2 VM lane.

# shellcheck disable=SC2154 # top_builddir, MNT, LOG... come from the helpers
load ../lib/helpers

bats_require_minimum_version 1.5.0

setup_file() {
	file_start_lxcfs -l
}

teardown_file() {
	file_stop_lxcfs
}

teardown() {
	test_cg_remove
}

PROBE=$top_builddir/tests/probe/fsprobe

# this test's container cgroup: CPU 0 of the two, 256 MiB
runtime_cg() {
	test_cg
	cg_set "$C" memory 268435456
	cg_set "$C" cpus 0
}

# a 50 % quota for the busy-loop tests
half_quota() { cg_set "$C" quota 50000 100000; }

# The busy loop in stat, top -bn2, vmstat 1 2, loadavg and a re-read of
# uptime: tests/bats/acceptance.bats (issue 12's checks on one setup)

# ---- procps ----

@test "free -k: total 262144, used + free + buff/cache = total, no error" {
	runtime_cg
	run --separate-stderr in_runtime "$C" free -k
	echo "$output"
	ran_ok
	read -r total used free shared cache avail < <(echo "$output" | awk '$1 == "Mem:" {print $2, $3, $4, $5, $6, $7}')
	[ "$total" -eq 262144 ]
	[ $((used + free + cache)) -eq 262144 ]
	[ "$avail" -ge "$free" ]
	[ "$avail" -le 262144 ]
	[ "$shared" -le "$cache" ]
	echo "$output" | grep -q '^Swap:'
}

@test "free -s 1 -c 2: two reports of the container, no error" {
	runtime_cg
	run --separate-stderr in_runtime "$C" free -k -s 1 -c 2
	echo "$output"
	ran_ok
	[ "$(echo "$output" | awk '$1 == "Mem:" {print $2}' | tr '\n' ' ')" = "262144 262144 " ]
	[ "$(echo "$output" | grep -c '^Swap:')" -eq 2 ]
	no_line '^[^ MS]' "$output"
}

@test "free: buff/cache follows 64 MiB written by the container" {
	runtime_cg
	f=$BATS_TEST_TMPDIR/written
	run --separate-stderr in_runtime "$C" bash -c "free -k; dd if=/dev/zero of='$f' bs=1M count=64 conv=fsync status=none; free -k"
	echo "$output"
	ran_ok
	before=$(echo "$output" | awk '$1 == "Mem:" {print $6}' | sed -n 1p)
	after=$(echo "$output" | awk '$1 == "Mem:" {print $6}' | sed -n 2p)
	[ "$(echo "$output" | awk '$1 == "Mem:" {print $2}' | sort -u)" = 262144 ]
	[ $((after - before)) -ge 65536 ]
	[ "$after" -le 262144 ]
}

@test "uptime: the container's (up 0 min: the init is seconds old)" {
	runtime_cg
	h0=$(cut -d' ' -f1 /proc/uptime)
	run --separate-stderr in_runtime "$C" bash -c 'uptime; cat /proc/uptime'
	h1=$(cut -d' ' -f1 /proc/uptime)
	echo "$output"
	ran_ok
	echo "$output" | sed -n 1p | grep -q ' up 0 min, '
	# no older than the time the container ran, by the host's boot clock
	between "$(echo "$output" | sed -n 2p | cut -d' ' -f1)" 0 "$(awk -v a="$h0" -v b="$h1" 'BEGIN { print b - a + 0.01 }')"
}

@test "ps works, sees only the container, and %MEM is of 256 MiB" {
	runtime_cg
	run --separate-stderr in_runtime "$C" ps -e -o pid=,rss=,pmem=,comm=
	echo "$output"
	ran_ok
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	read -r pid rss pmem comm <<< "$output"
	[ "$pid" = 1 ]
	[ "$comm" = ps ]
	# procps: rss * 1000 / MemTotal, shown as tenths
	[ "$pmem" = "$(awk -v r="$rss" 'BEGIN { p = int(r * 1000 / 262144); printf "%d.%d", p / 10, p % 10 }')" ]
	run --separate-stderr in_runtime "$C" ps aux
	ran_ok
}

@test "nproc, nproc --all, both getconf values, os.cpu_count() and the affinity say 1 CPU" {
	runtime_cg
	# fsprobe cpucount: Python's os.cpu_count() and sched_getaffinity(0)
	run --separate-stderr in_runtime "$C" bash -c "nproc; nproc --all; getconf _NPROCESSORS_ONLN; getconf _NPROCESSORS_CONF
		'$PROBE' cpucount"
	echo "$output"
	ran_ok
	[ "$output" = "$(printf '1\n1\n1\n1\n1 [0]')" ]
	# python3 itself on this host only: the VM lane's payload has no python3
	# (its standard library would double the initramfs); the probe above
	# makes the same two calls there
	if [ -z "${VMTEST:-}" ]; then
		run --separate-stderr in_runtime "$C" python3 -c "import os; print(os.cpu_count(), sorted(os.sched_getaffinity(0)))"
		ran_ok
		[ "$output" = "1 [0]" ]
	fi
}

@test "vmstat 1 2 runs without a parse error; its second line is not the first repeated" {
	runtime_cg
	half_quota
	run --separate-stderr busy_runtime "$C" vmstat 1 2
	echo "$output"
	ran_ok
	[ "$(echo "$output" | wc -l)" -eq 4 ]
	echo "$output" | sed -n 2p | grep -Eq '^ *r +b +swpd +free +buff +cache +si +so +bi +bo +in +cs +us +sy +id +wa +st$'
	first=$(echo "$output" | sed -n 3p)
	second=$(echo "$output" | sed -n 4p)
	echo "$first" | grep -Eq '^ *[0-9]+( +[0-9]+){16}$'
	echo "$second" | grep -Eq '^ *[0-9]+( +[0-9]+){16}$'
	[ "$first" != "$second" ]
	# a re-read of a stale rendering shows no change: "id 100" under the
	# busy loop (on the host's stat, passed through, it is about 75)
	[ "$(echo "$second" | awk '{print $15}')" -le 90 ]
	# the container has no more memory than its limit
	[ "$(echo "$second" | awk '{print $4 + $5 + $6}')" -le 262144 ]
}

@test "top -1 -bn2: one CPU, %Cpu0, at about 50% in the second frame" {
	runtime_cg
	half_quota
	run --separate-stderr busy_runtime "$C" top -1 -bn2 -d1
	echo "$output"
	ran_ok
	[ "$(echo "$output" | grep -E '^%Cpu' | cut -d: -f1 | tr -d ' ' | tr '\n' ' ')" = "%Cpu0 %Cpu0 " ]
	cpu=$(echo "$output" | grep '^%Cpu0' | sed -n 2p | sed 's/^%Cpu0 *://' | tr ',' ' ')
	between "$(echo "$cpu" | awk '{print $1 + $3}')" 30 70
}

# ---- sysstat ----

@test "mpstat -P ALL: 1 CPU (all and 0), about 50% under the busy loop" {
	runtime_cg
	half_quota
	run --separate-stderr busy_runtime "$C" mpstat -P ALL 1 1
	echo "$output"
	ran_ok
	echo "$output" | sed -n 1p | grep -q '(1 CPU)$'
	avg=$(echo "$output" | grep '^Average:' | grep -v CPU)
	[ "$(echo "$avg" | awk '{print $2}' | tr '\n' ' ')" = "all 0 " ]
	while read -r _ _ usr _ sys _ _ _ _ _ _ idle; do
		between "$(awk -v a="$usr" -v b="$sys" 'BEGIN { print a + b }')" 30 70
		between "$idle" 30 70
	done <<< "$avg"
}

@test "sar -u and sar -P ALL: 1 CPU, about 50% under the busy loop" {
	runtime_cg
	half_quota
	run --separate-stderr busy_runtime "$C" bash -c 'sar -u 1 1; sar -P ALL 1 1'
	echo "$output"
	ran_ok
	[ "$(echo "$output" | grep -c '(1 CPU)$')" -eq 2 ]
	avg=$(echo "$output" | grep '^Average:' | grep -v CPU)
	[ "$(echo "$avg" | awk '{print $2}' | tr '\n' ' ')" = "all all 0 " ]
	while read -r _ _ user _ system _ _ idle; do
		between "$(awk -v a="$user" -v b="$system" 'BEGIN { print a + b }')" 30 70
		between "$idle" 30 70
	done <<< "$avg"
}

@test "iostat -p ALL: 1 CPU and no host lifetime disk counters (only the container's)" {
	runtime_cg
	# iostat without -p reads /sys/block/*/stat, which no LXCFS mount layout
	# covers (doc/FILES.md, proc/diskstats); with -p it reads proc/diskstats
	run --separate-stderr in_runtime "$C" iostat -d -k -p ALL
	echo "$output"
	ran_ok
	echo "$output" | sed -n 1p | grep -q '(1 CPU)$'
	devs=$(echo "$output" | awk 'f && NF {print} /^Device/ {f = 1}')
	[ -n "$devs" ]
	if cg_v2; then
		# the container's io.stat, read after iostat: counters only grow
		read -r rkb wkb < <(awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "=");
			if (kv[1] == "rbytes") r += kv[2]; if (kv[1] == "wbytes") w += kv[2] } }
			END { print int(r / 1024), int(w / 1024) }' "$CGROOT/$C/io.stat")
		[ "$(echo "$devs" | awk '{r += $6} END {print r + 0}')" -le "$rkb" ]
		[ "$(echo "$devs" | awk '{w += $7} END {print w + 0}')" -le "$wkb" ]
	else
		# v1 here: no throttle rule, no bfq: no per-container source, so 0
		echo "$devs" | awk '{ for (i = 2; i <= NF; i++) if ($i + 0 != 0) { print "not 0: " $0; exit 1 } }'
	fi
}

# ---- util-linux, the cpu directory, cpuinfo ----

@test "lscpu: 1 CPU, on-line list 0, nothing off-line" {
	runtime_cg
	run --separate-stderr in_runtime "$C" lscpu
	echo "$output"
	ran_ok
	echo "$output" | grep -Eqx 'CPU\(s\): +1'
	echo "$output" | grep -Eqx 'On-line CPU\(s\) list: +0'
	no_line '^Off-line' "$output"
}

@test "cpuinfo and the cpu directory show CPU 0 only: every list 0, every mask 1" {
	runtime_cg
	# shellcheck disable=SC2016
	run --separate-stderr in_runtime "$C" bash -c 'grep -c ^processor /proc/cpuinfo; grep ^processor /proc/cpuinfo
		cd /sys/devices/system/cpu && ls -d cpu[0-9]*
		for f in online possible present enabled; do [ -e $f ] && echo "$f=$(cat $f)"; done
		for f in cpu0/topology/*_list cpu0/cache/index*/shared_cpu_list; do echo "list $f=$(cat $f)"; done
		for f in cpu0/topology/*_cpus cpu0/topology/*_siblings cpu0/cache/index*/shared_cpu_map; do
			echo "mask $f=$(tr -d , < $f | sed "s/^0*//")"; done'
	echo "$output"
	ran_ok
	[ "$(echo "$output" | sed -n 1,3p | tr '\n' ' ')" = "1 processor	: 0 cpu0 " ]
	for f in online possible present; do echo "$output" | grep -qx "$f=0"; done
	if [ -e /sys/devices/system/cpu/enabled ]; then echo "$output" | grep -qx "enabled=0"; fi
	# CPU 0's lists name CPU 0 only, its masks (leading zeros cut) are 1
	[ "$(echo "$output" | grep -c '^list ')" -ge 4 ]
	no_line '^list [^=]*=(|[^0].*|0.+)$' "$output"
	[ "$(echo "$output" | grep -c '^mask ')" -ge 4 ]
	no_line '^mask [^=]*=(|[^1].*|1.+)$' "$output"
}

# ---- the files behind them ----

@test "a reader that keeps /proc/meminfo open sees MemFree fall by the 64 MiB it touched after seek(0)" {
	runtime_cg
	run --separate-stderr in_runtime "$C" "$PROBE" reread /proc/meminfo 64
	echo "$output"
	ran_ok
	[ "$(echo "$output" | awk '$1 == "MemTotal:" {print $2}' | tr '\n' ' ')" = "262144 262144 262144 " ]
	a=$(echo "$output" | sed -n '/^--- A$/,/^--- B$/p' | awk '$1 == "MemFree:" {print $2}')
	b=$(echo "$output" | sed -n '/^--- B$/,/^--- C$/p' | awk '$1 == "MemFree:" {print $2}')
	between $((a - b)) 64512 69632
}

