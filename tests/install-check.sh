#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# ./configure --prefix=P && make install: the supervisor lands in P/bin,
# the helpers in P/libexec/lxcfs, and the installed supervisor finds them
# (no LXCFS_HELPERDIR) and serves a container-like reader.  Needs root.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/lxcfs-install.XXXXXX)
prefix=$work/prefix
mnt=$work/mnt
cg=lxcfs-install-$$
pid=
cleanup() {
	set +e
	[ -z "$pid" ] || kill "$pid" 2> /dev/null
	wait 2> /dev/null
	umount -l "$mnt" 2> /dev/null
	for _ in $(seq 30); do
		rmdir "/sys/fs/cgroup/memory/$cg" "/sys/fs/cgroup/cpuset/$cg" "/sys/fs/cgroup/$cg" 2> /dev/null
		[ -e "/sys/fs/cgroup/memory/$cg" ] || [ -e "/sys/fs/cgroup/$cg" ] || break
		sleep 0.1
	done
	rm -rf "$work"
	return 0
}
trap cleanup EXIT

mkdir -p "$work/build" "$mnt"
cd "$work/build"
"$src/configure" --prefix="$prefix" > /dev/null
make -j"$(nproc)" > /dev/null
make install > /dev/null
for f in bin/lxcfs libexec/lxcfs/lxcfs-collector libexec/lxcfs/lxcfs-fused share/man/man1/lxcfs.1; do
	[ -e "$prefix/$f" ] || { echo "missing after install: $prefix/$f"; exit 1; }
done
unset LXCFS_HELPERDIR
"$prefix/bin/lxcfs" -f -p "$work/pid" "$mnt" > "$work/log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q " $mnt fuse.lxcfs " /proc/self/mounts && break; sleep 0.1; done
grep -q " $mnt fuse.lxcfs " /proc/self/mounts || { cat "$work/log"; exit 1; }
[ "$(ps -o pid= --ppid "$pid" | wc -l)" -eq 2 ]

if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
	dirs=("/sys/fs/cgroup/$cg")
	mkdir "${dirs[0]}"
	echo 268435456 > "${dirs[0]}/memory.max"
	echo 0 > "${dirs[0]}/cpuset.cpus"
else
	dirs=("/sys/fs/cgroup/memory/$cg" "/sys/fs/cgroup/cpuset/$cg")
	mkdir "${dirs[@]}"
	echo 268435456 > "${dirs[0]}/memory.limit_in_bytes"
	echo 0 > "${dirs[1]}/cpuset.cpus"
	cat /sys/fs/cgroup/cpuset/cpuset.mems > "${dirs[1]}/cpuset.mems"
fi
# shellcheck disable=SC2016
out=$(bash -c 'for d in "$@"; do echo $$ > "$d/cgroup.procs"; done; exec unshare -fp --mount-proc sh -c "grep MemTotal $0/proc/meminfo; grep -c ^processor $0/proc/cpuinfo; cat $0/sys/devices/system/cpu/online"' "$mnt" "${dirs[@]}")
expected=$(printf 'MemTotal:         262144 kB\n1\n0')
[ "$out" = "$expected" ] || { echo "installed lxcfs: got"; echo "$out"; exit 1; }
echo "installed to $prefix: bin/lxcfs + libexec/lxcfs/*; a container sees 262144 kB, 1 CPU, online 0"
