#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# A child that dies is restarted and the mount keeps serving.

# shellcheck disable=SC2154 # top_builddir, MNT, LOG... come from the helpers
load ../lib/helpers

setup() {
	need_root
	MNT=$(mktemp -d "$BATS_TEST_TMPDIR/mnt.XXXXXX")
	export PIDFILE=$BATS_TEST_TMPDIR/lxcfs.pid
	LOG=$BATS_TEST_TMPDIR/lxcfs.log
	start_lxcfs
}

teardown() {
	stop_lxcfs
}

wait_child() { # wait_child NAME OLD_PID: a new live child of that name
	local _ p
	for _ in $(seq 100); do
		p=$(child_pid "$1")
		if [ -n "$p" ] && [ "$p" != "$2" ]; then echo "$p"; return 0; fi
		sleep 0.05
	done
	return 1
}

@test "the collector is restarted after SIGKILL and reads keep working" {
	old=$(child_pid lxcfs-collector)
	kill -KILL "$old"
	run cat "$MNT/proc/meminfo"
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^MemTotal:'
	new=$(wait_child lxcfs-collector "$old")
	[ "$new" != "$old" ]
	grep -q "collector (pid $old) was killed by signal 9; restarting it" "$LOG"
	[ "$(awk '$1 == "Seccomp:" {print $2}' "/proc/$new/status")" = 2 ]
}

@test "the front is restarted after SIGKILL; the mount never goes away" {
	old=$(child_pid lxcfs-fused)
	cat "$MNT/proc/uptime" > /dev/null
	kill -KILL "$old"
	new=$(wait_child lxcfs-fused "$old")
	run cat "$MNT/proc/meminfo"
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^MemTotal:'
	grep -q " $MNT fuse.lxcfs " /proc/self/mounts
	grep -q "took over the live FUSE session" "$LOG"
	[ "$(awk '$1 == "Seccomp:" {print $2}' "/proc/$new/status")" = 2 ]
	[ "$(awk '$1 == "Uid:" {print $2}' "/proc/$new/status")" != 0 ]
}

@test "SIGUSR1 restarts both children without unmounting" {
	oc=$(child_pid lxcfs-collector) of=$(child_pid lxcfs-fused)
	kill -USR1 "$LXCFS_PID"
	nc=$(wait_child lxcfs-collector "$oc")
	nf=$(wait_child lxcfs-fused "$of")
	[ -n "$nc" ] && [ -n "$nf" ]
	for _ in $(seq 20); do grep -q '^MemTotal:' "$MNT/proc/meminfo"; done
	grep -q " $MNT fuse.lxcfs " /proc/self/mounts
}

@test "readers during repeated collector kills never fail" {
	( for _ in $(seq 300); do grep -q '^MemTotal:' "$MNT/proc/meminfo" || echo FAIL; done ) > "$BATS_TEST_TMPDIR/reads" &
	reader=$!
	for _ in 1 2 3 4 5; do
		kill -KILL "$(child_pid lxcfs-collector)" 2>/dev/null || true
		sleep 0.2
	done
	wait "$reader"
	refute grep -q FAIL "$BATS_TEST_TMPDIR/reads"
}

@test "a dead mount left by a killed instance is replaced at the next start" {
	kids=$(lxcfs_children | awk '{print $1}')
	kill -KILL "$LXCFS_PID" $kids
	LXCFS_PID=
	sleep 0.2
	run stat "$MNT/proc"
	[ "$status" -ne 0 ]
	start_lxcfs
	grep -q '^MemTotal:' "$MNT/proc/meminfo"
	grep -q "removed a stale mount at $MNT" "$LOG"
}

@test "a request the front held when it died is answered by the next front (FUSE_NOTIFY_RESEND)" {
	kver=$(uname -r | awk -F. '{print $1 * 100 + $2}')
	col=$(child_pid lxcfs-collector) old=$(child_pid lxcfs-fused)
	if [ "$kver" -lt 609 ]; then
		# no resend before Linux 6.9: a held reader would block for good,
		# so only check that the new front says so
		kill -KILL "$old"
		wait_child lxcfs-fused "$old" > /dev/null
		grep -q '^MemTotal:' "$MNT/proc/meminfo"
		grep -q 'cannot resend requests' "$LOG"
		return 0
	fi
	# hold the request in the front: the collector cannot answer
	kill -STOP "$col"
	timeout 30 cat "$MNT/proc/meminfo" > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" &
	reader=$!
	sleep 0.5
	kill -KILL "$old"
	kill -CONT "$col"
	st=0
	wait "$reader" || st=$?
	cat "$BATS_TEST_TMPDIR/err"
	[ "$st" -eq 0 ]
	grep -q '^MemTotal:' "$BATS_TEST_TMPDIR/out"
	grep -q 'asked the kernel to resend' "$LOG"
	grep -q '^MemTotal:' "$MNT/proc/meminfo"
}

@test "SIGUSR1 while a request waits for the collector: the reader still gets its answer" {
	col=$(child_pid lxcfs-collector)
	kill -STOP "$col"
	timeout 30 cat "$MNT/proc/meminfo" > "$BATS_TEST_TMPDIR/out" &
	reader=$!
	sleep 0.3
	kill -USR1 "$LXCFS_PID"
	sleep 0.3
	kill -CONT "$col"
	st=0
	wait "$reader" || st=$?
	[ "$st" -eq 0 ]
	grep -q '^MemTotal:' "$BATS_TEST_TMPDIR/out"
}

@test "files and directories opened before a front restart keep reading after it" {
	exec 5< "$MNT/proc/meminfo"
	head -c 10 <&5 > "$BATS_TEST_TMPDIR/first"
	old=$(child_pid lxcfs-fused)
	kill -KILL "$old"
	wait_child lxcfs-fused "$old" > /dev/null
	# the next read() on the same open file reaches a front that never saw it
	rest=$(cat <&5)
	exec 5<&-
	[ "$(cat "$BATS_TEST_TMPDIR/first")" = "MemTotal: " ]
	echo "$rest" | grep -q '^MemFree:'
	grep -q "took over the live FUSE session" "$LOG"
	refute grep -q 'killed by signal 11' "$LOG"
}
