#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# The functional tests again, on a pure cgroup v2 kernel: Debian 12's kernel
# booted under qemu (TCG) by tests/vm/run-in-vm.sh, with the built binaries,
# bats and the tools the tests use copied in. See tests/vm/README.md.
#
# VMTEST_BATS      the bats files to run in the guest (default below)
# VMTEST_TIMEOUT   limit for the whole VM run in seconds (default 1200)

top_builddir=${top_builddir:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
top_srcdir=${top_srcdir:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}

# The default guest files: the issue checks (acceptance) and the core
# suites: 11.5 minutes under TCG on this 2-core host while another VM ran;
# the cap leaves room for a loaded machine.  tools.bats,
# cpuview.bats, meminfo.bats and io.bats pass in the guest too
# (VMTEST_BATS="tests/bats/tools.bats ..."), but all in one VM exceed the
# lane's limit: they get a second VM of their own next.
GUEST_BATS_DEFAULT="tests/bats/acceptance.bats tests/bats/container.bats tests/bats/stat.bats
	tests/bats/files.bats tests/bats/privsep.bats tests/bats/loadavg.bats"
GUEST_TREE=opt/lxcfs-test   # where the payload's tree lands in the guest

# need_host COMMAND PACKAGE: install PACKAGE with apt-get if COMMAND is missing
need_host() {
	command -v "$1" > /dev/null && return 0
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2 \
		|| { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2; }
	command -v "$1" > /dev/null || { echo "$1 missing after installing $2" >&2; return 1; }
}

# host_tools: the host's programs that the tests and bats use in the guest
# (busybox's applets lack options: GNU tools, procps, sysstat and
# util-linux win)
host_tools() {
	local c
	dpkg -L coreutils findutils grep sed diffutils procps | grep -E '^(/usr)?/s?bin/[^/]+$'
	for c in awk ps free top vmstat uptime unshare nsenter flock setpriv setsid prlimit getopt findmnt \
		mountpoint lsns mount umount lscpu taskset getconf losetup mkswap swapon swapoff \
		mpstat sar iostat sadf; do
		command -v "$c" || { echo "host tool $c missing" >&2; return 1; }
	done
}

# HOST_FILES: host files the guest gets at the same path: sar runs sadc
# from there; top needs the terminfo entry of the guest's TERM (dumb), also
# in batch mode
HOST_FILES=(/usr/lib/sysstat/sadc /lib/terminfo/d/dumb)

# the kernel modules the guest loads beside fuse: loop (swap and disks on
# files in the guest's tmpfs), bfq (io.bats' scheduler)
GUEST_MODULES=(loop bfq)

# make_payload DIR: the guest's additions to its /
make_payload() {
	local p=$1 t=$1/$GUEST_TREE f dst tools
	need_host ps procps
	need_host unshare util-linux
	need_host findmnt util-linux
	need_host mount mount
	need_host lscpu util-linux
	need_host mpstat sysstat
	tools=$(host_tools)
	mkdir -p "$t/tests/bats" "$t/tests/lib" "$t/tests/probe" "$p/usr/bin" "$p/usr/sbin" "$p/usr/lib" "$p/usr/libexec"
	for f in lxcfs lxcfs-collector lxcfs-fused tests/probe/sandbox_probe tests/probe/fsprobe; do
		[ -x "$top_builddir/$f" ] || { echo "$top_builddir/$f is not built (make check builds it)" >&2; return 1; }
		cp "$top_builddir/$f" "$t/$f"
	done
	cp "$top_srcdir"/tests/lib/*.bash "$t/tests/lib/"
	for f in ${VMTEST_BATS:-$GUEST_BATS_DEFAULT}; do
		case $f in /*) ;; *) f=$top_srcdir/$f ;; esac
		[ -f "$f" ] || { echo "bats file $f missing" >&2; return 1; }
		cp "$f" "$t/tests/bats/"
	done
	# bats-core from the host (Debian's package: bin, lib, libexec)
	cp /usr/bin/bats "$p/usr/bin/"
	cp -a /usr/lib/bats-core "$p/usr/lib/"
	cp -a /usr/libexec/bats-core "$p/usr/libexec/"
	while read -r f; do
		case $f in */sbin/*) dst=$p/usr/sbin ;; *) dst=$p/usr/bin ;; esac
		[ -e "$dst/${f##*/}" ] || cp -L "$f" "$dst/"
	done <<< "$tools"
}

@test "the functional tests pass in a pure cgroup v2 VM (qemu TCG, Debian 12 kernel)" {
	if [ "$(id -u)" != 0 ]; then
		[ -z "${CI:-}" ] || { echo "CI runs as root: refusing to skip" >&2; return 1; }
		skip "needs root (installs qemu with apt-get)"
	fi
	command -v dpkg > /dev/null || { echo "needs a Debian host (dpkg, apt-get)" >&2; return 1; }
	[ -x /usr/libexec/bats-core/bats ] || { echo "needs Debian's bats package on the host" >&2; return 1; }

	payload=$BATS_TEST_TMPDIR/payload
	log=$BATS_TEST_TMPDIR/console.log
	out=$BATS_TEST_TMPDIR/run-in-vm.out
	make_payload "$payload"

	guest_files=()
	for f in ${VMTEST_BATS:-$GUEST_BATS_DEFAULT}; do guest_files+=("${f##*/}"); done

	t0=$SECONDS
	rc=0
	opts=()
	for f in "${HOST_FILES[@]}"; do opts+=(-b "$f"); done
	for m in "${GUEST_MODULES[@]}"; do opts+=(-m "$m"); done
	"$top_srcdir/tests/vm/run-in-vm.sh" -t "${VMTEST_TIMEOUT:-1200}" --mem 1024 --smp "${VMTEST_SMP:-2}" -l "$log" "${opts[@]}" \
		"$payload" "$top_srcdir/tests/vm/guest.sh" -- "${guest_files[@]}" > "$out" 2>&1 || rc=$?
	elapsed=$((SECONDS - t0))

	report() { # the guest's TAP as TAP comments, plus timings
		sed -n '/^VMTEST-TAP-BEGIN /,/^VMTEST-TAP-END /p; /^vmtest-guest: /p' "$log" | sed 's/^/# guest: /'
		grep '^run-in-vm.sh: ' "$out" | sed 's/^/# /'
		echo "# VM lane: exit $rc after ${elapsed}s"
	}
	problems=()
	[ "$rc" = 0 ] || problems+=("run-in-vm.sh exited $rc (124 timeout, 125 no exit code from the guest)")
	for f in "${guest_files[@]}"; do
		tap=$(sed -n "/^VMTEST-TAP-BEGIN ${f//./\\.}\$/,/^VMTEST-TAP-END ${f//./\\.} /p" "$log")
		plan=$(echo "$tap" | sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' | head -1)
		oks=$(echo "$tap" | grep -c '^ok ' || true)
		if [ -z "$tap" ]; then
			problems+=("$f: no TAP from the guest")
		elif [ -z "$plan" ] || [ "$plan" -lt 1 ]; then
			problems+=("$f: no test planned")
		elif [ "$oks" != "$plan" ]; then
			problems+=("$f: $oks of $plan tests ok")
		fi
		echo "$tap" | grep -q "^VMTEST-TAP-END $f rc=0\$" || problems+=("$f: bats failed in the guest")
	done
	grep -q '^not ok' "$log" && problems+=("'not ok' in the guest's TAP")

	if [ ${#problems[@]} -gt 0 ]; then
		printf 'FAILED: %s\n' "${problems[@]}"
		echo "---- console transcript and run-in-vm.sh output ----"
		cat "$out"
		return 1
	fi
	report >&3
}
