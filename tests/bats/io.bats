#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# proc/diskstats, proc/partitions and proc/pressure/* in containers: the
# container's counters and pressure, never the host's.  Real cgroups and a
# real loop device; on v1 hosts the blkio counters count only on a device
# with a throttle rule or under bfq, so the tests make both happen.

# shellcheck disable=SC2154 # top_builddir, MNT, LOG... come from the helpers
load ../lib/helpers

setup_file() {
	file_start_lxcfs
	# commands the containers run come from the page cache, not the disk
	cat /dev/null
	dd if=/dev/null of=/dev/null 2> /dev/null
	unshare --help > /dev/null
}

teardown_file() {
	file_stop_lxcfs
}

setup() {
	test_cg
	LOOP=''
	LOOP_SCHED=''
}

teardown() {
	# loop devices outlive their file: leave the scheduler as it was
	[ -z "$LOOP_SCHED" ] || echo "$LOOP_SCHED" > "/sys/block/$LOOP_NAME/queue/scheduler" || true
	[ -z "$LOOP" ] || losetup -d "$LOOP" 2> /dev/null || true
	cg_remove "$C"
}

# make_loop: LOOP=/dev/loopN on a 16 MiB file, LOOP_NAME, LOOP_DEV=MAJ:MIN
make_loop() {
	truncate -s 16M "$BATS_TEST_TMPDIR/disk.img"
	LOOP=$(losetup -f --show "$BATS_TEST_TMPDIR/disk.img")
	LOOP_NAME=${LOOP#/dev/}
	LOOP_DEV=$(cat "/sys/block/$LOOP_NAME/dev")
	[ -n "$LOOP_DEV" ]
}

# the I/O the tests do: 100 direct 4 KiB reads, 10 direct 64 KiB writes
# (status=none: a failing dd still says why)
DO_IO='dd if="$1" of=/dev/null bs=4k count=100 iflag=direct status=none &&
	dd if=/dev/zero of="$1" bs=64k count=10 oflag=direct status=none'

# diskstats_line MAJ MIN NAME COUNTERS...: the kernel's line
diskstats_line() {
	local maj=$1 min=$2 name=$3
	shift 3
	printf '%4d %7d %s' "$maj" "$min" "$name"
	printf ' %s' "$@"
	printf '\n'
}

@test "an idle container's diskstats: the host's devices, every counter 0, never the host's" {
	# the host has lifetime counters (else this test proves nothing): I/O
	# outside the container on a loop device, also where the host has no
	# disk (the VM lane)
	# (a loop device keeps its counters across attachments: compare)
	make_loop
	read -r r0 w0 < <(awk -v n="$LOOP_NAME" '$3 == n { print $4, $8 }' /proc/diskstats)
	sh -c "$DO_IO" _ "$LOOP"
	read -r r1 w1 < <(awk -v n="$LOOP_NAME" '$3 == n { print $4, $8 }' /proc/diskstats)
	[ "$((r1 - r0)) $((w1 - w0))" = "100 10" ]
	# the host's devices before and after the read agree (a device may come
	# and go meanwhile: other tests attach loop devices)
	cat > "$BATS_TEST_TMPDIR/idle.sh" <<-EOS
	for i in 1 2 3 4 5; do
		a=\$(awk '{ print \$1, \$2, \$3, NF }' /proc/diskstats)
		v=\$(cat "$MNT/proc/diskstats") || exit 3
		b=\$(awk '{ print \$1, \$2, \$3, NF }' /proc/diskstats)
		[ "\$a" = "\$b" ] && break
	done
	printf '%s\n' "\$a" > "$BATS_TEST_TMPDIR/host"
	printf '%s\n' "\$v"
	EOS
	run in_container "$C" sh "$BATS_TEST_TMPDIR/idle.sh"
	[ "$status" -eq 0 ]
	# the same devices as the host's file, in its order, with as many fields
	[ "$(echo "$output" | awk '{ print $1, $2, $3, NF }')" = "$(cat "$BATS_TEST_TMPDIR/host")" ]
	echo "$output" | awk '{ for (i = 4; i <= NF; i++) if ($i != 0) { print "counter", i, "of", $3, "is", $i; exit 1 } }'
	# the kernel's columns: "%4d %7d %s" then single spaces
	while read -r maj min name _; do
		line=$(echo "$output" | awk -v n="$name" '$3 == n')
		[ "${line:0:13}" = "$(printf '%4d %7d ' "$maj" "$min")" ]
		echo "$line" | grep -qE '^ *[0-9]+ +[0-9]+ [^ ]+( [0-9]+)+$'
	done < <(echo "$output")
}

@test "a container's own I/O on a device with a throttle rule shows in its diskstats (v1 throttle, v2 io.stat)" {
	make_loop
	if ! cg_v2; then
		# a rule no I/O here reaches: it only makes the kernel count
		echo "$LOOP_DEV 1099511627776" > "$(cg_dir blkio "$C")/blkio.throttle.read_bps_device"
	fi
	# the I/O is done by a child cgroup: the container's counters include it
	cg_make_below "$C/inner"
	run in_cgroup "$C/inner" sh -c "$DO_IO" _ "$LOOP"
	echo "$output"
	[ "$status" -eq 0 ]
	run in_container "$C" cat "$MNT/proc/diskstats"
	[ "$status" -eq 0 ]
	want=$(diskstats_line "${LOOP_DEV%:*}" "${LOOP_DEV#*:}" "$LOOP_NAME" 100 0 800 0 10 0 1280 0 0 0 0 0 0 0 0 0 0)
	got=$(echo "$output" | awk -v n="$LOOP_NAME" '$3 == n')
	echo "want: $want"
	echo "got:  $got"
	[ "$got" = "$want" ]
	# no other device: the container did no I/O there
	echo "$output" | awk -v n="$LOOP_NAME" '$3 != n { for (i = 4; i <= NF; i++) if ($i != 0) exit 1 }'
	# a sibling that did no I/O sees zeros on that device
	cg_make "$CG/t${BATS_TEST_NUMBER}sib"
	run in_container "$CG/t${BATS_TEST_NUMBER}sib" cat "$MNT/proc/diskstats"
	cg_remove "$CG/t${BATS_TEST_NUMBER}sib"
	[ "$(echo "$output" | awk -v n="$LOOP_NAME" '$3 == n { $1 = $2 = $3 = ""; print }' | tr -d ' 0')" = "" ]
}

@test "a device under bfq: the container's requests from the bfq counters" {
	make_loop
	LOOP_SCHED=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "/sys/block/$LOOP_NAME/queue/scheduler")
	echo bfq > "/sys/block/$LOOP_NAME/queue/scheduler"
	grep -q '\[bfq\]' "/sys/block/$LOOP_NAME/queue/scheduler"
	run in_container "$C" sh -c "$DO_IO && cat '$MNT/proc/diskstats'" _ "$LOOP"
	[ "$status" -eq 0 ]
	# v1: bfq counted them (a throttle rule on this device is not needed)
	cg_v2 || grep -qx "$LOOP_DEV Read 100" "$(cg_dir blkio "$C")/blkio.bfq.io_serviced_recursive"
	want=$(diskstats_line "${LOOP_DEV%:*}" "${LOOP_DEV#*:}" "$LOOP_NAME" 100 0 800 0 10 0 1280 0 0 0 0 0 0 0 0 0 0)
	got=$(echo "$output" | awk -v n="$LOOP_NAME" '$3 == n')
	echo "want: $want"
	echo "got:  $got"
	[ "$got" = "$want" ]
}

@test "iostat -p ALL and vmstat -d in a container see its counters, not the host's lifetime ones" {
	make_loop
	cg_v2 || echo "$LOOP_DEV 1099511627776" > "$(cg_dir blkio "$C")/blkio.throttle.read_bps_device"
	# as a runtime does: the files bind-mounted over the container's /proc
	cat > "$BATS_TEST_TMPDIR/tools.sh" <<-EOS
	for f in diskstats partitions uptime; do mount --bind "$MNT/proc/\$f" "/proc/\$f" || exit 3; done
	iostat -d -k -p ALL
	echo ---
	sh -c '$DO_IO' _ "$LOOP" || exit 4
	iostat -d -k -p ALL
	echo ---
	vmstat -d
	EOS
	run in_container "$C" sh "$BATS_TEST_TMPDIR/tools.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	idle=$(echo "$output" | awk '/^---/ { exit } /^Device/ { d = 1; next } d && NF == 8')
	busy=$(echo "$output" | awk '/^---/ { n++; next } n == 1 && /^Device/ { d = 1; next } n == 1 && d && NF == 8')
	vm=$(echo "$output" | awk '/^---/ { n++; next } n == 2')
	# idle: every device of the host, every rate and total 0
	[ "$(echo "$idle" | wc -l)" -eq "$(wc -l < /proc/diskstats)" ]
	[ "$(echo "$idle" | awk '{ $1 = ""; print }' | tr -d ' 0.\n')" = "" ]
	# after the I/O: the loop device's 400 kB read and 640 kB written, nothing else
	[ "$(echo "$busy" | awk -v n="$LOOP_NAME" '$1 == n { print $6, $7, $8 }')" = "400 640 0" ]
	[ "$(echo "$busy" | awk -v n="$LOOP_NAME" '$1 != n { $1 = ""; print }' | tr -d ' 0.\n')" = "" ]
	# vmstat -d: reads total 100, sectors 800; writes total 10, sectors 1280
	[ "$(echo "$vm" | awk -v n="$LOOP_NAME" '$1 == n { print $2, $4, $6, $8 }')" = "100 800 10 1280" ]
}

@test "partitions lists the devices diskstats shows, in the kernel's format" {
	make_loop
	cat > "$BATS_TEST_TMPDIR/parts.sh" <<-EOS
	for i in 1 2 3 4 5; do
		a=\$(cat /proc/partitions); v=\$(cat "$MNT/proc/partitions"); d=\$(cat "$MNT/proc/diskstats"); b=\$(cat /proc/partitions)
		[ "\$a" = "\$b" ] && break
	done
	printf '%s\n' "\$a" > "$BATS_TEST_TMPDIR/host"
	printf '%s\n' "\$v" > "$BATS_TEST_TMPDIR/view"
	printf '%s\n' "\$d" > "$BATS_TEST_TMPDIR/stats"
	EOS
	run in_container "$C" sh "$BATS_TEST_TMPDIR/parts.sh"
	[ "$status" -eq 0 ]
	# every host partition is a device of the host's (and the container's) diskstats
	diff "$BATS_TEST_TMPDIR/host" "$BATS_TEST_TMPDIR/view"
	[ "$(head -2 "$BATS_TEST_TMPDIR/view")" = "$(printf 'major minor  #blocks  name\n\n')" ]
	grep -q " $LOOP_NAME\$" "$BATS_TEST_TMPDIR/view"
	tail -n +3 "$BATS_TEST_TMPDIR/view" | while read -r maj min _ name; do
		awk -v a="$maj" -v b="$min" -v n="$name" '$1 == a && $2 == b && $3 == n { f = 1 } END { exit !f }' "$BATS_TEST_TMPDIR/stats"
	done
}

# pressure_total FILE-TEXT some|full: the total= of that line
pressure_total() {
	echo "$1" | awk -v k="$2" '$1 == k { sub("total=", "", $5); print $5 }'
}

@test "a container's pressure files are its unified cgroup's, in the kernel's format" {
	U=$(cg_dir unified "$C")
	cat > "$BATS_TEST_TMPDIR/psi.sh" <<-EOS
	for r in cpu io memory; do
		cat "$U/\$r.pressure"; echo "=="; cat "$MNT/proc/pressure/\$r"; echo "=="; cat "$U/\$r.pressure"; echo "##"
	done
	EOS
	run in_container "$C" sh "$BATS_TEST_TMPDIR/psi.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	for r in 1 2 3; do
		block=$(echo "$output" | awk -v r="$r" '/^##/ { n++; next } n == r - 1')
		before=$(echo "$block" | awk '/^==/ { n++; next } n == 0')
		view=$(echo "$block" | awk '/^==/ { n++; next } n == 1')
		after=$(echo "$block" | awk '/^==/ { n++; next } n == 2')
		# the kernel's two lines, keys and number formats
		echo "$view" | grep -qxE 'some avg10=[0-9]+\.[0-9]{2} avg60=[0-9]+\.[0-9]{2} avg300=[0-9]+\.[0-9]{2} total=[0-9]+'
		echo "$view" | grep -qxE 'full avg10=[0-9]+\.[0-9]{2} avg60=[0-9]+\.[0-9]{2} avg300=[0-9]+\.[0-9]{2} total=[0-9]+'
		[ "$(echo "$view" | wc -l)" -eq "$(echo "$before" | wc -l)" ]
		for k in some full; do
			b=$(pressure_total "$before" $k) v=$(pressure_total "$view" $k) a=$(pressure_total "$after" $k)
			echo "resource $r $k: cgroup $b <= view $v <= cgroup $a"
			[ "$b" -le "$v" ] && [ "$v" -le "$a" ]
		done
	done
}

@test "CPU pressure elsewhere shows in the host's pressure, not in an idle container's" {
	host0=$(pressure_total "$(cat /proc/pressure/cpu)" some)
	run in_container "$C" cat "$MNT/proc/pressure/cpu"
	[ "$status" -eq 0 ]
	c0=$(pressure_total "$output" some)
	# twice as many spinning tasks as CPUs, for 2 s, in another cgroup
	cg_make "$CG/t${BATS_TEST_NUMBER}busy"
	n=$(($(nproc) * 2))
	in_cgroup "$CG/t${BATS_TEST_NUMBER}busy" sh -c "for i in \$(seq $n); do timeout 2 sh -c 'while :; do :; done' & done; wait"
	host1=$(pressure_total "$(cat /proc/pressure/cpu)" some)
	busy=$(pressure_total "$(cat "$(cg_dir unified "$CG/t${BATS_TEST_NUMBER}busy")/cpu.pressure")" some)
	run in_container "$C" cat "$MNT/proc/pressure/cpu"
	[ "$status" -eq 0 ]
	c1=$(pressure_total "$output" some)
	cg_remove "$CG/t${BATS_TEST_NUMBER}busy"
	echo "host: $host0 -> $host1; busy cgroup: $busy; container: $c0 -> $c1"
	[ "$busy" -gt 0 ]
	[ "$host1" -gt "$host0" ]
	[ $((c1 - c0)) -lt $((host1 - host0)) ]
	[ "$c1" -lt "$host1" ]
}

@test "a reader whose unified cgroup is the root gets the host's pressure files" {
	root=$(cg_dir unified "")
	cat > "$BATS_TEST_TMPDIR/root.sh" <<-EOS
	for r in cpu io memory; do
		cat /proc/pressure/\$r; echo "=="; cat "$MNT/proc/pressure/\$r"; echo "=="; cat /proc/pressure/\$r; echo "##"
	done
	EOS
	# shellcheck disable=SC2016
	run bash -c 'echo $$ > "$1/cgroup.procs" && exec unshare -fp --mount-proc sh "$2"' _ "$root" "$BATS_TEST_TMPDIR/root.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	for r in 1 2 3; do
		block=$(echo "$output" | awk -v r="$r" '/^##/ { n++; next } n == r - 1')
		for k in some full; do
			b=$(pressure_total "$(echo "$block" | awk '/^==/ { n++; next } n == 0')" $k)
			v=$(pressure_total "$(echo "$block" | awk '/^==/ { n++; next } n == 1')" $k)
			a=$(pressure_total "$(echo "$block" | awk '/^==/ { n++; next } n == 2')" $k)
			[ "$b" -le "$v" ] && [ "$v" -le "$a" ]
		done
	done
}
