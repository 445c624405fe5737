#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# The mount tree, read semantics, and refusal of every change.

# shellcheck disable=SC2154 # top_builddir, MNT, LOG... come from the helpers
load ../lib/helpers

setup_file() {
	need_root
	start_lxcfs
}

teardown_file() {
	stop_lxcfs
}

PROBE() { "$top_builddir/tests/probe/fsprobe" "$@"; }

PROC_FILES="cpuinfo diskstats loadavg meminfo partitions slabinfo stat swaps uptime"

@test "the tree of LXCFS exists with d_type set" {
	run PROBE dtypes "$MNT"
	[ "$(echo "$output" | sort | tr '\n' ' ')" = "d . d .. d cgroup d proc d sys " ]
	run PROBE dtypes "$MNT/proc"
	exp="d . d .. "
	for f in $PROC_FILES; do exp="${exp}f $f "; done
	[ "$(echo "$output" | grep -v '^d pressure$' | sort -k2 | tr '\n' ' ')" = "$(echo "$exp" | xargs -n2 | sort -k2 | tr '\n' ' ')" ]
	echo "$output" | grep -qx 'd pressure'
	run PROBE dtypes "$MNT/proc/pressure"
	[ "$(echo "$output" | grep '^f' | sort | tr '\n' ' ')" = "f cpu f io f memory " ]
	[ "$(PROBE dtypes "$MNT/sys" | grep -v '^d \.')" = "d devices" ]
	[ "$(PROBE dtypes "$MNT/sys/devices" | grep -v '^d \.')" = "d system" ]
	[ "$(PROBE dtypes "$MNT/sys/devices/system" | grep -v '^d \.')" = "d cpu" ]
	[ -z "$(PROBE dtypes "$MNT/cgroup" | grep -v '^d \.')" ]
}

@test "sys/devices/system/cpu has online, possible, present, offline and cpuN directories (d_type DT_DIR)" {
	run PROBE dtypes "$MNT/sys/devices/system/cpu"
	echo "$output"
	for f in online possible present offline; do echo "$output" | grep -qx "f $f"; done
	n=$(echo "$output" | grep -cE '^d cpu[0-9]+$')
	[ "$n" -eq "$(grep -c '^processor' /proc/cpuinfo)" ]
	[ "$(echo "$output" | grep -c '^u ')" -eq 0 ]
	# the rest comes read-only from the host
	for e in /sys/devices/system/cpu/*; do
		[ -L "$e" ] && continue
		echo "$output" | grep -q " ${e##*/}\$"
	done
	[ "$(cat "$MNT/sys/devices/system/cpu/kernel_max")" = "$(cat /sys/devices/system/cpu/kernel_max)" ]
	[ "$(cat "$MNT/sys/devices/system/cpu/cpu0/topology/core_id")" = "$(cat /sys/devices/system/cpu/cpu0/topology/core_id)" ]
}

@test "files are 0444, directories 0555, owned by root" {
	for f in $PROC_FILES; do [ "$(stat -c '%a %u %F' "$MNT/proc/$f")" = "444 0 regular empty file" ]; done
	for d in "" proc proc/pressure sys sys/devices sys/devices/system sys/devices/system/cpu cgroup; do
		[ "$(stat -c '%a %u' "$MNT/$d")" = "555 0" ]
	done
	for f in online possible present offline; do
		[ "$(stat -c '%a' "$MNT/sys/devices/system/cpu/$f")" = 444 ]
	done
}

@test "every file reads; meminfo keeps the host's keys in their order" {
	for f in $PROC_FILES pressure/cpu pressure/io pressure/memory; do
		cat "$MNT/proc/$f" > /dev/null
	done
	[ "$(awk -F: '{print $1}' "$MNT/proc/meminfo")" = "$(awk -F: '{print $1}' /proc/meminfo)" ]
	[ "$(head -1 "$MNT/proc/slabinfo")" = "slabinfo - version: 2.1" ]
}

@test "one rendering per open: every offset, 0 bytes past the end" {
	for f in meminfo cpuinfo stat uptime swaps; do
		run PROBE pread "$MNT/proc/$f"
		echo "$f: $output"
		[ "$status" -eq 0 ]
	done
	# dd at an offset past the end reads nothing
	[ "$(dd if="$MNT/proc/meminfo" bs=1 skip=1000000 count=10 2>/dev/null | wc -c)" -eq 0 ]
	# a read from an offset gives the rest of that rendering
	full=$(cat "$MNT/proc/cpuinfo")
	tail=$(dd if="$MNT/proc/cpuinfo" bs=1 skip=11 2>/dev/null)
	[ "${full:11}" = "$tail" ]
}

@test "large reads are complete: cpuinfo matches the host's for a host reader" {
	[ "$(cat "$MNT/proc/cpuinfo" | wc -c)" -eq "$(wc -c < /proc/cpuinfo)" ]
	[ "$(grep -c '^processor' "$MNT/proc/cpuinfo")" -eq "$(grep -c '^processor' /proc/cpuinfo)" ]
}

@test "writes, truncation, chmod, utimes and xattrs are refused with a clear errno" {
	f=$MNT/proc/meminfo
	[ "$(PROBE errno open-rw "$f")" = EACCES ]
	[ "$(PROBE errno open-wr "$f")" = EACCES ]
	[ "$(PROBE errno open-trunc "$f")" = EACCES ]
	[ "$(PROBE errno truncate "$f")" = EPERM ]
	[ "$(PROBE errno chmod "$f")" = EPERM ]
	[ "$(PROBE errno utimes "$f")" = EPERM ]
	[ "$(PROBE errno setxattr "$f")" = EPERM ]
	[ "$(PROBE errno removexattr "$f")" = EPERM ]
	run sh -c "echo x > '$f'"
	[ "$status" -ne 0 ]
	[ "$(head -1 "$f" | cut -d: -f1)" = MemTotal ]
}

@test "creating, removing and renaming entries is refused (EROFS)" {
	run touch "$MNT/proc/newfile"
	[ "$status" -ne 0 ]
	echo "$output" | grep -q 'Read-only file system'
	run mkdir "$MNT/cgroup/x"
	echo "$output" | grep -q 'Read-only file system'
	run rm -f "$MNT/proc/meminfo"
	[ "$status" -ne 0 ]
	run mv "$MNT/proc/meminfo" "$MNT/proc/m2"
	[ "$status" -ne 0 ]
	run ln -s /etc/passwd "$MNT/proc/link"
	[ "$status" -ne 0 ]
	run mknod "$MNT/proc/fifo" p
	[ "$status" -ne 0 ]
	[ -f "$MNT/proc/meminfo" ] && [ ! -e "$MNT/proc/m2" ] && [ ! -e "$MNT/proc/link" ]
}

@test "the host's CPU files cannot be changed through the mount" {
	cpu=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | tail -1)
	n=${cpu##*/}
	[ -e "$cpu/online" ] || cpu=/sys/devices/system/cpu/cpu0
	before=$(cat "$cpu/online" 2>/dev/null || echo none)
	[ "$(stat -c '%a' "$MNT/sys/devices/system/cpu/$n/online" 2>/dev/null || echo 444)" = 444 ]
	if [ -e "$MNT/sys/devices/system/cpu/$n/online" ]; then
		[ "$(PROBE errno open-wr "$MNT/sys/devices/system/cpu/$n/online")" = EACCES ]
		run sh -c "echo 0 > '$MNT/sys/devices/system/cpu/$n/online'"
		[ "$status" -ne 0 ]
	fi
	[ "$(cat "$cpu/online" 2>/dev/null || echo none)" = "$before" ]
	[ "$(PROBE errno chmod "$MNT/sys/devices/system/cpu/cpu0")" = EPERM ]
}
