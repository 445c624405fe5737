#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# Readers in containers (own cgroup, own pid namespace) see their limits.
# Runs on cgroup v1/hybrid hosts and, through cgroup2-vm.bats, on pure v2.

# shellcheck disable=SC2154 # top_builddir, MNT, LOG... come from the helpers
load ../lib/helpers

setup_file() {
	file_start_lxcfs
}

teardown_file() {
	file_stop_lxcfs
}

teardown() {
	test_cg_remove
}

# a container cgroup for this test with a 256 MiB limit on CPU 0
container_cg() {
	test_cg
	cg_set "$C" memory 268435456
	cg_set "$C" cpus 0
}

@test "a container with a 256 MiB limit sees MemTotal: 262144 kB" {
	container_cg
	run in_container "$C" cat "$MNT/proc/meminfo"
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx 'MemTotal:         262144 kB'
	free=$(echo "$output" | awk '$1 == "MemFree:" {print $2}')
	avail=$(echo "$output" | awk '$1 == "MemAvailable:" {print $2}')
	[ "$free" -gt 0 ] && [ "$free" -le 262144 ]
	[ "$avail" -ge "$free" ] && [ "$avail" -le 262144 ]
}

@test "a container on cpuset 0 sees exactly one processor, numbered 0" {
	container_cg
	run in_container "$C" cat "$MNT/proc/cpuinfo"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c '^processor')" -eq 1 ]
	echo "$output" | grep -q "^processor	: 0$"
}

@test "a container on cpuset 0 sees online, possible and present = 0" {
	container_cg
	run in_container "$C" cat "$MNT/sys/devices/system/cpu/online" "$MNT/sys/devices/system/cpu/possible" "$MNT/sys/devices/system/cpu/present"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '0\n0\n0')" ]
}

@test "a container on cpuset 0 sees only the cpu0 directory" {
	container_cg
	run in_container "$C" sh -c "ls '$MNT/sys/devices/system/cpu' | grep -E '^cpu[0-9]+$'"
	[ "$status" -eq 0 ]
	[ "$output" = cpu0 ]
	run in_container "$C" ls "$MNT/sys/devices/system/cpu/cpu1"
	[ "$status" -ne 0 ]
}

@test "a container's uptime is under a minute and grows" {
	container_cg
	run in_container "$C" sh -c "cat '$MNT/proc/uptime'; sleep 1.2; cat '$MNT/proc/uptime'"
	[ "$status" -eq 0 ]
	first=$(echo "$output" | sed -n 1p | cut -d' ' -f1)
	second=$(echo "$output" | sed -n 2p | cut -d' ' -f1)
	echo "uptime: $first then $second"
	awk -v a="$first" -v b="$second" 'BEGIN { exit !(a >= 0 && a < 60 && b > a && b - a >= 1.0 && b - a < 30) }'
	echo "$output" | sed -n 1p | grep -Eq '^[0-9]+\.[0-9]{2} [0-9]+\.[0-9]{2}$'
}

@test "a host reader in a limited cgroup sees its own cgroup's limit" {
	test_cg
	cg_set "$C" memory 314572800
	run in_cgroup "$C" cat "$MNT/proc/meminfo"
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx 'MemTotal:         307200 kB'
}

@test "a container in a cgroup without limits sees the host's MemTotal" {
	test_cg
	run in_container "$C" cat "$MNT/proc/meminfo"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk '$1 == "MemTotal:" {print $2}')" = "$(host_memtotal)" ]
	run in_container "$C" grep -c '^processor' "$MNT/proc/cpuinfo"
	[ "$output" = "$(grep -c '^processor' /proc/cpuinfo)" ]
}

@test "a process deep in nested cgroups under the container's init sees the container's limits" {
	container_cg
	# the walk up from below still finds $C's limits
	cg_make_below "$C/a/b/c"
	# the init (pid 1) stays in $C; a child of it moves deeper, where no limit is set
	cg_set_dirs "$C/a/b/c"
	cat > "$BATS_TEST_TMPDIR/deep.sh" <<-EOS
	for d in ${CG_DIRS[*]}; do echo \$\$ > \$d/cgroup.procs; done
	echo "pid \$\$ in \$(grep -E '$(if cg_v2; then echo '^0::'; else echo ':memory:'; fi)' /proc/self/cgroup)"
	grep -E '^(MemTotal|processor)' '$MNT/proc/meminfo' '$MNT/proc/cpuinfo'
	EOS
	run in_container "$C" sh -c "sh '$BATS_TEST_TMPDIR/deep.sh'; true"
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -q "^pid 2 in .*:/$C/a/b/c$"
	echo "$output" | grep -qx "$MNT/proc/meminfo:MemTotal:         262144 kB"
	[ "$(echo "$output" | grep -c ':processor')" -eq 1 ]
}

@test "a limit set only on an ancestor applies (minimum over the hierarchy)" {
	C=$CG/t$BATS_TEST_NUMBER
	cg_make "$C/inner"
	cg_set "$C" memory 209715200
	cg_set "$C/inner" memory 1073741824
	run in_container "$C/inner" grep MemTotal "$MNT/proc/meminfo"
	[ "$status" -eq 0 ]
	[ "$output" = 'MemTotal:         204800 kB' ]
}

@test "a container's swap never exceeds the host's (none without host swap)" {
	container_cg
	host_swap=$(awk '/^SwapTotal:/ {print $2}' /proc/meminfo)
	run in_container "$C" cat "$MNT/proc/swaps"
	[ "$status" -eq 0 ]
	if [ "$host_swap" = 0 ]; then
		[ "$output" = "$(printf 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority')" ]
	else
		[ "$(echo "$output" | sed -n 1p)" = "$(printf 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority')" ]
	fi
	run in_container "$C" awk '$1 == "SwapTotal:" || $1 == "SwapFree:" {print $2}' "$MNT/proc/meminfo"
	total=$(echo "$output" | sed -n 1p) free=$(echo "$output" | sed -n 2p)
	[ "$total" -le "$host_swap" ] && [ "$free" -le "$total" ]
	[ "$host_swap" != 0 ] || [ "$total" = 0 ]
}

@test "two containers read at the same time and each sees its own limit" {
	A=$CG/t${BATS_TEST_NUMBER}a B=$CG/t${BATS_TEST_NUMBER}b
	cg_make "$A"; cg_make "$B"
	cg_set "$A" memory 134217728
	cg_set "$B" memory 536870912
	in_container "$A" sh -c "for i in \$(seq 50); do grep MemTotal '$MNT/proc/meminfo'; done" > "$BATS_TEST_TMPDIR/a" &
	in_container "$B" sh -c "for i in \$(seq 50); do grep MemTotal '$MNT/proc/meminfo'; done" > "$BATS_TEST_TMPDIR/b"
	wait
	[ "$(sort -u "$BATS_TEST_TMPDIR/a")" = 'MemTotal:         131072 kB' ]
	[ "$(sort -u "$BATS_TEST_TMPDIR/b")" = 'MemTotal:         524288 kB' ]
	[ "$(wc -l < "$BATS_TEST_TMPDIR/a")" -eq 50 ]
	cg_remove "$A" "$B"
}
