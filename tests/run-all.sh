#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Build from a clean tree and run everything CI runs: the unit and
# functional tests (make check, including the cgroup v2 VM lane), the
# sanitizer build of the unit tests, shellcheck, mandoc -Tlint, the house
# rules (tests/house-check.sh: formatting, include paths, one definition
# per contract, the trusted-code count) and make distcheck.  Ends with "N passed, N failed, N skipped".
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
jobs=$(nproc 2>/dev/null || echo 2)
passed=0 failed=0 skipped=0
log=$(mktemp -d /tmp/lxcfs-tests.XXXXXX)

step() { # step NAME CMD...: one pass/fail for a whole command
	local name=$1
	shift
	if "$@" > "$log/$name.log" 2>&1; then
		echo "PASS: $name"
		passed=$((passed + 1))
	else
		echo "FAIL: $name (log: $log/$name.log)"
		tail -n 40 "$log/$name.log"
		failed=$((failed + 1))
	fi
}

count_suite() { # add automake's per-test-case summary of a check log
	local f=$1 p fl e s
	p=$(sed -n 's/^# PASS: *//p' "$f" | tail -1)
	fl=$(sed -n 's/^# FAIL: *//p' "$f" | tail -1)
	e=$(sed -n 's/^# ERROR: *//p' "$f" | tail -1)
	s=$(sed -n 's/^# SKIP: *//p' "$f" | tail -1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${fl:-0} + ${e:-0}))
	skipped=$((skipped + ${s:-0}))
	[ -n "$p" ] || failed=$((failed + 1))
}

# every build is out of tree: _build (the tests), _san (sanitizers), and
# the install check's own; the source tree stays unconfigured
[ ! -f config.status ] || make distclean > /dev/null 2>&1 || rm -f config.status
rm -rf _build _san
step bootstrap autoreconf -fi
mkdir -p _build
cd _build || exit 2
step configure ../configure --enable-werror
step build make -j"$jobs"

make -j"$jobs" check > "$log/check.log" 2>&1
grep -E '^(PASS|FAIL|ERROR|SKIP|XFAIL|XPASS):' "$log/check.log" | grep -v '^PASS' || true
if grep -qE '^(FAIL|ERROR)' "$log/check.log"; then
	# show the failing cases of each failing test file
	grep -E '^(FAIL|ERROR):' "$log/check.log" | awk '{print $2}' | sort -u | while read -r t; do
		[ -f "$t.log" ] && { echo "== $t"; grep -E -A12 '^not ok' "$t.log" | head -80; }
	done
fi
count_suite "$log/check.log"
sed -n '/^# TOTAL/,/^# ERROR/p' "$log/check.log"

# the unit tests again under ASan and UBSan, in a separate build tree, and
# under valgrind (which has no openat2: the fallback walk of collector/fsio.c)
unit="test_proto test_render test_cpuview test_cgroup test_dispatch test_hostdir test_relay test_cpustate test_loadavg test_psi"
unit_tests=$(printf 'tests/unit/%s ' $unit)
step sanitizers bash -c "mkdir ../_san && cd ../_san && ../configure --enable-werror --enable-sanitizers > /dev/null && make -j$jobs check TESTS='$unit_tests' && ! grep -l 'runtime error\|AddressSanitizer' tests/unit/*.log"
step valgrind bash -c "for t in $unit; do LXCFS_FIXTURES=\$PWD/../tests/unit/fixtures valgrind -q --error-exitcode=1 --leak-check=full tests/unit/\$t > /dev/null || exit 1; done"
step install ../tests/install-check.sh
cd .. || exit 2
mapfile -t scripts < <(git ls-files 2>/dev/null | grep -E '(\.sh|\.bash|\.bats|^\.ci/run|run-bats)$')
step shellcheck shellcheck -S warning -s bash "${scripts[@]}"
step mandoc mandoc -Tlint -W warning man/lxcfs.1
step house tests/house-check.sh _build
cd _build || exit 2
step distcheck make -j"$jobs" distcheck TESTS="$unit_tests"

cd .. || exit 2
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
