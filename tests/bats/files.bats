#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# The mount tree, read semantics, and refusal of every change.

# shellcheck disable=SC2154 # top_builddir, MNT, LOG... come from the helpers
load ../lib/helpers

setup_file() {
	need_root
	start_lxcfs -d # the collector's debug log counts renders
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
	# without --enable-psi-poll (psi.bats) pressure files take no trigger
	for r in cpu io memory; do [ "$(stat -c '%a' "$MNT/proc/pressure/$r")" = 444 ]; done
}

@test "every file reads; meminfo keeps the host's keys in their order" {
	for f in $PROC_FILES pressure/cpu pressure/io pressure/memory; do
		cat "$MNT/proc/$f" > /dev/null
	done
	[ "$(awk -F: '{print $1}' "$MNT/proc/meminfo")" = "$(awk -F: '{print $1}' /proc/meminfo)" ]
	[ "$(head -1 "$MNT/proc/slabinfo")" = "slabinfo - version: 2.1" ]
}

@test "every offset serves the last offset-0 rendering, 0 bytes past the end" {
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

# renders CMD...: how many READ_VFILE the collector answered while CMD ran.
# The collector answers in order and logs each before its reply; a LOOKUP of
# a name that is not there, after CMD, marks the end in the log.
renders() {
	local before lookups _
	before=$(grep -c ' READ_VFILE id ' "$LOG" || true)
	lookups=$(grep -c ' LOOKUP id ' "$LOG" || true)
	"$@" > /dev/null
	refute ls "$MNT/sys/devices/system/cpu/not-there-$RANDOM" 2> /dev/null
	for _ in $(seq 100); do
		[ "$(grep -c ' LOOKUP id ' "$LOG")" -gt "$lookups" ] && break
		sleep 0.1
	done
	[ "$(grep -c ' LOOKUP id ' "$LOG")" -gt "$lookups" ] || { echo "no LOOKUP in $LOG" >&2; return 1; }
	echo $(($(grep -c ' READ_VFILE id ' "$LOG") - before))
}

# uptimes FSPROBE-REREAD-OUTPUT: the first field of renderings A, B and C
uptimes() {
	echo "$1" | awk '/^--- [ABC]$/ {getline; print $1}' | tr '\n' ' '
}

@test "a file kept open and read again from offset 0 is rendered again (uptime advances)" {
	run PROBE reread "$MNT/proc/uptime" 0
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -cEx '[0-9]+\.[0-9]{2} [0-9]+\.[0-9]{2}')" -eq 3 ]
	read -r a b c <<< "$(uptimes "$output")"
	# 100 ms pass between the reads; every offset > 0 agreed with C (probe)
	awk -v a="$a" -v b="$b" -v c="$c" 'BEGIN { exit !(b - a >= 0.09 && c - b >= 0.09 && c - a < 30) }'
}

@test "reads at offsets > 0 after a re-read serve that rendering, for every file" {
	for f in meminfo cpuinfo stat uptime swaps diskstats loadavg partitions slabinfo pressure/cpu; do
		if [ -z "$(head -c1 "/proc/$f")" ]; then
			# a host without disks (the VM lane) has an empty diskstats
			[ -z "$(head -c1 "$MNT/proc/$f")" ]
			continue
		fi
		run PROBE reread "$MNT/proc/$f" 0
		echo "$f: $(echo "$output" | tail -1)"
		[ "$status" -eq 0 ]
		[ "$(echo "$output" | tail -1)" = "--- ok" ]
	done
	run PROBE reread "$MNT/sys/devices/system/cpu/online" 0
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -cx "$(cat "$MNT/sys/devices/system/cpu/online")")" -eq 3 ]
}

@test "the first read after open costs no second render; each read again from offset 0 costs one" {
	# open (1 render), read, end-of-file read
	[ "$(renders cat "$MNT/proc/uptime")" -eq 1 ]
	[ "$(renders cat "$MNT/proc/meminfo" "$MNT/proc/stat")" -eq 2 ]
	[ "$(renders dd if="$MNT/proc/meminfo" bs=7 status=none)" -eq 1 ]
	# open; lseek(0) + read; pread at 0 (then every offset > 0)
	[ "$(renders PROBE reread "$MNT/proc/uptime" 0)" -eq 3 ]
	# open; pread at 0
	[ "$(renders PROBE pread "$MNT/proc/cpuinfo")" -eq 2 ]
}

@test "threads sharing one open and reading it again from offset 0 each get a whole rendering" {
	front=$(child_pid lxcfs-fused)
	for f in uptime meminfo stat cpuinfo; do
		run PROBE threads "$MNT/proc/$f" 300
		echo "$f: $output"
		[ "$status" -eq 0 ]
		[ "$output" = "4 x 300 reads ok" ]
	done
	# a READ that comes while the handle renders again waits for that
	# rendering, so no read costs more than one render
	n=$(renders PROBE threads "$MNT/proc/uptime" 300)
	echo "renders: $n"
	[ "$n" -ge 1 ]
	[ "$n" -le 1201 ]
	[ "$(child_pid lxcfs-fused)" = "$front" ]
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
	# no PSI trigger without --enable-psi-poll: the kernel's answer to a
	# reader without write permission
	f=$MNT/proc/pressure/cpu
	[ "$(PROBE errno open-rw "$f")" = EACCES ]
	[ "$(PROBE errno open-wr "$f")" = EACCES ]
	[ "$(PROBE psipoll "$f" 'some 150000 1000000' 100)" = "open: EACCES" ]
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
