#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# The CPU view as programs see it: a container (own cgroup, pid and mount
# namespaces) on cpuset 1 of the host, with the mount's files bind-mounted
# over the kernel's as a runtime does (in_runtime), so that a file passed
# through from the host cannot pass.  On hosts with 4 or more CPUs the
# same checks run on cpuset 1,3 too.  doc/FILES.md, "CPU numbering".

# shellcheck disable=SC2154 # top_builddir, MNT, LOG... come from the helpers
load ../lib/helpers

setup_file() {
	need_root
	[ "$(grep -c '^processor' /proc/cpuinfo)" -ge 2 ] || { echo "needs 2 CPUs" >&2; return 1; }
	CG=lxcfs-cpuview-$$
	export CG
}

teardown_file() {
	cg_remove "$CG"
}

setup() {
	fresh_mount
}

# the next start_lxcfs mounts a fresh directory
fresh_mount() {
	# shellcheck disable=SC2034 # start_lxcfs's
	MNT='' PIDFILE='' LOG=''
}

teardown() {
	stop_lxcfs
	test_cg_remove
}

PROBE() { "$top_builddir/tests/probe/fsprobe" "$@"; }

# view_cg CPUS: a cgroup for this test on CPUS, in C
view_cg() {
	test_cg
	cg_set "$C" cpus "$1"
}

# the cpusets to check: 1, and 1,3 where the host has CPU 3
cpusets() {
	echo 1
	[ "$(grep -c '^processor' /proc/cpuinfo)" -lt 4 ] || echo 1,3
}

# list_words LIST: "1,3" -> "1 3"
list_words() { echo "${1//,/ }"; }

# list_cut LIST SET: the CPUs of SET that the kernel list LIST holds
# ("0-3" "1,3" -> 1,3)
list_cut() {
	local r c out=
	for c in $(list_words "$2"); do
		for r in $(list_words "$1"); do
			if [ "$c" -ge "${r%-*}" ] && [ "$c" -le "${r#*-}" ]; then
				out=$out,$c
				break
			fi
		done
	done
	echo "${out#,}"
}

# hexmask LIST: the kernel's mask of LIST without leading zeros ("1,3" -> a)
hexmask() {
	local c v=0
	for c in $(list_words "$1"); do v=$((v | (1 << c))); done
	printf '%x\n' "$v"
}

@test "cpuset 1: cpuinfo shows one processor, numbered 1 (the host's number)" {
	start_lxcfs
	for set in $(cpusets); do
		view_cg "$set"
		run in_runtime "$C" grep '^processor' /proc/cpuinfo
		[ "$status" -eq 0 ]
		want=$(for c in $(list_words "$set"); do printf 'processor\t: %s\n' "$c"; done)
		[ "$output" = "$want" ]
		cg_remove "$C"
	done
}

@test "cpuset 1: the cpu directory has cpu1 only (d_type DT_DIR), cpu0 is not there" {
	start_lxcfs
	for set in $(cpusets); do
		view_cg "$set"
		run in_runtime "$C" "$top_builddir/tests/probe/fsprobe" dtypes /sys/devices/system/cpu
		[ "$status" -eq 0 ]
		[ "$(echo "$output" | grep -E ' cpu[0-9]+$' | sort)" = "$(for c in $(list_words "$set"); do echo "d cpu$c"; done)" ]
		[ "$(echo "$output" | grep -c '^u ')" -eq 0 ]
		run in_runtime "$C" sh -c 'ls /sys/devices/system/cpu | grep -E "^cpu[0-9]+$"'
		[ "$output" = "$(for c in $(list_words "$set"); do echo "cpu$c"; done)" ]
		run in_runtime "$C" ls /sys/devices/system/cpu/cpu0
		[ "$status" -ne 0 ]
		cg_remove "$C"
	done
}

@test "cpuset 1: online, possible, present, enabled say 1; offline is empty; topology and cache lists name CPU 1 only" {
	start_lxcfs
	for set in $(cpusets); do
		view_cg "$set"
		run in_runtime "$C" sh -c 'cd /sys/devices/system/cpu && cat online possible present offline'
		[ "$output" = "$(printf '%s\n%s\n%s\n' "$set" "$set" "$set")" ]
		if [ -e /sys/devices/system/cpu/enabled ]; then
			[ "$(in_runtime "$C" cat /sys/devices/system/cpu/enabled)" = "$set" ]
		fi
		# each visible CPU's lists: the host's, cut to the visible CPUs
		for c in $(list_words "$set"); do
			d=/sys/devices/system/cpu/cpu$c
			want=
			for f in "$d"/topology/*_list "$d"/cache/index*/shared_cpu_list; do
				want="$want${f#"$d"/} $(list_cut "$(cat "$f")" "$set")
"
			done
			# shellcheck disable=SC2016 # expanded by the container's shell
			run in_runtime "$C" sh -c 'for f in "$0"/topology/*_list "$0"/cache/index*/shared_cpu_list; do
				printf "%s %s\n" "${f#"$0"/}" "$(cat "$f")"; done' "$d"
			[ "$status" -eq 0 ]
			echo "$output"
			[ -n "$output" ]
			[ "$output" = "${want%
}" ]
			# the masks: the same CPUs
			for pair in topology/thread_siblings:topology/thread_siblings_list \
				topology/package_cpus:topology/package_cpus_list \
				cache/index0/shared_cpu_map:cache/index0/shared_cpu_list; do
				m=$d/${pair%%:*} l=$d/${pair#*:}
				[ -e "$m" ] || continue
				got=$(in_runtime "$C" cat "$m" | sed 's/^[0,]*//')
				[ "$got" = "$(hexmask "$(list_cut "$(cat "$l")" "$set")")" ]
			done
		done
		cg_remove "$C"
	done
}

@test "cpuset 1: nproc --all, both getconf values, lscpu and os.cpu_count() say 1; the affinity names the same CPU" {
	start_lxcfs
	for set in $(cpusets); do
		n=$(list_words "$set" | wc -w)
		view_cg "$set"
		run in_runtime "$C" sh -c 'nproc --all; getconf _NPROCESSORS_ONLN; getconf _NPROCESSORS_CONF'
		[ "$output" = "$(printf '%s\n%s\n%s' "$n" "$n" "$n")" ]
		run in_runtime "$C" lscpu
		echo "$output" | grep -qE "^CPU\(s\): +$n$"
		echo "$output" | grep -qE "^On-line CPU\(s\) list: +$set$"
		# fsprobe cpucount: Python's os.cpu_count() and sched_getaffinity(0)
		run in_runtime "$C" "$top_builddir/tests/probe/fsprobe" cpucount
		[ "$output" = "$n [${set//,/, }]" ]
		# python3 itself on this host only: the VM lane's payload has no
		# python3 (the probe makes the same two calls there)
		if [ -z "${VMTEST:-}" ]; then
			run in_runtime "$C" python3 -c 'import os; print(os.cpu_count(), sorted(os.sched_getaffinity(0)))'
			[ "$output" = "$n [${set//,/, }]" ]
		fi
		run in_runtime "$C" grep '^Cpus_allowed_list' /proc/self/status
		[ "$output" = "Cpus_allowed_list:	$set" ]
		# a CPU number the view shows is one the kernel takes
		for c in $(list_words "$set"); do in_runtime "$C" taskset -c "$c" true; done
		cg_remove "$C"
	done
}

@test "--enable-flat-topology: cpuset 1 shows as cpu0, processor 0, one single-core package" {
	start_lxcfs --enable-flat-topology
	view_cg 1
	run in_runtime "$C" cat /proc/cpuinfo
	[ "$(echo "$output" | grep '^processor')" = "$(printf 'processor\t: 0')" ]
	if grep -q '^physical id' /proc/cpuinfo; then
		echo "$output" | grep -qx "$(printf 'physical id\t: 0')"
		echo "$output" | grep -qx "$(printf 'siblings\t: 1')"
		echo "$output" | grep -qx "$(printf 'core id\t\t: 0')"
		echo "$output" | grep -qx "$(printf 'cpu cores\t: 1')"
	fi
	run in_runtime "$C" sh -c 'ls /sys/devices/system/cpu | grep -E "^cpu[0-9]+$"'
	[ "$output" = cpu0 ]
	run in_runtime "$C" sh -c 'cd /sys/devices/system/cpu && cat online possible present'
	[ "$output" = "$(printf '0\n0\n0')" ]
	# cpu0 of the view is the host's cpu1 (x86's cpu0 has no online file)
	if [ -e /sys/devices/system/cpu/cpu1/online ]; then
		[ "$(in_runtime "$C" cat /sys/devices/system/cpu/cpu0/online)" = "$(cat /sys/devices/system/cpu/cpu1/online)" ]
	fi
	run in_runtime "$C" sh -c 'cd /sys/devices/system/cpu/cpu0/topology && cat physical_package_id core_id package_cpus_list thread_siblings_list'
	[ "$output" = "$(printf '0\n0\n0\n0')" ]
	run in_runtime "$C" sh -c 'nproc --all; getconf _NPROCESSORS_ONLN; getconf _NPROCESSORS_CONF'
	[ "$output" = "$(printf '1\n1\n1')" ]
	run in_runtime "$C" lscpu
	echo "$output" | grep -qE '^CPU\(s\): +1$'
	echo "$output" | grep -qE '^On-line CPU\(s\) list: +0$'
	echo "$output" | grep -qE '^Socket\(s\): +1$'
}

@test "--enable-cfs: a quota of one CPU on cpuset 0-1 shows one CPU in cpuinfo, online and the cpu directory" {
	start_lxcfs --enable-cfs
	view_cg 0-1
	cg_set "$C" quota 100000 100000
	run in_runtime "$C" grep -c '^processor' /proc/cpuinfo
	[ "$output" = 1 ]
	run in_runtime "$C" sh -c 'cd /sys/devices/system/cpu && cat online possible present; ls | grep -E "^cpu[0-9]+$"'
	[ "$output" = "$(printf '0\n0\n0\ncpu0')" ]
	run in_runtime "$C" sh -c 'getconf _NPROCESSORS_ONLN; getconf _NPROCESSORS_CONF'
	[ "$output" = "$(printf '1\n1')" ]
	run in_runtime "$C" lscpu
	echo "$output" | grep -qE '^CPU\(s\): +1$'
	# what no file can change: the affinity still has both CPUs, and
	# coreutils' nproc --all takes it when the files say 1 or 2 CPUs
	run in_runtime "$C" sh -c 'nproc; nproc --all'
	[ "$output" = "$(printf '2\n2')" ]
}

# pod NAME: a pod cgroup without limits holding NAME/pause (no limits) and
# NAME/app (256 MiB on CPU 1)
pod() {
	P=$CG/t$BATS_TEST_NUMBER
	cg_make "$P/pause"
	cg_make "$P/app"
	cg_set "$P/app" memory 268435456
	cg_set "$P/app" cpus 1
	cg_set_dirs "$P/app"
	APP_DIRS=("${CG_DIRS[@]}")
}

# in_pod: a reader in app, in the pid namespace whose init (the "pause"
# process) stays in pause, prints its MemTotal and processor count
in_pod() {
	cat > "$BATS_TEST_TMPDIR/reader.sh" <<-'EOF'
		mnt=$1
		shift
		for d in "$@"; do echo $$ > "$d/cgroup.procs" || exit 97; done
		awk '/^MemTotal:/ {print $2}' "$mnt/proc/meminfo"
		grep -c '^processor' "$mnt/proc/cpuinfo"
	EOF
	# shellcheck disable=SC2016 # the init runs the reader as its child
	in_cgroup "$P/pause" unshare -fp --mount-proc sh -c '"$@"; rc=$?; exit $rc' _ \
		sh "$BATS_TEST_TMPDIR/reader.sh" "$MNT" "${APP_DIRS[@]}"
}

@test "--pidns-cgroup=auto: a reader in a limited container of a pod whose init (pause) has no limits sees its own limits" {
	host_cpus=$(grep -c '^processor' /proc/cpuinfo)
	pod
	start_lxcfs
	run in_pod
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n%s' "$(host_memtotal)" "$host_cpus")" ] # LXCFS's default: init's
	stop_lxcfs
	fresh_mount
	start_lxcfs --pidns-cgroup=auto
	run in_pod
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '262144\n1')" ]
	# a reader in init's own cgroup keeps init's view
	run in_cgroup "$P/pause" unshare -fp --mount-proc grep -c '^processor' "$MNT/proc/cpuinfo"
	[ "$output" = "$host_cpus" ]
	# once init's cgroup has a limit, init's cgroups count again
	cg_set "$P/pause" memory 536870912
	run in_pod
	[ "$output" = "$(printf '524288\n%s' "$host_cpus")" ]
}

@test "--pidns-cgroup=reader: every reader gets its own cgroups; other values are refused" {
	pod
	cg_set "$P/pause" memory 536870912
	start_lxcfs --pidns-cgroup=reader
	run in_pod
	[ "$output" = "$(printf '262144\n1')" ]
	stop_lxcfs
	run "$LXCFS_BIN" -f -p "$BATS_TEST_TMPDIR/x.pid" --pidns-cgroup=pause "$BATS_TEST_TMPDIR"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "pidns-cgroup takes init, auto or reader"
}
