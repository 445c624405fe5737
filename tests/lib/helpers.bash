# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared helpers of the functional tests.  They work on cgroup v1 (and
# hybrid) and pure cgroup v2 hosts alike; every test that touches cgroups,
# namespaces or FUSE needs root (CI runs as root: nothing may skip there).

top_builddir=${top_builddir:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
top_srcdir=${top_srcdir:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
export LXCFS_HELPERDIR=${LXCFS_HELPERDIR:-$top_builddir}
LXCFS_BIN=${LXCFS_BIN:-$top_builddir/lxcfs}
CGROOT=/sys/fs/cgroup

need_root() {
	if [ "$(id -u)" != 0 ]; then
		[ -z "${CI:-}" ] || { echo "CI runs as root: refusing to skip" >&2; return 1; }
		skip "needs root"
	fi
	[ -c /dev/fuse ] || { echo "no /dev/fuse" >&2; return 1; }
}

cg_v2() { [ -f "$CGROOT/cgroup.controllers" ]; }

# cg_set_dirs NAME: CG_DIRS=(the directories of NAME, one per hierarchy we
# use).  An array, because cgroup names may hold spaces and newlines.  On
# v1 hosts also blkio and the unified tree (hybrid: PSI lives there), as
# container runtimes join every hierarchy.
cg_set_dirs() {
	if cg_v2; then
		CG_DIRS=("$CGROOT/$1")
	else
		CG_DIRS=("$CGROOT/memory/$1" "$CGROOT/cpuset/$1" "$CGROOT/cpu/$1" "$CGROOT/cpuacct/$1")
		[ ! -d "$CGROOT/blkio" ] || CG_DIRS+=("$CGROOT/blkio/$1")
		[ ! -d "$CGROOT/unified" ] || CG_DIRS+=("$CGROOT/unified/$1")
	fi
}

# cg_dir CONTROLLER NAME: the directory of NAME that serves CONTROLLER
# (blkio, unified, memory...): v2 has one for all
cg_dir() {
	if cg_v2; then echo "$CGROOT/$2"; else echo "$CGROOT/$1/$2"; fi
}

# cg_make NAME: create NAME (and its parents) in every hierarchy we use
cg_make() {
	local d
	cg_set_dirs "$1"
	for d in "${CG_DIRS[@]}"; do mkdir -p -- "$d" || return 1; done
	if cg_v2; then
		cg_v2_enable "$1"
	else
		# v1 cpuset: a new cgroup has empty cpus/mems and takes no task until set
		cg_v1_cpuset_fill "$1"
	fi
}

# cg_make_below NAME: create NAME below a container's cgroup that holds (or
# will hold) tasks, with its parents.  v2 enables no controller in the
# parents below the container's (the "no internal processes" rule: a
# cgroup with controllers in cgroup.subtree_control takes no task, EBUSY),
# so NAME's usage counts in the container's files there; v1 makes it in
# every hierarchy, as cg_make
cg_make_below() {
	if cg_v2; then mkdir -p -- "$CGROOT/$1"; else cg_make "$1"; fi
}

# split_path PATH: PARTS=(its components)
split_path() {
	local part
	PARTS=()
	while IFS= read -r -d / part; do
		[ -n "$part" ] && PARTS+=("$part")
	done < <(printf '%s/' "$1")
}

# v2: enable the controllers in every ancestor's subtree_control
cg_v2_enable() {
	local part parent=$CGROOT
	split_path "$1"
	for part in "${PARTS[@]}"; do
		echo "+memory +cpu +cpuset" > "$parent/cgroup.subtree_control" 2>/dev/null || true
		# alone: a kernel without io would refuse the whole line above
		echo "+io" > "$parent/cgroup.subtree_control" 2>/dev/null || true
		parent=$parent/$part
	done
}

cg_v1_cpuset_fill() {
	local dir=$CGROOT/cpuset parent part f
	split_path "$1"
	for part in "${PARTS[@]}"; do
		parent=$dir
		dir=$dir/$part
		# cgroupfs files report size 0: test the content, not -s
		for f in cpuset.cpus cpuset.mems; do
			[ -n "$(cat "$dir/$f")" ] || cat "$parent/$f" > "$dir/$f" || return 1
		done
	done
}

# cg_set NAME memory BYTES | swap BYTES | cpus LIST | quota QUOTA PERIOD
# (swap: BYTES of swap on top of the memory limit, so set memory first; v1
# needs swap accounting: memory.memsw.* files)
cg_set() {
	local name=$1 what=$2 mem
	case $what in
	memory)
		if cg_v2; then echo "$3" > "$CGROOT/$name/memory.max"
		else echo "$3" > "$CGROOT/memory/$name/memory.limit_in_bytes"; fi ;;
	swap)
		if cg_v2; then echo "$3" > "$CGROOT/$name/memory.swap.max"
		else
			mem=$(cat "$CGROOT/memory/$name/memory.limit_in_bytes") || return 1
			echo $((mem + $3)) > "$CGROOT/memory/$name/memory.memsw.limit_in_bytes"
		fi ;;
	cpus)
		if cg_v2; then echo "$3" > "$CGROOT/$name/cpuset.cpus"
		else echo "$3" > "$CGROOT/cpuset/$name/cpuset.cpus"; fi ;;
	quota)
		if cg_v2; then echo "$3 $4" > "$CGROOT/$name/cpu.max"
		else echo "$4" > "$CGROOT/cpu/$name/cpu.cfs_period_us"; echo "$3" > "$CGROOT/cpu/$name/cpu.cfs_quota_us"; fi ;;
	*) echo "cg_set: unknown $what" >&2; return 1 ;;
	esac
}

# cg_cpu_ticks NAME: the CPU time NAME's tasks used, in USER_HZ ticks
# (v2 cpu.stat usage_usec, v1 cpuacct.usage in ns)
cg_cpu_ticks() {
	local hz
	hz=$(getconf CLK_TCK)
	if cg_v2; then
		awk -v hz="$hz" '$1 == "usage_usec" { printf "%d\n", $2 * hz / 1000000 }' "$CGROOT/$1/cpu.stat"
	else
		awk -v hz="$hz" '{ printf "%d\n", $1 * hz / 1000000000 }' "$CGROOT/cpuacct/$1/cpuacct.usage"
	fi
}

# cg_enter NAME PID
cg_enter() {
	local d
	cg_set_dirs "$1"
	for d in "${CG_DIRS[@]}"; do echo "$2" > "$d/cgroup.procs"; done
}

# cg_remove NAME...: remove the cgroups and everything below them
cg_remove() {
	local n d
	for n in "$@"; do
		cg_set_dirs "$n"
		for d in "${CG_DIRS[@]}"; do
			# -execdir: relative names, so paths longer than PATH_MAX go too;
			# retry while the last tasks of a test are still exiting
			for _ in $(seq 30); do
				[ -d "$d" ] || break
				find "$d" -depth -type d -execdir rmdir {} + 2>/dev/null || sleep 0.1
			done
		done
	done
}

# in_cgroup NAME CMD...: run CMD in cgroup NAME (host pid namespace)
in_cgroup() {
	local name=$1
	shift
	cg_set_dirs "$name"
	# shellcheck disable=SC2016
	bash -c 'p=$$ n=$1; shift
		while [ "$n" -gt 0 ]; do echo "$p" > "$1/cgroup.procs" || exit 97; shift; n=$((n - 1)); done
		exec "$@"' _ "${#CG_DIRS[@]}" "${CG_DIRS[@]}" "$@"
}

# in_container NAME CMD...: CMD as the init of a new pid namespace (with
# its own /proc) in cgroup NAME, like a container's process
in_container() {
	local name=$1
	shift
	in_cgroup "$name" unshare -fp --mount-proc "$@"
}

# The files a runtime bind-mounts from the mount over the container's /proc
# (LXC's mount hook: each one the container's /proc has; docker -v: a list)
RUNTIME_PROC_FILES="cpuinfo diskstats loadavg meminfo partitions slabinfo stat swaps uptime"

# in_runtime NAME CMD...: what a container runtime that uses lxcfs makes:
# CMD as the init of a new pid and mount namespace in cgroup NAME, with its
# own /proc, and $MNT's files bind-mounted over /proc/{$RUNTIME_PROC_FILES},
# /proc/pressure/* (where the host has /proc/pressure) and
# /sys/devices/system/cpu, so that real tools read our files at their usual
# paths.  The bind mounts stay in CMD's mount namespace.  mount(2) by
# "fsprobe runtime", which then execs CMD: a mount(8) per file would cost a
# second per container in the VM lane's emulated CPU.
in_runtime() {
	local name=$1
	shift
	[ -n "${MNT:-}" ] || { echo "in_runtime: no \$MNT (start_lxcfs first)" >&2; return 1; }
	in_cgroup "$name" unshare --fork --pid --mount --mount-proc --propagation private \
		"$top_builddir/tests/probe/fsprobe" runtime "$MNT" "$RUNTIME_PROC_FILES" "$@"
}

# start_lxcfs [OPTIONS...]: mount on $MNT (a fresh directory), pidfile $PIDFILE
start_lxcfs() {
	MNT=${MNT:-$(mktemp -d "${BATS_FILE_TMPDIR:-/tmp}/mnt.XXXXXX")}
	PIDFILE=${PIDFILE:-$MNT.pid}
	LOG=${LOG:-$MNT.log}
	"$LXCFS_BIN" -f -p "$PIDFILE" "$@" "$MNT" > "$LOG" 2>&1 &
	LXCFS_PID=$!
	wait_mounted "$MNT" || { cat "$LOG" >&2; return 1; }
	export MNT PIDFILE LOG LXCFS_PID
}

wait_mounted() {
	local _
	for _ in $(seq 100); do
		if grep -q " $1 fuse.lxcfs " /proc/self/mounts && head -c1 "$1/proc/uptime" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

stop_lxcfs() {
	[ -n "${LXCFS_PID:-}" ] || return 0
	kill -TERM "$LXCFS_PID" 2>/dev/null || true
	local _
	for _ in $(seq 50); do kill -0 "$LXCFS_PID" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$LXCFS_PID" 2>/dev/null || true
	umount -l "$MNT" 2>/dev/null || true
	LXCFS_PID=
}

# Files with one mount and one parent cgroup, $CG, for all their tests,
# each test in a cgroup of its own below it ($CG/t<test number>):
#   setup_file() { file_start_lxcfs [OPTIONS...]; }  root, CG, start_lxcfs
#   teardown_file() { file_stop_lxcfs; }             unmount, remove $CG
#   teardown() { test_cg_remove; }
# and test_cg to make this test's cgroup, in C.
file_start_lxcfs() {
	need_root
	CG=lxcfs-test-$$
	export CG
	start_lxcfs "$@"
}

file_stop_lxcfs() {
	stop_lxcfs
	cg_remove "$CG"
}

test_cg() {
	C=$CG/t$BATS_TEST_NUMBER
	cg_make "$C"
}

test_cg_remove() { cg_remove "$CG/t$BATS_TEST_NUMBER"; }

# children of the supervisor: "pid name" lines
lxcfs_children() {
	ps -o pid=,comm= --ppid "$LXCFS_PID"
}

child_pid() { # child_pid lxcfs-collector|lxcfs-fused
	lxcfs_children | awk -v n="${1:0:15}" '$2 == n {print $1}'
}

host_memtotal() { awk '/^MemTotal:/ {print $2}' /proc/meminfo; }

# field FILE KEY: the value of "KEY: value kB"
field() { awk -v k="$2:" '$1 == k {print $2}' "$1"; }

# refute CMD...: fail when CMD succeeds (a bare "! cmd" does not fail a
# bats test: set -e ignores negated commands)
refute() {
	if "$@"; then
		echo "refute: '$*' succeeded" >&2
		return 1
	fi
	return 0
}

# no_line REGEX TEXT: TEXT has no line matching REGEX (extended)
no_line() {
	if printf '%s\n' "$2" | grep -qE -- "$1"; then
		echo "unexpected line matching '$1'" >&2
		return 1
	fi
}

# swap_on MIB: switch on a swap area of MIB MiB for the tests: a swapfile
# (dd, mkswap, swapon) in $BATS_FILE_TMPDIR.  Where that file system cannot
# hold swap (the VM lane's root and /tmp are tmpfs: swapon fails with
# EINVAL), the same file goes on over a loop device, as a disk would.
# SWAP_FILE is the file, SWAP_DEV what swapon took (the file or /dev/loopN),
# SWAP_LOOP the loop device or ''.  /proc/swaps then shows MIB * 1024 - 4 kB
# (the header page).  swap_off undoes it.
swap_on() {
	SWAP_FILE=$(mktemp "${BATS_FILE_TMPDIR:-/tmp}/swapfile.XXXXXX") || return 1
	SWAP_LOOP=''
	dd if=/dev/zero of="$SWAP_FILE" bs=1M count="$1" status=none || return 1
	chmod 600 "$SWAP_FILE"
	mkswap -q "$SWAP_FILE" || return 1
	if swapon "$SWAP_FILE" 2> /dev/null; then
		SWAP_DEV=$SWAP_FILE
	else
		SWAP_LOOP=$(losetup -f --show "$SWAP_FILE") || return 1
		SWAP_DEV=$SWAP_LOOP
		swapon "$SWAP_DEV" || return 1
	fi
	export SWAP_FILE SWAP_DEV SWAP_LOOP
}

swap_off() {
	[ -n "${SWAP_FILE:-}" ] || return 0
	swapoff "$SWAP_DEV" 2> /dev/null || true
	[ -z "${SWAP_LOOP:-}" ] || losetup -d "$SWAP_LOOP" 2> /dev/null || true
	rm -f "$SWAP_FILE"
	SWAP_FILE='' SWAP_DEV='' SWAP_LOOP=''
}

# v1 swap accounting (memory.memsw.*) is there, or say why not; v2 always has it
need_swap_accounting() {
	cg_v2 || [ -e "$CGROOT/memory/memory.memsw.limit_in_bytes" ] ||
		{ echo "no v1 swap accounting (swapaccount=0?)" >&2; return 1; }
}

# between X LO HI: LO <= X <= HI (decimals)
between() {
	awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x != "" && x + 0 >= lo && x + 0 <= hi) }' ||
		{ echo "$1 is not in [$2, $3]" >&2; return 1; }
}

# ran_ok: the command "run --separate-stderr" ran succeeded and wrote
# nothing to stderr (a tool's parse errors go there).  One function: "a &&
# b" in a test only fails the test when b fails
ran_ok() {
	# shellcheck disable=SC2154 # bats's run sets status and stderr
	[ "$status" -eq 0 ] || { echo "exit status $status" >&2; return 1; }
	[ -z "$stderr" ] || { echo "stderr: $stderr" >&2; return 1; }
}

# busy_runtime NAME CMD...: CMD as the init of a runtime's container in
# cgroup NAME (in_runtime), with a busy loop beside it
busy_runtime() {
	local name=$1
	shift
	# shellcheck disable=SC2016
	in_runtime "$name" bash -c 'sh -c "while :; do :; done" & sleep 0.5; exec "$@"' busy "$@"
}
