#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# proc/meminfo and proc/swaps against real cgroups: swap over a real
# swapfile, the page cache a container writes, a cgroup without limits,
# kernel memory, Mlocked, the commit lines and -z.  Needs root; on v1 the
# swap test needs swap accounting (memory.memsw.* files).

# shellcheck disable=SC2154 # top_builddir, MNT, LOG... come from the helpers
load ../lib/helpers

SWAPS_HEADER=$(printf 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority')

setup_file() {
	file_start_lxcfs
}

teardown_file() {
	file_stop_lxcfs
}

teardown() {
	swap_off
	rm -f "$BATS_TEST_TMPDIR/file64"
	test_cg_remove
}

# a container cgroup for this test with a 256 MiB limit
container_cg() {
	test_cg
	cg_set "$C" memory 268435456
}

# kb TEXT KEY: the value of "KEY: value kB" in TEXT
kb() { printf '%s\n' "$1" | awk -v k="$2:" '$1 == k {print $2}'; }

@test "256 MiB + 64 MiB of swap over a 64 MiB swapfile: SwapTotal 65532 kB, one swaps line of that size" {
	need_swap_accounting
	swap_on 64
	container_cg
	cg_set "$C" swap 67108864
	host_swap=$(field /proc/meminfo SwapTotal)
	awk -v f="$SWAP_DEV" '$1 == f && $3 == 65532 { found = 1 } END { exit !found }' /proc/swaps
	run in_container "$C" cat "$MNT/proc/meminfo" "$MNT/proc/swaps"
	echo "$output"
	echo "host SwapTotal $host_swap"
	[ "$status" -eq 0 ]
	total=$(kb "$output" SwapTotal) free=$(kb "$output" SwapFree)
	# 64 MiB allowed, the host's swap is our 64 MiB file (65532 kB: the
	# header page) unless another swap area is on at the same time
	want=65532
	[ "$host_swap" -eq 65532 ] || want=$((host_swap < 65536 ? host_swap : 65536))
	[ "$total" -eq "$want" ]
	[ "$free" -le "$total" ]
	echo "$output" | grep -qx 'MemTotal:         262144 kB'
	echo "$output" | grep -q "^$SWAPS_HEADER\$"
	line=$(echo "$output" | grep '^none ')
	[ "$(echo "$output" | grep -c 'virtual')" -eq 1 ]
	[ "$line" = "$(printf 'none%36svirtual\t\t%d\t\t%d\t\t0' '' "$total" $((total - free)))" ]
}

@test "Cached follows the page cache a container writes: +64 MiB for a 64 MiB file" {
	container_cg
	run in_container "$C" sh -c "grep '^Cached:' '$MNT/proc/meminfo'
		dd if=/dev/zero of='$BATS_TEST_TMPDIR/file64' bs=1M count=64 status=none
		grep '^Cached:' '$MNT/proc/meminfo'"
	echo "$output"
	[ "$status" -eq 0 ]
	before=$(echo "$output" | sed -n 1p | awk '{print $2}')
	after=$(echo "$output" | sed -n 2p | awk '{print $2}')
	delta=$((after - before))
	echo "Cached grew by $delta kB"
	# 65536 kB of file pages; tolerance -1 MiB (the kernel's per-CPU stat
	# batching) to +4 MiB (metadata the write charges to the cgroup)
	[ "$delta" -ge 64512 ] && [ "$delta" -le 69632 ]
}

@test "a reader in a child cgroup without any limit sees the host's MemTotal and MemFree" {
	test_cg
	b=$(field /proc/meminfo MemFree)
	run in_container "$C" cat "$MNT/proc/meminfo"
	a=$(field /proc/meminfo MemFree)
	[ "$status" -eq 0 ]
	free=$(kb "$output" MemFree)
	lo=$((a < b ? a : b)) hi=$((a > b ? a : b))
	echo "host MemFree $b then $a, the view's $free"
	[ "$(kb "$output" MemTotal)" = "$(host_memtotal)" ]
	# the host's own value: within 4 MiB of the host's reads around it
	[ "$free" -ge $((lo - 4096)) ] && [ "$free" -le $((hi + 4096)) ]
	[ "$(kb "$output" SwapTotal)" = "$(field /proc/meminfo SwapTotal)" ]
	[ "$(kb "$output" CommitLimit)" = "$(field /proc/meminfo CommitLimit)" ]
}

@test "a limited container's meminfo: the host's keys in order, consistent values" {
	container_cg
	run in_container "$C" cat "$MNT/proc/meminfo"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk -F: '{print $1}')" = "$(awk -F: '{print $1}' /proc/meminfo)" ]
	no_line '-' "$output"
	total=$(kb "$output" MemTotal) free=$(kb "$output" MemFree) avail=$(kb "$output" MemAvailable)
	[ "$total" -eq 262144 ] && [ "$free" -le "$avail" ] && [ "$avail" -le "$total" ]
	[ "$(kb "$output" Slab)" -eq $(($(kb "$output" SReclaimable) + $(kb "$output" SUnreclaim))) ]
	[ "$(kb "$output" Mlocked)" -le "$(kb "$output" Unevictable)" ]
	# every line in the kernel's columns: "Key:" in 16, the value in 8, " kB"
	echo "$output" | awk '/ kB$/ && length($1) <= 16 && sprintf("%-16s%8s kB", $1, $2) != $0 {
		print "not in the columns of the kernel: " $0; bad = 1 } END { exit bad }'
}

@test "kernel memory: v1 Slab is memory.kmem.usage_in_bytes, v2 memory.stat's slab" {
	container_cg
	if cg_v2; then
		src="awk '\$1 == \"slab\" {print int(\$2 / 1024)}' '$CGROOT/$C/memory.stat'"
	else
		src="echo \$((\$(cat '$CGROOT/memory/$C/memory.kmem.usage_in_bytes') / 1024))"
	fi
	run in_container "$C" sh -c "cat '$MNT/proc/meminfo'; $src"
	[ "$status" -eq 0 ]
	slab=$(kb "$output" Slab) kmem=$(echo "$output" | tail -1)
	echo "Slab $slab kB, the cgroup's kernel memory $kmem kB"
	[ "$slab" -gt 0 ]
	[ "$slab" -ge $((kmem - 1024)) ] && [ "$slab" -le $((kmem + 1024)) ]
	if ! cg_v2; then
		[ "$(kb "$output" SUnreclaim)" -eq "$slab" ] && [ "$(kb "$output" SReclaimable)" -eq 0 ]
	fi
}

@test "Mlocked never exceeds Unevictable: 16 MiB mlocked in the container" {
	container_cg
	# the view, then the host's file, each after a read of stat_refresh:
	# the kernel's global counters (the host's file, and the view's Mlocked)
	# lag the per-CPU ones (by 56 kB of Unevictable in the VM lane), the
	# cgroup's do not
	run in_container "$C" "$top_builddir/tests/probe/fsprobe" mlock 16 /proc/sys/vm/stat_refresh \
		"$MNT/proc/meminfo" /proc/sys/vm/stat_refresh /proc/meminfo
	output=$(echo "$output" | awk '$1 == "--" { n++; next } { print (n > 1 ? "Host" : "") $0 }')
	echo "$output" | grep -E 'Unevictable|Mlocked'
	[ "$status" -eq 0 ]
	unev=$(kb "$output" Unevictable) ml=$(kb "$output" Mlocked) host_ml=$(kb "$output" HostMlocked)
	host_unev=$(kb "$output" HostUnevictable)
	[ "$unev" -lt "$host_unev" ] || [ "$unev" -eq "$host_unev" ]
	[ "$unev" -ge 16384 ]
	echo "Unevictable $unev kB, Mlocked $ml kB, the host's Mlocked $host_ml kB"
	[ "$ml" -le "$unev" ] && [ "$ml" -le "$host_ml" ]
	# the host's Mlocked holds our 16 MiB too: the cgroup's Unevictable is the minimum
	[ "$host_ml" -lt "$unev" ] || [ "$ml" -eq "$unev" ]
}

@test "the commit lines are the container's: CommitLimit from the vm sysctls, Committed_AS bounded" {
	container_cg
	run in_container "$C" cat "$MNT/proc/meminfo"
	[ "$status" -eq 0 ]
	ratio=$(cat /proc/sys/vm/overcommit_ratio) kbytes=$(cat /proc/sys/vm/overcommit_kbytes)
	pk=$(($(getconf PAGESIZE) / 1024))
	total=$(kb "$output" MemTotal) swap=$(kb "$output" SwapTotal)
	if [ "$kbytes" -ne 0 ]; then
		ram=$((kbytes / pk * pk < total ? kbytes / pk * pk : total))
	else
		ram=$((total / pk * ratio / 100 * pk))
	fi
	echo "ratio $ratio kbytes $kbytes: CommitLimit $(kb "$output" CommitLimit), want $((ram + swap))"
	[ "$(kb "$output" CommitLimit)" -eq $((ram + swap)) ]
	committed=$(kb "$output" Committed_AS)
	[ "$committed" -gt 0 ] && [ "$committed" -le $((total + swap)) ]
	[ "$committed" -le "$(field /proc/meminfo Committed_AS)" ]
}

@test "-z reaches the collector; Zswap and Zswapped show 0" {
	m1=$MNT p1=$PIDFILE l1=$LOG x1=$LXCFS_PID
	MNT='' PIDFILE='' LOG=''
	start_lxcfs -z
	container_cg
	pid=$(child_pid lxcfs-collector)
	tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- '--disable-zswap'
	run in_container "$C" grep -E '^Zswap(ped)?:' "$MNT/proc/meminfo"
	out_c=$output
	run grep -E '^Zswap(ped)?:' "$MNT/proc/meminfo"
	stop_lxcfs
	rmdir "$MNT"
	MNT=$m1 PIDFILE=$p1 LOG=$l1 LXCFS_PID=$x1
	if grep -q '^Zswap:' /proc/meminfo; then
		[ "$out_c" = "$(printf 'Zswap:                 0 kB\nZswapped:              0 kB')" ]
		[ "$output" = "$out_c" ]
	else
		[ -z "$out_c" ]
	fi
}
