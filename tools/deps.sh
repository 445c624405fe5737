#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Install the Debian packages lxcfs needs: "build" to build and run it,
# "test" to build it and run every test (functional tests, the cgroup v2
# VM lane, shellcheck, mandoc).  Run as root on Debian 12.
set -eu

build="build-essential autoconf automake pkg-config libfuse3-dev fuse3 libseccomp-dev libcap-dev"
test="$build bats procps util-linux sysstat python3 psmisc qemu-system-x86 busybox-static cpio xz-utils shellcheck mandoc valgrind clang-format"

case ${1:-} in
build) pkgs=$build ;;
test) pkgs=$test ;;
*) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=
for p in $pkgs; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing > /dev/null 2>&1 ||
	{ apt-get update -q > /dev/null && apt-get install -y -q --no-install-recommends $missing; }
