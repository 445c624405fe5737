#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# Issue 12's "How it will be checked", item by item, on one setup as an
# operator makes it: lxcfs -l, and a container (in_runtime: own cgroup, pid
# and mount namespaces, the mount's files bind-mounted over /proc/... and
# /sys/devices/system/cpu) on CPU 0 only, with 256 MiB, 64 MiB of swap
# allowed over a 64 MiB swapfile and a 50 % quota.  Plus hierarchies with
# limits on ancestors: the smallest limit above the container counts, none
# below it.  Runs on this host (cgroup v1 hybrid) and in the cgroup v2 VM
# lane (cgroup2-vm.bats).

# shellcheck disable=SC2154 # top_builddir, MNT, LOG... come from the helpers
load ../lib/helpers

bats_require_minimum_version 1.5.0

PROBE=$top_builddir/tests/probe/fsprobe

setup_file() {
	need_root
	need_swap_accounting
	CG=lxcfs-acc-$$
	C=$CG/ctr
	UP0=$(cut -d' ' -f1 /proc/uptime)
	export CG C UP0
	swap_on 64
	cg_make "$C"
	cg_set "$C" memory 268435456
	cg_set "$C" swap 67108864
	cg_set "$C" cpus 0
	cg_set "$C" quota 50000 100000
	start_lxcfs -l
}

teardown_file() {
	stop_lxcfs
	cg_remove "$CG"
	swap_off
}

# (first: before any busy loop of the container raised its load average)
@test "loadavg rises within 11 s of a busy task, counts only the container's tasks, shows no host pid" {
	# shellcheck disable=SC2016
	run --separate-stderr in_runtime "$C" bash -c 'read -r l < /proc/loadavg; echo "$l"
		sleep 0 & wait $!; echo "last $!"
		sh -c "while :; do :; done" & busy=$!
		t0=${EPOCHREALTIME/./}
		for i in $(seq 11); do
			sleep 1; read -r l < /proc/loadavg; echo "$(( (${EPOCHREALTIME/./} - t0) / 1000 )) $l"
		done
		kill $busy'
	echo "$output"
	ran_ok
	last=$(echo "$output" | sed -n 2p | awk '{print $2}')
	# the first read: a new entry at 0; the init (reading with a builtin)
	# and the harness's unshare, which stays in the cgroup as the init's
	# parent; never the host's tasks
	read -r l1 l5 l15 tasks lastpid <<< "$(echo "$output" | sed -n 1p)"
	[ "$l1 $l5 $l15" = "0.00 0.00 0.00" ]
	between "${tasks#*/}" 1 2
	between "$lastpid" 1 "$last"
	rose=
	while read -r ms l1 _ _ tasks lastpid; do
		# the init, the busy task, a sleep, the harness's unshare
		between "${tasks#*/}" 2 5
		between "${tasks%/*}" 0 3
		# a pid of the container (its init, the busy task, seq, the sleeps;
		# fields 4 and 5 are those of the last 5 s sample), not the host's
		between "$lastpid" 1 $((last + 30))
		if [ -z "$rose" ] && awk -v a="$l1" 'BEGIN { exit !(a > 0) }'; then rose=$ms; fi
	done < <(echo "$output" | sed -n '3,$p')
	echo "rose after $rose ms"
	between "$rose" 0 11000
}

# stat_keys TEXT: the first word of every line
stat_keys() { echo "$1" | awk '{printf "%s ", $1}'; }

# stat_busy TEXT CPU: user + nice + system ticks of line CPU
stat_busy() { echo "$1" | awk -v c="$2" '$1 == c {print $2 + $3 + $4}'; }

@test "stat: one CPU line, the kernel's other lines, a 3 s busy loop adds 80-250 ticks, 1,000 reads never go back" {
	u0=$(cg_cpu_ticks "$C")
	# shellcheck disable=SC2016
	run --separate-stderr in_runtime "$C" bash -c 'cat /proc/stat; echo ---
		timeout 3 sh -c "while :; do :; done"; cat /proc/stat; echo ---
		"$1" monotonic /proc/stat 500' _ "$PROBE"
	echo "$output"
	ran_ok
	before=$(echo "$output" | sed '/^---$/,$d')
	after=$(echo "$output" | sed '1,/^---$/d; /^---$/,$d')
	for s in "$before" "$after"; do
		[ "$(stat_keys "$s")" = "cpu cpu0 intr ctxt btime processes procs_running procs_blocked softirq " ]
		[ "$(echo "$s" | grep '^btime ')" = "$(grep '^btime ' /proc/stat)" ]
		# the container's tasks: the reader and at most its shell
		between "$(echo "$s" | awk '$1 == "procs_running" {print $2}')" 1 2
	done
	# the container's own time, not the host's lifetime ticks: what the
	# cgroup used (earlier tests' containers too: one setup), read before
	# and after (v1's cpuacct.stat samples ticks: 20 % and 5 ticks of slack)
	u1=$(cg_cpu_ticks "$C")
	echo "the cgroup's CPU time: $u0 then $u1 ticks"
	between "$(stat_busy "$before" cpu)" $((u0 * 8 / 10 - 5)) $((u1 * 12 / 10 + 5))
	between $(($(stat_busy "$after" cpu0) - $(stat_busy "$before" cpu0))) 80 250
	between $(($(stat_busy "$after" cpu) - $(stat_busy "$before" cpu))) 80 250
	# 500 fresh opens, then 500 re-reads of one open from offset 0 (the
	# probe's own CPU time and the wall clock move the counters)
	[ "$(echo "$output" | tail -1)" = "1000 reads ok" ]
}

@test "cpuinfo, the cpuN directories, nproc --all, both getconf values and lscpu say 1" {
	# shellcheck disable=SC2016
	run --separate-stderr in_runtime "$C" bash -c 'grep -c ^processor /proc/cpuinfo
		"$1" dtypes /sys/devices/system/cpu | grep -cE "^d cpu[0-9]+$"
		nproc --all; getconf _NPROCESSORS_ONLN; getconf _NPROCESSORS_CONF
		lscpu | sed -n "s/^CPU(s): *//p"
		grep ^processor /proc/cpuinfo; ls -d /sys/devices/system/cpu/cpu[0-9]*; "$1" cpucount' _ "$PROBE"
	echo "$output"
	ran_ok
	[ "$(echo "$output" | sed -n 1,6p | tr '\n' ' ')" = "1 1 1 1 1 1 " ]
	# which one: the host's CPU 0, in every source and in the affinity
	[ "$(echo "$output" | sed -n '7,$p')" = "$(printf 'processor\t: 0\n/sys/devices/system/cpu/cpu0\n1 [0]')" ]
}

@test "SwapTotal 65532 kB: 64 MiB allowed over the 64 MiB swapfile; MemTotal 262144 kB" {
	# the host has our area: 64 MiB less the header page
	awk -v f="$SWAP_DEV" '$1 == f && $3 == 65532 { found = 1 } END { exit !found }' /proc/swaps
	host_swap=$(field /proc/meminfo SwapTotal)
	run --separate-stderr in_runtime "$C" cat /proc/meminfo /proc/swaps
	echo "$output"
	echo "host SwapTotal $host_swap"
	ran_ok
	# min(64 MiB allowed, the host's swap): our file, unless another test
	# has a swap area on at the same time
	want=65532
	[ "$host_swap" -eq 65532 ] || want=$((host_swap < 65536 ? host_swap : 65536))
	[ "$(echo "$output" | awk '$1 == "SwapTotal:" {print $2}')" -eq "$want" ]
	echo "$output" | grep -qx 'MemTotal:         262144 kB'
	[ "$(echo "$output" | awk '$1 == "none" && $2 == "virtual" {print $3}')" -eq "$want" ]
}

@test "Cached follows 64 MiB written by the container" {
	f=$BATS_TEST_TMPDIR/written
	run --separate-stderr in_runtime "$C" bash -c 'grep ^Cached: /proc/meminfo
		dd if=/dev/zero of="$1" bs=1M count=64 status=none; grep ^Cached: /proc/meminfo' _ "$f"
	echo "$output"
	rm -f "$f"
	ran_ok
	delta=$(($(echo "$output" | sed -n 2p | awk '{print $2}') - $(echo "$output" | sed -n 1p | awk '{print $2}')))
	# 65536 kB of file pages; -1 MiB (the kernel's per-CPU stat batching)
	# to +4 MiB (metadata the write charges to the cgroup)
	between "$delta" 64512 69632
}

@test "diskstats carries no host lifetime counters: the container's own, or 0" {
	# I/O outside the container on the device under the swap area, so that
	# the host has lifetime counters also where it has no disk (the VM)
	dd if="$SWAP_DEV" of=/dev/null bs=64k count=4 iflag=direct status=none
	[ "$(awk '{ for (i = 4; i <= NF; i++) s += $i } END { print s + 0 }' /proc/diskstats)" -gt 0 ]
	if cg_v2; then io0=$(cat "$CGROOT/$C/io.stat"); fi
	run --separate-stderr in_runtime "$C" cat /proc/diskstats
	echo "$output"
	ran_ok
	[ -n "$output" ]
	if cg_v2; then
		io1=$(cat "$CGROOT/$C/io.stat")
		echo "io.stat before: $io0"
		echo "io.stat after: $io1"
		# reads, sectors read, writes, sectors written: the container's
		# io.stat (read before and after: it only grows); the rest 0
		printf '%s\n' "$output" | awk -v io0="$io0" -v io1="$io1" '
			function load(text, t,   n, i, l, f, j, kv) {
				n = split(text, l, "\n")
				for (i = 1; i <= n; i++) {
					split(l[i], f, " ")
					for (j = 2; j in f; j++) { split(f[j], kv, "="); t[f[1], kv[1]] = kv[2] }
				}
			}
			function ok(v, k, d, div) {
				if (v < int(lo[d, k] / div) || v > int(hi[d, k] / div)) {
					print "device " d " field " k ": " v; bad = 1
				}
			}
			BEGIN { load(io0, lo); load(io1, hi) }
			{
				d = $1 ":" $2
				ok($4, "rios", d, 1); ok($6, "rbytes", d, 512)
				ok($8, "wios", d, 1); ok($10, "wbytes", d, 512)
				for (i = 4; i <= NF; i++) if (i != 4 && i != 6 && i != 8 && i != 10 && $i != 0) {
					print "device " d " field " i ": " $i; bad = 1
				}
			}
			END { exit bad }'
	else
		# v1 here: no throttle rule and no bfq for the container: no
		# per-container source, so 0 on every device
		printf '%s\n' "$output" | awk '{ for (i = 4; i <= NF; i++) if ($i != 0) { print "not 0: " $0; exit 1 } }'
	fi
}

@test "an open uptime read again after seek(0) has advanced; 1,000 reads never go back" {
	# one open: read, 100 ms, lseek(0) and read, 100 ms, pread at 0; then
	# 500 fresh opens and 500 re-reads of one open
	# shellcheck disable=SC2016
	run --separate-stderr in_runtime "$C" bash -c '"$1" reread /proc/uptime 0; "$1" monotonic /proc/uptime 500' _ "$PROBE"
	echo "$output"
	ran_ok
	read -r a b c <<< "$(echo "$output" | grep -E '^[0-9.]+ [0-9.]+$' | cut -d' ' -f1 | tr '\n' ' ')"
	# the container's, not the host's boot: uptime never goes back, also
	# when a new init takes over the cgroup, so it is at most the age of
	# the cgroup (made by setup_file), not the age of this test's init
	between "$a" 0 "$(awk -v t0="$UP0" '{ print $1 - t0 + 1 }' /proc/uptime)"
	awk -v a="$a" -v b="$b" -v c="$c" 'BEGIN { exit !(a < b && b < c) }'
	# idle never above uptime x 1 CPU
	echo "$output" | awk '/^[0-9.]+ [0-9.]+$/ && $2 > $1 + 0.01 { print "idle above uptime: " $0; bad = 1 } END { exit bad }'
	[ "$(echo "$output" | tail -1)" = "1000 reads ok" ]
}

@test "top -bn2 sees the busy loop: about 50 % at the 50 % quota in the second frame, 256 MiB, the container's tasks" {
	run --separate-stderr busy_runtime "$C" top -bn2 -d1
	echo "$output"
	ran_ok
	[ "$(echo "$output" | grep -c '^MiB Mem : *256\.0 total,')" -eq 2 ]
	# the init (top) and the busy loop
	[ "$(echo "$output" | grep '^Tasks:' | sed -n 2p | awk '{print $2}')" -eq 2 ]
	cpu=$(echo "$output" | grep '^%Cpu(s):' | sed -n 2p | tr ',' ' ')
	between "$(echo "$cpu" | awk '{print $2 + $4}')" 30 70
	echo "$output" | awk '$NF == "sh" && $9 + 0 >= 30 && $9 + 0 <= 70 { f = 1 } END { exit !f }'
}

@test "vmstat 1 2 sees the busy loop: us+sy about 50, id about 50 on its second line" {
	run --separate-stderr busy_runtime "$C" vmstat 1 2
	echo "$output"
	ran_ok
	[ "$(echo "$output" | wc -l)" -eq 4 ]
	read -r us sy id <<< "$(echo "$output" | sed -n 4p | awk '{print $13, $14, $15}')"
	between $((us + sy)) 30 70
	between "$id" 30 70
}

# The hierarchy: h (192 MiB, 32 MiB of swap) / mid (1 GiB, 128 MiB) / ctr
# (512 MiB, 48 MiB; CPUs 0-1; the container's init) / below (a reader):
# below has 64 MiB and no swap (v1) and CPU 1 only.
# v2 takes no domain controller (memory) below a cgroup that has
# processes (its "no internal processes" rule: EBUSY), so there below is
# a threaded cgroup with cpuset and cpu only, as a process could make it.
hierarchy() {
	H=$CG/h
	cg_make "$H/mid/ctr"
	cg_set "$H" memory 201326592
	cg_set "$H" swap 33554432
	cg_set "$H/mid" memory 1073741824
	cg_set "$H/mid" swap 134217728
	cg_set "$H/mid/ctr" memory 536870912
	cg_set "$H/mid/ctr" swap 50331648
	cg_set "$H/mid/ctr" cpus 0-1
	if cg_v2; then
		mkdir "$CGROOT/$H/mid/ctr/below"
		echo threaded > "$CGROOT/$H/mid/ctr/below/cgroup.type"
		echo "+cpu +cpuset" > "$CGROOT/$H/mid/ctr/cgroup.subtree_control"
	else
		cg_make "$H/mid/ctr/below"
		cg_set "$H/mid/ctr/below" memory 67108864
		cg_set "$H/mid/ctr/below" swap 0
	fi
	cg_set "$H/mid/ctr/below" cpus 1
}

@test "hierarchies: the smallest limit above the container counts (two levels up), none below it" {
	hierarchy
	cg_set_dirs "$H/mid/ctr/below"
	# the container's init stays in ctr; the reader, its child, moves below
	cat > "$BATS_TEST_TMPDIR/below.sh" <<-EOS
		for d in ${CG_DIRS[*]}; do echo \$\$ > \$d/cgroup.procs || exit 97; done
		grep -E '$(if cg_v2; then echo '^0::'; else echo ':memory:'; fi)' /proc/self/cgroup
		grep '^Cpus_allowed_list:' /proc/self/status
		grep -E '^(MemTotal|SwapTotal):' /proc/meminfo
		grep -c '^processor' /proc/cpuinfo
		cat /sys/devices/system/cpu/online
		nproc --all
	EOS
	# ("; true": a lone command would be exec'd by the init itself)
	run --separate-stderr in_runtime "$H/mid/ctr" bash -c "bash '$BATS_TEST_TMPDIR/below.sh'; true"
	echo "$output"
	ran_ok
	# the reader is below, and below's cpuset holds it
	echo "$output" | sed -n 1p | grep -q ":/$H/mid/ctr/below\$"
	[ "$(echo "$output" | sed -n 2p)" = "$(printf 'Cpus_allowed_list:\t1')" ]
	# h's limits (the smallest above), not mid's, ctr's or below's; ctr's CPUs
	[ "$(echo "$output" | sed -n '3,$p')" = "$(printf 'MemTotal:         196608 kB\nSwapTotal:         32768 kB\n2\n0-1\n2')" ]
}
