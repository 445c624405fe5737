#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# Hostile and odd input: cgroup names, deep trees, vanishing readers,
# missing controllers.  Nothing may crash a daemon, hang a reader or
# show one container another's (or a forged) limit.

# shellcheck disable=SC2154 # top_builddir, MNT, LOG... come from the helpers
load ../lib/helpers

setup_file() {
	file_start_lxcfs
}

teardown_file() {
	file_stop_lxcfs
}

alive() {
	kill -0 "$LXCFS_PID"
	[ -n "$(child_pid lxcfs-collector)" ] && [ -n "$(child_pid lxcfs-fused)" ]
	grep -q '^MemTotal:' "$MNT/proc/meminfo"
}

# mk NAME: a container cgroup with 256 MiB and CPU 0 under $CG
mk() {
	cg_make "$CG/$1"
	cg_set "$CG/$1" memory 268435456
	cg_set "$CG/$1" cpus 0
}

@test "cgroup names with spaces, colons, tabs, backslashes and unicode" {
	for name in 'with space' 'co:lon' "$(printf 'tab\there')" 'back\slash' 'ünïcödé-容器-🐧' '-dash' '#hash'; do
		mk "$name"
		run in_container "$CG/$name" grep -E '^(MemTotal|processor)' "$MNT/proc/meminfo" "$MNT/proc/cpuinfo"
		echo "$name: $output"
		[ "$status" -eq 0 ]
		echo "$output" | grep -q 'MemTotal:         262144 kB$'
		[ "$(echo "$output" | grep -c ':processor')" -eq 1 ]
		cg_remove "$CG/$name"
	done
	alive
}

@test "a 200-character cgroup name" {
	name=$(printf 'x%.0s' $(seq 200))
	mk "$name"
	run in_container "$CG/$name" grep MemTotal "$MNT/proc/meminfo"
	[ "$status" -eq 0 ]
	[ "$output" = 'MemTotal:         262144 kB' ]
	alive
}

@test "40 levels deep, with the limit at the top and the container at the bottom" {
	path=$CG/deep
	for i in $(seq 40); do path=$path/level-$i-abcdefghij; done
	mk deep
	cg_make "$path"
	run in_container "$path" grep MemTotal "$MNT/proc/meminfo"
	[ "$status" -eq 0 ]
	[ "$output" = 'MemTotal:         262144 kB' ]
	alive
}

@test "a cgroup path longer than PATH_MAX: an error or the right answer, never a crash" {
	mk long
	comp=$(printf 'y%.0s' $(seq 200))
	cg_set_dirs "$CG/long"
	# too long for one path: create and enter it one directory at a time
	cat > "$BATS_FILE_TMPDIR/long.sh" <<-'EOS'
	set -e
	comp=$1; shift
	for top in "$@"; do
		cd "$top"
		for i in $(seq 24); do
			mkdir -p "$i$comp"; cd "$i$comp"
			if [ -e cpuset.cpus ] && [ -z "$(cat cpuset.cpus)" ]; then
				cat ../cpuset.cpus > cpuset.cpus; cat ../cpuset.mems > cpuset.mems
			fi
		done
		echo $$ > cgroup.procs
	done
	cd /
	exec unshare -fp --mount-proc grep MemTotal "$MNT/proc/meminfo"
	EOS
	run timeout 10 env MNT="$MNT" bash "$BATS_FILE_TMPDIR/long.sh" "$comp" "${CG_DIRS[@]}"
	echo "status $status: $output"
	[ "$status" -ne 124 ]
	[ "$status" -ne 0 ] || [ "$output" = 'MemTotal:         262144 kB' ]
	alive
}

@test "a newline in a cgroup name: the kernel refuses it (forged lines are also rejected by the parser, see test_cgroup)" {
	mk forged
	mline=$(grep -E '^[0-9]+:(memory|):' /proc/self/cgroup | head -1 | cut -d: -f1-2)
	name=$(printf 'evil\n%s:/%s/forged' "$mline" "$CG")
	cg_set_dirs "$CG"
	run mkdir -p -- "${CG_DIRS[0]}/$name"
	[ "$status" -ne 0 ]
	echo "$output" | grep -q 'Invalid argument'
	alive
}

@test "readers killed mid-request get an answer or an error, never a hang" {
	mk kill
	for i in $(seq 100); do
		in_container "$CG/kill" cat "$MNT/proc/meminfo" "$MNT/proc/cpuinfo" > /dev/null 2>&1 &
		p=$!
		[ $((i % 3)) -eq 0 ] || kill -KILL "$p" 2>/dev/null || true
	done
	run timeout 20 bash -c 'wait'
	[ "$status" -ne 124 ]
	for i in $(seq 20); do
		run timeout 5 cat "$MNT/proc/meminfo"
		[ "$status" -eq 0 ]
	done
	alive
}

@test "a reader whose process exits before it is answered" {
	for i in $(seq 50); do
		timeout 0.005 cat "$MNT/proc/meminfo" > /dev/null 2>&1 || true
	done
	alive
}

@test "a missing controller (no cpuset hierarchy mounted) is handled" {
	cg_v2 && skip "pure v2 hosts have no separate cpuset hierarchy"
	mk nocpuset
	M2=$BATS_FILE_TMPDIR/m2
	mkdir -p "$M2"
	# a private mount namespace without the cpuset hierarchy
	run unshare -m bash -c "
		umount -l /sys/fs/cgroup/cpuset || exit 3
		'$LXCFS_BIN' -f -p '$BATS_FILE_TMPDIR/m2.pid' '$M2' > '$BATS_FILE_TMPDIR/m2.log' 2>&1 &
		for i in \$(seq 50); do grep -q ' $M2 fuse.lxcfs ' /proc/self/mounts && break; sleep 0.1; done
		sleep 0.3
		for d in /sys/fs/cgroup/memory/$CG/nocpuset; do echo \$\$ > \$d/cgroup.procs; done
		unshare -fp --mount-proc sh -c \"grep MemTotal '$M2/proc/meminfo'; grep -c ^processor '$M2/proc/cpuinfo'\"
		kill -TERM %1; wait"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | sed -n 1p)" = 'MemTotal:         262144 kB' ]
	[ "$(echo "$output" | sed -n 2p)" = "$(grep -c '^processor' /proc/cpuinfo)" ]
	grep -q 'no cpuset controller' "$BATS_FILE_TMPDIR/m2.log"
	alive
}
