#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The house rules the build alone does not check (run from the source
# tree, after a build in BUILD, default _build):
#   - every C file is formatted as .clang-format says;
#   - the front is compiled without the collector's or the supervisor's
#     headers on its include path, and the collector without the front's;
#   - each cross-process number is defined in exactly one header;
#   - doc/PRIVSEP.md's trusted-code line count is the real one.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
build=${1:-_build}
fail=0
bad() { echo "house-check: $*" >&2; fail=1; }

mapfile -t cfiles < <(git ls-files '*.c' '*.h')
clang-format --dry-run -Werror "${cfiles[@]}" || bad "clang-format: run clang-format -i on the files above"

# the command the build's Makefile compiles OBJECT (from SOURCE) with
compile_cmd() { # OBJECT SOURCE
	make -s -C "$build" -n V=1 -W "$(realpath --relative-to="$build" "$2")" "$1" 2>/dev/null |
		grep -E '(^| )(gcc|cc|clang)( |$)' | head -1
}
check_includes() { # OBJECT SOURCE MUST-HAVE MUST-NOT...
	local obj=$1 src=$2 want=$3 cmd
	shift 3
	cmd=$(compile_cmd "$obj" "$src")
	[ -n "$cmd" ] || { bad "no compile command for $obj"; return; }
	[[ $cmd == *"$want"* ]] || bad "$obj: not built with $want"
	for no in "$@"; do
		[[ $cmd != *"$no"* ]] || bad "$obj: built with $no on its include path"
	done
}
check_includes fused/lxcfs_fused-ops.o fused/ops.c "/fused" "/collector" "/supervisor"
check_includes collector/lxcfs_collector-main.o collector/main.c "/collector" "/fused" "/supervisor"
check_includes supervisor/lxcfs-main.o supervisor/main.c "/supervisor" "/collector" "/fused" "/policy"
check_includes common/libcommon_a-proto.o common/proto.c "/common" "/collector" "/fused" \
	"/supervisor" "/policy"

one_definition() { # REGEX WHAT
	local n
	n=$(git grep -cE "$1" -- '*.c' '*.h' | awk -F: '{s += $2} END {print s + 0}')
	[ "$n" -eq 1 ] || bad "$2 is defined $n times (want once, in common/)"
}
one_definition '#define (LXCFS_)?NS_GET_TGID_FROM_PIDNS' "NS_GET_TGID_FROM_PIDNS"
one_definition '#define SYS_pidfd_open' "SYS_pidfd_open"
one_definition '#define SYS_openat2' "SYS_openat2"
one_definition '#define (LXCFS_)?FUSE_NOTIFY_RESEND' "FUSE_NOTIFY_RESEND"
one_definition '#define COLLECTOR_FD_CHANNEL' "the collector's channel fd"
one_definition '#define COLLECTOR_FD_STATE' "the collector's counter state fd"
one_definition '#define STATESEG_SIZE' "the counter state segment's size"
for fd in FUSED_FD_FUSE FUSED_FD_CHANNEL FUSED_FD_CONTROL; do
	one_definition "#define ${fd}[[:space:]]" "$fd"
done

for f in read_full fd_set_cloexec resolver_free hostdir_free; do
	! git grep -qE "\b$f\(" -- '*.c' '*.h' || bad "$f() is back (dead code)"
done

want=$(cat supervisor/*.[ch] collector/*.[ch] common/*.[ch] policy/*.[ch] | wc -l)
have=$(sed -n 's/.*trusted code.*: \*\*\([0-9]*\) lines\*\*.*/\1/p' doc/PRIVSEP.md | head -1)
[ "$have" = "$want" ] || bad "doc/PRIVSEP.md says ${have:-nothing} lines of trusted code; it is $want"

[ "$fail" -eq 0 ] && echo "house-check: ok"
exit "$fail"
