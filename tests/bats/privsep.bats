#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# The three processes and their sandboxes, as the kernel reports them.

# shellcheck disable=SC2154 # top_builddir, MNT, LOG... come from the helpers
load ../lib/helpers

setup_file() {
	need_root
	start_lxcfs
}

teardown_file() {
	stop_lxcfs
}

status_field() { # status_field PID KEY
	awk -v k="$2:" '$1 == k { $1 = ""; sub(/^[ \t]+/, ""); print }' "/proc/$1/status"
}

# CAP_DAC_READ_SEARCH (2) and CAP_SYS_PTRACE (19): the documented set
COLLECTOR_CAPS=0000000000080004

@test "the supervisor runs as root with exactly two children" {
	[ "$(status_field "$LXCFS_PID" Uid | awk '{print $1}')" = 0 ]
	run lxcfs_children
	echo "$output"
	[ "$(echo "$output" | wc -l)" -eq 2 ]
	[ -n "$(child_pid lxcfs-collector)" ]
	[ -n "$(child_pid lxcfs-fused)" ]
}

@test "the front runs unprivileged: non-zero uid, no groups, no capabilities, no_new_privs, seccomp" {
	pid=$(child_pid lxcfs-fused)
	for f in Uid Gid; do
		for id in $(status_field "$pid" $f); do [ "$id" -ne 0 ]; done
	done
	[ -z "$(status_field "$pid" Groups)" ]
	for f in CapInh CapPrm CapEff CapBnd CapAmb; do
		[ "$(status_field "$pid" $f)" = 0000000000000000 ]
	done
	[ "$(status_field "$pid" NoNewPrivs)" = 1 ]
	[ "$(status_field "$pid" Seccomp)" = 2 ]
}

@test "the collector keeps exactly the documented capabilities, as an unprivileged uid, under seccomp" {
	pid=$(child_pid lxcfs-collector)
	for f in Uid Gid; do
		for id in $(status_field "$pid" $f); do [ "$id" -ne 0 ]; done
	done
	[ "$(status_field "$pid" CapEff)" = $COLLECTOR_CAPS ]
	[ "$(status_field "$pid" CapPrm)" = $COLLECTOR_CAPS ]
	[ "$(status_field "$pid" CapBnd)" = $COLLECTOR_CAPS ]
	[ "$(status_field "$pid" CapInh)" = 0000000000000000 ]
	[ "$(status_field "$pid" CapAmb)" = 0000000000000000 ]
	[ "$(status_field "$pid" NoNewPrivs)" = 1 ]
	[ "$(status_field "$pid" Seccomp)" = 2 ]
	[ -z "$(status_field "$pid" Groups)" ]
	# the documented list is the one compiled in
	run "$top_builddir/lxcfs-collector" --dump-policy
	[ "$(echo "$output" | grep '^capability' | awk '{print $2}' | tr '\n' ' ')" = "cap_sys_ptrace cap_dac_read_search " ]
}

@test "the front's policy has no open, openat, execve, socket, ptrace or mount" {
	run "$top_builddir/lxcfs-fused" --dump-policy
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^syscall read'
	for sc in open openat openat2 execve execveat socket connect ptrace mount; do
		no_line "^syscall $sc( |$|	)" "$output"
	done
	echo "$output" | grep -qx 'capability none.*' || echo "$output" | grep -q '^capability none'
}

@test "the collector's policy has no execve, mount, ptrace or socket" {
	run "$top_builddir/lxcfs-collector" --dump-policy
	[ "$status" -eq 0 ]
	for sc in execve execveat mount umount2 ptrace socket connect setns unshare process_vm_readv; do
		no_line "^syscall $sc( |$|	)" "$output"
	done
}

@test "forbidden syscalls kill or fail under the real policies (probe)" {
	run "$top_builddir/tests/probe/sandbox_probe"
	echo "$output"
	[ "$status" -eq 0 ]
	no_line '^not ok' "$output"
	[ "$(echo "$output" | grep -c '^ok')" -ge 20 ]
}

@test "the front keeps working under its sandbox after many requests" {
	for _ in $(seq 200); do cat "$MNT/proc/meminfo" > /dev/null; done
	ls -R "$MNT/sys/devices/system/cpu" > /dev/null
	run cat "$MNT/proc/uptime"
	[ "$status" -eq 0 ]
	[ "$(status_field "$(child_pid lxcfs-fused)" Seccomp)" = 2 ]
	refute grep -q 'killed by signal' "$LOG"
}
