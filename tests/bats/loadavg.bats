#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# proc/loadavg with -l: per-container load averages, task counts and last
# pid, from real cgroups and real pid namespaces; without -l the host's file.
# Runs on cgroup v1/hybrid hosts and, through cgroup2-vm.bats, on pure v2.

# shellcheck disable=SC2154 # top_builddir, MNT, LOG... come from the helpers
load ../lib/helpers

setup_file() {
	file_start_lxcfs -l -d
}

teardown_file() {
	file_stop_lxcfs
}

teardown() {
	if [ -n "${OFF_PID:-}" ]; then
		MNT=$OFF_MNT LXCFS_PID=$OFF_PID stop_lxcfs
	fi
	test_cg_remove
}

# a container cgroup for this test on CPU 0
container_cg() {
	test_cg
	cg_set "$C" cpus 0
}

# voluntary context switches of the collector (it sleeps in poll or read)
collector_wakeups() {
	awk '$1 == "voluntary_ctxt_switches:" {print $2}' "/proc/$(child_pid lxcfs-collector)/status"
}

# first: before any test reads proc/loadavg through this mount
@test "-l: no wake-up before anyone reads loadavg, one per 5 s tick after" {
	container_cg
	a=$(collector_wakeups)
	sleep 6
	b=$(collector_wakeups)
	echo "idle: $a -> $b"
	[ "$b" -eq "$a" ]
	refute grep -q 'loadavg timer armed' "$LOG"
	in_cgroup "$C" cat "$MNT/proc/loadavg"
	c=$(collector_wakeups)
	sleep 11
	d=$(collector_wakeups)
	echo "sampling: $c -> $d"
	grep 'loadavg' "$LOG"
	# 2 or 3 ticks in 11 s (a tick may also wait on a kernel lock), no more
	[ "$d" -ge $((c + 2)) ] && [ "$d" -le $((c + 12)) ]
	grep -q 'loadavg timer armed' "$LOG"
}

@test "the collector may arm a timer and poll, not create timers" {
	run "$top_builddir/lxcfs-collector" --dump-policy
	[ "$status" -eq 0 ]
	for sc in poll timerfd_settime; do
		echo "$output" | grep -q "^syscall $sc	"
	done
	no_line '^syscall timerfd_create' "$output"
}

# Run as the container's init (bash, pid 1): read loadavg once, start two
# busy loops (pids 2 and 3), then read it every 0.5 s until the 1-minute
# average is above 0.3 or 11 s have passed.  Only builtins in the loop
# (read -t on a fifo sleeps without a process), so the container's tasks
# are exactly unshare (in the cgroup, outside the namespace), bash and the
# two loops.
# shellcheck disable=SC2016
BUSY='
mnt=$1
exec 3<> "$2"
read -r line < "$mnt/proc/loadavg"
echo "first $line"
( while :; do :; done ) &
( while :; do :; done ) &
t0=${EPOCHREALTIME/./}
while :; do
	read -r -t 0.5 -u 3 _ || true
	read -r line < "$mnt/proc/loadavg"
	el=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
	one=${line%% *}
	if [ "${one%.*}" -gt 0 ] || [ "$((10#${one#*.}))" -gt 30 ] || [ "$el" -gt 11000 ]; then
		break
	fi
done
echo "last $line"
echo "elapsed_ms $el"
kill %1 %2
'

@test "-l: a busy container's loadavg rises above 0.3 within 11 s, counting only its own tasks" {
	container_cg
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	run in_container "$C" bash -c "$BUSY" _ "$MNT" "$BATS_TEST_TMPDIR/fifo"
	echo "$output"
	grep 'loadavg' "$LOG" | tail -n 5
	[ "$status" -eq 0 ]
	first=$(echo "$output" | sed -n 's/^first //p')
	last=$(echo "$output" | sed -n 's/^last //p')
	el=$(echo "$output" | sed -n 's/^elapsed_ms //p')
	read -r h1 h5 h15 htasks hlast < /proc/loadavg
	echo "host: $h1 $h5 $h15 $htasks $hlast"
	# first read: a new entry, averages 0; unshare and bash; the init is pid 1
	[[ $first =~ ^0\.00\ 0\.00\ 0\.00\ [0-9]+/2\ 1$ ]]
	# the kernel's format
	[[ $last =~ ^[0-9]+\.[0-9]{2}\ [0-9]+\.[0-9]{2}\ [0-9]+\.[0-9]{2}\ [0-9]+/[0-9]+\ [0-9]+$ ]]
	read -r l1 l5 l15 ltasks llast <<< "$last"
	# above 0.3 within 11 s: two 5 s samples of 2 running tasks give 0.31
	awk -v a="$l1" 'BEGIN { exit !(a > 0.3) }'
	[ "$el" -le 11000 ]
	awk -v a="$l5" -v b="$l15" 'BEGIN { exit !(a > 0 && b > 0 && a < 0.3 && b < 0.3) }'
	# exactly the container's 4 tasks, the 2 loops running (bash may be caught running)
	[ "${ltasks#*/}" -eq 4 ]
	[ "${ltasks%/*}" -eq 2 ] || [ "${ltasks%/*}" -eq 3 ]
	[ "${htasks#*/}" -gt 4 ]
	# the last pid is the container's (its loops are 2 and 3), never a host pid
	[ "$llast" -eq 3 ]
	# the sampler reports its cost per tick
	grep -q 'loadavg tick: .* sampled, .* tasks, .* us' "$LOG"
}

@test "-l: a host reader in a cgroup sees that cgroup's tasks and its own pids" {
	container_cg
	# shellcheck disable=SC2016
	run in_cgroup "$C" bash -c 'read -r line < "$1/proc/loadavg"; echo "$line"; echo "pid $$"' _ "$MNT"
	echo "$output"
	[ "$status" -eq 0 ]
	line=$(echo "$output" | sed -n 1p)
	pid=$(echo "$output" | sed -n 's/^pid //p')
	# one task in the cgroup: the reader, in the host's namespace: its host pid
	[[ $line =~ ^0\.00\ 0\.00\ 0\.00\ [01]/1\ $pid$ ]]
}

@test "-l: a reader in the root cgroup gets the host's file" {
	# the test runner's own cgroup may be any: read from the root of every hierarchy
	cg_set_dirs ""
	# shellcheck disable=SC2016
	run bash -c 'for d in "${@:2}"; do echo $$ > "$d/cgroup.procs"; done
		for _ in $(seq 20); do
			read -r a < "$1/proc/loadavg"; read -r b < /proc/loadavg
			[ "$a" = "$b" ] && { echo "same: $a"; exit 0; }
		done
		echo "differ: $a / $b"; exit 1' _ "$MNT" "${CG_DIRS[@]}"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "without -l, proc/loadavg is the host's file" {
	container_cg
	OFF_MNT=$(mktemp -d "$BATS_TEST_TMPDIR/mnt.XXXXXX")
	MNT=$OFF_MNT PIDFILE=$OFF_MNT.pid LOG=$OFF_MNT.log start_lxcfs
	OFF_PID=$LXCFS_PID
	# shellcheck disable=SC2016
	# the same averages and task total as the kernel's own file in the
	# container (its running count flickers, its last pid is the namespace's)
	run in_container "$C" bash -c 'for _ in $(seq 20); do
			read -r a1 a5 a15 at _ < "$1/proc/loadavg"
			read -r b1 b5 b15 bt _ < /proc/loadavg
			[ "$a1 $a5 $a15 ${at#*/}" = "$b1 $b5 $b15 ${bt#*/}" ] &&
				{ echo "same: $a1 $a5 $a15 $at"; exit 0; }
		done
		echo "differ: $a1 $a5 $a15 $at / $b1 $b5 $b15 $bt"; exit 1' _ "$OFF_MNT"
	echo "$output"
	[ "$status" -eq 0 ]
	# the host's task count, not the container's handful
	tasks=$(echo "$output" | awk '{print $5}')
	[ "${tasks#*/}" -gt 10 ]
}
