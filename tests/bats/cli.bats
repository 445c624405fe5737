#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# The command line (LXCFS-compatible), the pidfile, signals, daemon mode.

# shellcheck disable=SC2154 # top_builddir, MNT, LOG... come from the helpers
load ../lib/helpers

setup() {
	need_root
	MNT=$(mktemp -d "$BATS_TEST_TMPDIR/mnt.XXXXXX")
	PIDFILE=$BATS_TEST_TMPDIR/lxcfs.pid
	LOG=$BATS_TEST_TMPDIR/lxcfs.log
}

teardown() {
	stop_lxcfs
	if grep -q " $MNT fuse.lxcfs " /proc/self/mounts; then umount -l "$MNT"; fi
}

not_mounted() { ! grep -q " $1 fuse" /proc/self/mounts; }

@test "-h and --help print usage and exit 0" {
	run "$LXCFS_BIN" -h
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^Usage: lxcfs \[OPTION\]... \[MOUNTPOINT\]'
	for o in -d -f -l -o -p -u -v --enable-cfs --runtime-dir; do echo "$output" | grep -q -- " $o"; done
	run "$LXCFS_BIN" --help
	[ "$status" -eq 0 ]
}

@test "-v and --version print the version and exit 0" {
	run "$LXCFS_BIN" -v
	[ "$status" -eq 0 ]
	echo "$output" | grep -Eqx '[0-9]+\.[0-9]+\.[0-9]+'
	run "$LXCFS_BIN" --version
	[ "$status" -eq 0 ]
}

@test "bad usage: a clear message and exit status 1, nothing mounted" {
	run "$LXCFS_BIN" --no-such-option "$MNT"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "unknown option '--no-such-option'"
	run "$LXCFS_BIN" -Q "$MNT"
	[ "$status" -eq 1 ]
	run "$LXCFS_BIN" -p
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "needs an argument"
	run "$LXCFS_BIN" -f "$MNT" "$MNT"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "too many arguments"
	run "$LXCFS_BIN" -f -o no_such_fuse_option "$MNT"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "unknown mount option 'no_such_fuse_option'"
	not_mounted "$MNT"
}

@test "a missing mountpoint: a clear message, exit 1, no mount" {
	run "$LXCFS_BIN" -f -p "$PIDFILE" "$MNT/does-not-exist"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "mountpoint $MNT/does-not-exist: No such file or directory"
	not_mounted "$MNT/does-not-exist"
	[ ! -e "$MNT/does-not-exist" ]
}

@test "a mountpoint that is not a directory: a clear message, exit 1, no mount" {
	touch "$MNT/file"
	run "$LXCFS_BIN" -f -p "$PIDFILE" "$MNT/file"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "not a directory: mountpoint $MNT/file"
	not_mounted "$MNT/file"
}

@test "compatibility options are accepted" {
	start_lxcfs -s -l -u -z --enable-cfs --enable-pidfd --enable-psi-poll -o allow_other,direct_io,entry_timeout=0.5
	grep -q MemTotal "$MNT/proc/meminfo"
}

@test "--seccomp-log (policy debugging) starts both children and serves" {
	start_lxcfs --seccomp-log
	grep -q MemTotal "$MNT/proc/meminfo"
	[ "$(lxcfs_children | wc -l)" -eq 2 ]
}

@test "a second instance on the same pidfile is refused and the first keeps serving" {
	start_lxcfs
	MNT2=$(mktemp -d "$BATS_TEST_TMPDIR/mnt2.XXXXXX")
	run "$LXCFS_BIN" -f -p "$PIDFILE" "$MNT2"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "pidfile $PIDFILE is locked: another lxcfs is running (pid $LXCFS_PID)"
	not_mounted "$MNT2"
	grep -q MemTotal "$MNT/proc/meminfo"
	[ "$(cat "$PIDFILE")" = "$LXCFS_PID" ]
}

# stop_cleanly SIG: the signal unmounts, stops both children, removes the
# pidfile and exits 0
stop_cleanly() {
	start_lxcfs
	kids=$(lxcfs_children | awk '{print $1}')
	[ "$(echo "$kids" | wc -w)" -eq 2 ]
	kill -"$1" "$LXCFS_PID"
	st=0
	wait "$LXCFS_PID" || st=$?
	[ "$st" -eq 0 ]
	LXCFS_PID=
	not_mounted "$MNT"
	for k in $kids; do refute kill -0 "$k" 2>/dev/null; done
	[ ! -e "$PIDFILE" ]
	grep -q "unmounted $MNT" "$LOG"
}

@test "SIGTERM: clean unmount, children gone, exit 0" {
	stop_cleanly TERM
}

@test "SIGINT: clean unmount, children gone, exit 0" {
	stop_cleanly INT
}

@test "SIGTERM while readers are busy still unmounts and exits 0" {
	start_lxcfs
	( for _ in $(seq 2000); do cat "$MNT/proc/meminfo" > /dev/null 2>&1 || true; done ) &
	reader=$!
	sleep 0.3
	kill -TERM "$LXCFS_PID"
	st=0
	wait "$LXCFS_PID" || st=$?
	[ "$st" -eq 0 ]
	LXCFS_PID=
	kill "$reader" 2>/dev/null || true
	wait "$reader" 2>/dev/null || true
	not_mounted "$MNT"
}

@test "daemon mode: returns once the mount serves, pidfile names the daemon" {
	run "$LXCFS_BIN" -p "$PIDFILE" "$MNT"
	[ "$status" -eq 0 ]
	# no waiting: the mount serves as soon as the command returned
	grep -q MemTotal "$MNT/proc/meminfo"
	LXCFS_PID=$(cat "$PIDFILE")
	kill -0 "$LXCFS_PID"
	[ "$(ps -o comm= -p "$LXCFS_PID")" = lxcfs ]
	[ "$(ps -o pid= --ppid "$LXCFS_PID" | wc -l)" -eq 2 ]
	kill -TERM "$LXCFS_PID"
	for _ in $(seq 50); do kill -0 "$LXCFS_PID" 2>/dev/null || break; sleep 0.1; done
	refute kill -0 "$LXCFS_PID" 2>/dev/null
	LXCFS_PID=
	not_mounted "$MNT"
}

@test "--runtime-dir sets the default pidfile" {
	RD=$(mktemp -d "$BATS_TEST_TMPDIR/run.XXXXXX")
	"$LXCFS_BIN" -f --runtime-dir "$RD" "$MNT" > "$LOG" 2>&1 &
	LXCFS_PID=$!
	wait_mounted "$MNT"
	[ "$(cat "$RD/lxcfs.pid")" = "$LXCFS_PID" ]
}

@test "-u: no swap at all" {
	start_lxcfs -u
	[ "$(awk '$1 == "SwapTotal:" {print $2}' "$MNT/proc/meminfo")" = 0 ]
	[ "$(awk '$1 == "SwapFree:" {print $2}' "$MNT/proc/meminfo")" = 0 ]
	[ "$(wc -l < "$MNT/proc/swaps")" -eq 1 ]
}

@test "--user: the front runs as that user; a missing user is refused" {
	run "$LXCFS_BIN" -f -p "$PIDFILE" --user no-such-user-lxcfs "$MNT"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "no such user: no-such-user-lxcfs"
	run "$LXCFS_BIN" -f -p "$PIDFILE" --user root "$MNT"
	[ "$status" -eq 1 ]
	start_lxcfs --user daemon
	[ "$(ps -o user= -p "$(child_pid lxcfs-fused)")" = daemon ]
}

@test "--enable-cfs: a CFS quota of 1 CPU shows one processor" {
	[ "$(grep -c '^processor' /proc/cpuinfo)" -ge 2 ]
	CG=lxcfs-cli-$$
	cg_make "$CG"
	cg_set "$CG" quota 100000 100000
	start_lxcfs --enable-cfs
	run in_container "$CG" grep -c '^processor' "$MNT/proc/cpuinfo"
	[ "$output" = 1 ]
	run in_container "$CG" cat "$MNT/sys/devices/system/cpu/online"
	[ "$output" = 0 ]
	stop_lxcfs
	start_lxcfs
	run in_container "$CG" grep -c '^processor' "$MNT/proc/cpuinfo"
	[ "$output" = "$(grep -c '^processor' /proc/cpuinfo)" ]
	cg_remove "$CG"
}
