#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# guest.sh - the test run inside the cgroup v2 VM (see run-in-vm.sh and
# tests/bats/cgroup2-vm.bats). It runs each bats file given (default: every
# tests/bats/*.bats in the payload) with `bats --tap`, one file at a time,
# and prints each file's TAP stream between the lines
#   VMTEST-TAP-BEGIN <file>
#   VMTEST-TAP-END <file> rc=<exit code>
# On a failure it also prints the tail of the log files the tests left in
# their temporary directories (lxcfs's stderr). Exits non-zero if any file
# failed.
set -u

LXCFS_TREE=${LXCFS_TREE:-/opt/lxcfs-test}
export top_builddir=$LXCFS_TREE top_srcdir=$LXCFS_TREE LXCFS_HELPERDIR=$LXCFS_TREE
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# kernel messages would interleave with the TAP on the console; init prints
# them after a failure anyway
echo 1 > /proc/sys/kernel/printk

fail=0
precheck() { echo "vmtest-guest: $*" >&2; fail=1; }
grep -q ' /sys/fs/cgroup cgroup2 ' /proc/self/mounts || precheck "cgroup2 is not mounted at /sys/fs/cgroup"
[ -c /dev/fuse ] || precheck "no /dev/fuse"
grep -q '^nobody:' /etc/passwd || precheck "no nobody user in /etc/passwd"
for b in lxcfs lxcfs-collector lxcfs-fused; do
    [ -x "$LXCFS_TREE/$b" ] || precheck "$LXCFS_TREE/$b missing"
done
command -v bats >/dev/null || precheck "bats missing"
[ "$fail" = 0 ] || exit 1

if [ $# -eq 0 ]; then
    set -- "$LXCFS_TREE"/tests/bats/*.bats
fi
echo "vmtest-guest: $(uname -r), $(nproc) CPUs, $(awk '/^MemTotal:/ {print $2 " kB"}' /proc/meminfo)," \
    "root subtree_control: $(cat /sys/fs/cgroup/cgroup.subtree_control)"

for f in "$@"; do
    case $f in /*) ;; *) f=$LXCFS_TREE/tests/bats/$f ;; esac
    name=${f##*/}
    tmp=/tmp/vmbats-${name%.bats}
    mkdir -p "$tmp"
    t0=$(cut -d' ' -f1 /proc/uptime)
    echo "VMTEST-TAP-BEGIN $name"
    TMPDIR=$tmp bats --tap --timing --no-tempdir-cleanup "$f" 2>&1
    rc=$?
    echo "VMTEST-TAP-END $name rc=$rc"
    echo "vmtest-guest: $name took $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN {printf "%.1f", b - a}')s"
    if [ "$rc" != 0 ]; then
        fail=1
        # lxcfs's stderr (the helpers write it next to each mount point)
        find "$tmp" -xdev -name '*.log' -type f ! -name warnings.log 2>/dev/null | while read -r l; do
            [ -s "$l" ] || continue
            echo "vmtest-guest: ---- $l (last 40 lines) ----"
            tail -n 40 "$l"
        done
    fi
done
exit "$fail"
