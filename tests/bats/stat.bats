#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# proc/stat and proc/uptime of a container on CPU 0 with a 50 % quota:
# the container's own lines, ticks that follow its busy loop, and counters
# that never go backwards: over 1,000 reads, across a collector killed with
# SIGKILL and across cpuset changes.  Runs on cgroup v1/hybrid hosts and,
# through cgroup2-vm.bats, on pure v2.

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

# a container cgroup for this test on CPU 0 with a 50 % quota
container_cg() {
	test_cg
	cg_set "$C" cpus 0
	cg_set "$C" quota 50000 100000
}

# user + system of the "cpu" line of a stat text
busy_ticks() { awk '$1 == "cpu" {print $2 + $4}' <<< "$1"; }

# monotonic FILE: the samples in FILE (separated by "--" lines) never go
# backwards: each field of each line, compared with the same line's last
# sample (but the two gauges, procs_running and procs_blocked).  Prints
# how many samples it compared.
monotonic() {
	awk '
		$1 == "--" { n++; next }
		$1 == "procs_running" || $1 == "procs_blocked" { next }
		{
			key = ($1 ~ /^[0-9.]+$/) ? "uptime" : $1
			start = (key == "uptime") ? 1 : 2
			for (i = start; i <= NF; i++) {
				k = key SUBSEP i
				if ((k in last) && $i + 0 < last[k] + 0) {
					printf "sample %d: %s field %d went back: %s -> %s\n", n, key, i, last[k], $i
					bad = 1
				}
				last[k] = $i
			}
		}
		END { print n " samples"; exit bad }' "$1"
}

# samples FILE: how many samples FILE has (0 before it exists)
samples() {
	local n=0
	if [ -f "$1" ]; then n=$(grep -c '^--$' "$1" || true); fi
	echo "${n:-0}"
}

# wait_samples FILE N: until FILE has N more samples than now (at most 20 s)
wait_samples() {
	local want _
	want=$(( $(samples "$1") + $2 ))
	for _ in $(seq 400); do
		[ "$(samples "$1")" -ge "$want" ] && return 0
		sleep 0.05
	done
	echo "wait_samples: $1 did not reach $want samples" >&2
	return 1
}

@test "stat: one cpuN line, every other line, the busy loop's ticks" {
	container_cg
	# shellcheck disable=SC2016
	run in_container "$C" sh -c 'cat "$1/proc/stat"; echo --; timeout 3 sh -c "while :; do :; done"; cat "$1/proc/stat"' _ "$MNT"
	[ "$status" -eq 0 ]
	before=$(sed -n '1,/^--$/p' <<< "$output" | sed '$d')
	after=$(sed -n '/^--$/,$p' <<< "$output" | sed 1d)
	echo "$before"
	[ "$(awk '{print $1}' <<< "$before" | tr '\n' ' ')" = "cpu cpu0 intr ctxt btime processes procs_running procs_blocked softirq " ]
	[ "$(awk '{print $1}' <<< "$after" | tr '\n' ' ')" = "cpu cpu0 intr ctxt btime processes procs_running procs_blocked softirq " ]
	# ten columns on the cpu lines, as the kernel prints them
	[ "$(awk '$1 ~ /^cpu/ && NF != 11' <<< "$before")" = "" ]
	grep -q '^cpu  [0-9]' <<< "$before"
	[ "$(grep '^btime' <<< "$before")" = "$(grep '^btime' /proc/stat)" ]
	# the container's own ticks, not the host's lifetime ones
	[ "$(busy_ticks "$before")" -lt 1000 ]
	added=$(( $(busy_ticks "$after") - $(busy_ticks "$before") ))
	echo "a 3 s busy loop at a 50 % quota added $added ticks"
	[ "$added" -ge 80 ] && [ "$added" -le 250 ]
	# cpu0 carries the same time as the total (one CPU)
	cpu0=$(awk '$1 == "cpu0" {print $2 + $4}' <<< "$after")
	[ "$cpu0" -le "$(busy_ticks "$after")" ] && [ "$cpu0" -ge $(( $(busy_ticks "$after") - 100 )) ]
}

@test "1,000 reads of stat and of uptime never go backwards, field by field" {
	container_cg
	out=$BATS_TEST_TMPDIR
	# shellcheck disable=SC2016
	# fresh opens from one process (a fork and exec each would take minutes
	# in the v2 VM lane's emulated CPU); 1 ms of busy CPU after each read
	# makes the counters move
	run in_container "$C" sh -c '
		"$3" dump "$1/proc/stat" 1000 1000 > "$2/stat.log" &&
		"$3" dump "$1/proc/uptime" 1000 1000 > "$2/uptime.log" &&
		# uptime, stat, uptime: stat idle lies between the two
		cat "$1/proc/uptime" "$1/proc/stat" "$1/proc/uptime" > "$2/agree.log"' _ "$MNT" "$out" \
		"$top_builddir/tests/probe/fsprobe"
	[ "$status" -eq 0 ]
	run monotonic "$out/stat.log"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "1000 samples" ]
	run monotonic "$out/uptime.log"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "1000 samples" ]
	[ "$(grep -c '^cpu[0-9]' "$out/stat.log")" -eq 1000 ]
	# idle never above uptime x 1 CPU; the counters moved
	awk '$1 != "--" && $2 > $1 + 0.001 { print "idle above uptime: " $0; bad = 1 } END { exit bad }' "$out/uptime.log"
	first=$(head -1 "$out/uptime.log") last=$(tail -2 "$out/uptime.log" | head -1)
	echo "uptime: $first ... $last"
	awk -v a="${first% *}" -v b="${last% *}" 'BEGIN { exit !(b > a) }'
	[ "$(busy_ticks "$(tail -10 "$out/stat.log")")" -gt "$(busy_ticks "$(head -10 "$out/stat.log")")" ]
	# uptime's idle is stat's: read in between, it lies in between
	cat "$out/agree.log"
	awk 'NR == 1 { lo = $2 * 100; next } $1 == "cpu" { s = $5 } /^[0-9.]+ [0-9.]+$/ { hi = $2 * 100 }
		END { exit !(lo <= s + 0.5 && s <= hi + 0.5) }' "$out/agree.log"
}

@test "counters grow and never go back across a collector SIGKILL and cpuset 0 -> 0-1 -> 0" {
	container_cg
	out=$BATS_TEST_TMPDIR
	stop=$out/stop
	# shellcheck disable=SC2016
	in_container "$C" sh -c '
		sh -c "while :; do :; done" & busy=$!
		while [ ! -e "$3" ]; do
			cat "$1/proc/stat" >> "$2/stat.log" || echo FAILED >> "$2/stat.log"; echo -- >> "$2/stat.log"
			cat "$1/proc/uptime" >> "$2/uptime.log" || echo FAILED >> "$2/uptime.log"; echo -- >> "$2/uptime.log"
			sleep 0.05
		done
		kill $busy' _ "$MNT" "$out" "$stop" &
	reader=$!
	wait_samples "$out/stat.log" 5
	old=$(child_pid lxcfs-collector)
	kill -KILL "$old"
	for _ in $(seq 100); do
		new=$(child_pid lxcfs-collector)
		[ -n "$new" ] && [ "$new" != "$old" ] && break
		sleep 0.05
	done
	[ -n "$new" ] && [ "$new" != "$old" ]
	wait_samples "$out/stat.log" 5
	cg_set "$C" cpus 0-1
	for _ in $(seq 200); do grep -q '^cpu1 ' "$out/stat.log" && break; sleep 0.05; done
	wait_samples "$out/stat.log" 5
	cg_set "$C" cpus 0
	wait_samples "$out/stat.log" 5
	touch "$stop"
	wait "$reader"
	grep -q "collector (pid $old) was killed by signal 9" "$LOG"
	refute grep -q FAILED "$out/stat.log" "$out/uptime.log"
	run monotonic "$out/stat.log"
	echo "$output"
	[ "$status" -eq 0 ]
	run monotonic "$out/uptime.log"
	echo "$output"
	[ "$status" -eq 0 ]
	# the cpuset change was seen: cpu1 came and went
	grep -q '^cpu1 ' "$out/stat.log"
	first=$(sed -n '1,/^--$/p' "$out/stat.log") last=$(tac "$out/stat.log" | sed -n '2,/^--$/p' | tac)
	[ "$(grep -c '^cpu[0-9]' <<< "$last")" -eq 1 ]
	# and the counters kept growing (the busy loop ran all along)
	echo "first: $(grep "^cpu " <<< "$first"); last: $(grep "^cpu " <<< "$last")"
	[ "$(busy_ticks "$last")" -gt $(( $(busy_ticks "$first") + 50 )) ]
	[ "$(awk '$1 == "cpu" {print $5}' <<< "$last")" -gt "$(awk '$1 == "cpu" {print $5}' <<< "$first")" ]
}
