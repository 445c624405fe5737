#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# run-in-vm.sh - boot Debian 12's kernel with a pure cgroup v2 hierarchy and
# FUSE under qemu (TCG software emulation; KVM only when asked for) with a
# tiny busybox initramfs, run a test script in it as root, stream the serial
# console, and exit with the test script's exit code.
#
# Usage: run-in-vm.sh [options] PAYLOAD_DIR TEST_SCRIPT [-- TEST_ARGS...]
# Run with --help for details; tests/vm/README.md says how the lane uses it.
set -uo pipefail

PROG=${0##*/}

usage() {
    cat <<'EOF'
Usage: run-in-vm.sh [options] PAYLOAD_DIR TEST_SCRIPT [-- TEST_ARGS...]

Boots a Debian 12 kernel (what linux-image-amd64 depends on) in qemu with a
busybox initramfs and runs TEST_SCRIPT in it as root. The guest has a pure
cgroup v2 hierarchy (cgroup_no_v1=all) at /sys/fs/cgroup with every controller
enabled in the root's cgroup.subtree_control, and /dev/fuse (fuse.ko loaded).

  PAYLOAD_DIR   directory copied into the guest's / as it is
                (PAYLOAD_DIR/usr/bin/x -> /usr/bin/x); '-' for none. The
                shared libraries of every executable in it are added (ldd).
  TEST_SCRIPT   run through its #! line (default /bin/sh = dash) in /vmtest,
                stdin /dev/null, stdout/stderr on the console. Its exit code
                is this script's exit code.
  TEST_ARGS     passed to TEST_SCRIPT.

Options:
  -b, --bin PATH      add host file PATH at the same path in the guest, plus
                      its shared libraries (repeatable)
  -m, --module NAME   load kernel module NAME (and the modules it depends on)
                      in the guest before the test, after fuse (repeatable)
  -t, --timeout SEC   hard wall-clock limit for qemu (default 120, min 10).
                      The guest kills the test SEC-15 s after it started
                      (SEC/2 if SEC < 30) and prints ps and dmesg.
  -l, --log FILE      save the console transcript to FILE
  -q, --quiet         do not stream the console (printed anyway on failure)
      --mem MB        guest memory (default 1024)
      --smp N         guest CPUs (default 2)
      --append STR    extra kernel command line
      --dmesg         print the kernel messages logged while the test ran
                      (printed anyway when it fails)
      --kernel-msgs   do not pass 'quiet' (kernel boot log on the console)
      --keep          keep the work directory (initramfs tree) and say where
  -h, --help

Environment:
  VMTEST_CACHE        kernel cache (default /var/tmp/lxcfs-vmtest-cache)
  VMTEST_KERNEL_PKG   Debian kernel package (default: what linux-image-amd64
                      depends on; downloaded once, then used without apt)
  VMTEST_ACCEL        tcg (default) or kvm. KVM is never picked on its own:
                      on the dev machines /dev/kvm opens but a guest under it
                      hangs in early boot (nested, no vmx/svm).

Guest: / is a bind mount of the initramfs (so pivot_root works); /proc /sys
/dev /dev/pts /dev/shm /run /tmp are mounted (/dev/fd too); cgroup2 with nsdelegate,
memory_recursiveprot; / is rshared; lo is up; /etc/passwd has root and
nobody, /etc/hostname and /etc/hosts exist (unless the payload brings its
own); VMTEST=1. Tools: dash as /bin/sh,
bash, and busybox applets as links in /usr/bin (a payload file at the same
path wins).

Exit status: the test's exit code; 124 on a timeout (host or guest); 125 when
the VM reported no exit code (boot failure, kernel panic, init died); 126 for
usage and setup errors (e.g. qemu missing and not installable).
EOF
}

die() { echo "$PROG: $*" >&2; exit 126; }
note() { echo "$PROG: $*" >&2; }

# ---------------------------------------------------------------- arguments
BINS=(/bin/bash)
MODULES=(fuse)
TIMEOUT=120
LOGFILE=
QUIET=0
MEM=1024
SMP=2
APPEND_EXTRA=
DMESG=0
KMSGS=0
KEEP=0

need_arg() { [ "$1" -ge 2 ] || die "option $2 needs an argument"; }
while [ $# -gt 0 ]; do
    case $1 in
        -b|--bin) need_arg $# "$1"; BINS+=("$2"); shift 2 ;;
        -m|--module) need_arg $# "$1"; MODULES+=("$2"); shift 2 ;;
        -t|--timeout) need_arg $# "$1"; TIMEOUT=$2; shift 2 ;;
        -l|--log) need_arg $# "$1"; LOGFILE=$2; shift 2 ;;
        -q|--quiet) QUIET=1; shift ;;
        --mem) need_arg $# "$1"; MEM=$2; shift 2 ;;
        --smp) need_arg $# "$1"; SMP=$2; shift 2 ;;
        --append) need_arg $# "$1"; APPEND_EXTRA=$2; shift 2 ;;
        --dmesg) DMESG=1; shift ;;
        --kernel-msgs) KMSGS=1; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        --|-) break ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) break ;;
    esac
done
[ $# -ge 2 ] || { usage >&2; exit 126; }
PAYLOAD=$1; TEST=$2; shift 2
if [ $# -gt 0 ]; then
    [ "$1" = -- ] || die "unexpected argument $1 (test arguments go after --)"
    shift
fi
TEST_ARGS=("$@")

[ "$PAYLOAD" = - ] || [ -d "$PAYLOAD" ] || die "payload dir $PAYLOAD not found"
[ -f "$TEST" ] || die "test script $TEST not found"
[[ $TIMEOUT =~ ^[0-9]+$ ]] && [ "$TIMEOUT" -ge 10 ] || die "--timeout must be an integer >= 10"
[[ $MEM =~ ^[0-9]+$ ]] && [[ $SMP =~ ^[0-9]+$ ]] || die "--mem and --smp take integers"

CACHE=${VMTEST_CACHE:-/var/tmp/lxcfs-vmtest-cache}

# ---------------------------------------------------------------- host tools
APT_UPDATED=0
apt_update() {
    [ "$APT_UPDATED" = 1 ] && return 0
    APT_UPDATED=1
    apt-get update >&2
}
need_pkg() { # need_pkg COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    [ "$(id -u)" = 0 ] || die "$1 missing: install the Debian package $2"
    note "installing $2 (for $1)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2 \
        || { apt_update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2; } \
        || die "could not install $2"
    command -v "$1" >/dev/null 2>&1 || die "$1 still missing after installing $2"
}
need_pkg qemu-system-x86_64 qemu-system-x86
need_pkg busybox busybox-static
need_pkg xz xz-utils
need_pkg cpio cpio
need_pkg timeout coreutils
need_pkg flock util-linux

# ---------------------------------------------------------------- kernel cache
apt_q() { apt-get -o APT::Sandbox::User=root "$@"; }

resolve_kernel_pkg() {
    local p
    p=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    if [ -z "$p" ]; then
        apt_update || true
        p=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    fi
    [ -n "$p" ] || die "cannot resolve linux-image-amd64's kernel package (apt-get update?)"
    echo "$p"
}

# extract_vmlinux VMLINUZ OUT: decompress the bzImage's payload into the ELF
# vmlinux, which qemu boots through its PVH entry point. That saves the
# in-guest decompression, ~3 s under TCG.
extract_vmlinux() {
    local z=$1 out=$2 magic tool pat off
    for magic in xz zstd gzip; do
        case $magic in
            xz)   tool="xz -dc";   pat=$'\xfd7zXZ' ;;
            zstd) tool="zstd -dc"; pat=$'\x28\xb5\x2f\xfd' ;;
            gzip) tool="gzip -dc"; pat=$'\x1f\x8b\x08' ;;
        esac
        command -v "${tool%% *}" >/dev/null 2>&1 || continue
        for off in $(LC_ALL=C grep -aboF "$pat" "$z" 2>/dev/null | cut -d: -f1 | head -5); do
            tail -c +$((off + 1)) "$z" | $tool > "$out.tmp" 2>/dev/null
            if [ "$(head -c 4 "$out.tmp" | od -An -c | tr -d ' ')" = '177ELF' ]; then
                mv "$out.tmp" "$out"; return 0
            fi
        done
    done
    rm -f "$out.tmp"; return 1
}

prepare_kernel() {
    local pkg=${VMTEST_KERNEL_PKG:-} dir tmp deb
    if [ -z "$pkg" ] && [ -e "$CACHE/current" ]; then
        KDIR=$(readlink -f "$CACHE/current")
        [ -f "$KDIR/.complete" ] && return 0
    fi
    [ -n "$pkg" ] || pkg=$(resolve_kernel_pkg) || exit 126
    dir=$CACHE/$pkg
    if [ ! -f "$dir/.complete" ]; then
        note "preparing kernel $pkg in $dir (one-off)"
        rm -rf "$dir"; mkdir -p "$dir"
        tmp=$(mktemp -d "$CACHE/dl.XXXXXX") || die "cannot write to $CACHE"
        (cd "$tmp" && apt_q download "$pkg" >&2) \
            || { apt_update; (cd "$tmp" && apt_q download "$pkg" >&2); } \
            || { rm -rf "$tmp"; die "apt-get download $pkg failed"; }
        deb=$(find "$tmp" -name '*.deb' | head -1)
        [ -n "$deb" ] || die "apt-get download $pkg left no .deb"
        mv "$deb" "$dir/kernel.deb"; rm -rf "$tmp"
        dpkg-deb --fsys-tarfile "$dir/kernel.deb" \
            | tar -x -C "$dir" --wildcards './boot/*' './lib/modules/*/modules.builtin' \
            || die "cannot unpack $dir/kernel.deb"
        mv "$dir"/lib/modules/*/modules.builtin "$dir/modules.builtin"
        mv "$dir"/boot/vmlinuz-* "$dir/vmlinuz"; mv "$dir"/boot/config-* "$dir/config"
        rm -rf "${dir:?}/lib" "${dir:?}/boot"
        dpkg-deb -c "$dir/kernel.deb" | awk '{print $NF}' | grep '\.ko$' > "$dir/modules.list"
        dpkg-deb -f "$dir/kernel.deb" Version > "$dir/deb-version"
        if grep -q '^CONFIG_PVH=y' "$dir/config" && extract_vmlinux "$dir/vmlinuz" "$dir/vmlinux"; then
            :
        else
            note "no PVH vmlinux could be made: booting the bzImage (slower)"
        fi
        touch "$dir/.complete"
    fi
    [ -n "${VMTEST_KERNEL_PKG:-}" ] || ln -sfn "$pkg" "$CACHE/current"
    KDIR=$dir
}

# ensure_module NAME: extract NAME's .ko and those it depends on (read from
# the .ko's modinfo: the package ships no modules.dep) into the cache and
# append them to MOD_ORDER, dependencies first. Debian's modules are signed
# but signatures are not enforced, so busybox insmod loads them.
MOD_ORDER=()
ensure_module() {
    local name=${1//-/_} p f deps d m
    for m in "${MOD_ORDER[@]}"; do [ "$m" = "$name" ] && return 0; done
    if ! p=$(grep -m1 -E "/${name//_/[-_]}\.ko\$" "$KDIR/modules.list"); then
        sed 's|.*/||; s|\.ko$||; s|-|_|g' "$KDIR/modules.builtin" 2>/dev/null | grep -qx "$name" \
            && return 0   # built in: nothing to load
        die "kernel module $1 is not in ${KDIR##*/}"
    fi
    f=$KDIR/modules/$name.ko
    if [ ! -f "$f" ]; then
        mkdir -p "$KDIR/modules"
        { dpkg-deb --fsys-tarfile "$KDIR/kernel.deb" | tar -x -O "$p" > "$f.tmp" && mv "$f.tmp" "$f"; } \
            || die "cannot extract $p"
    fi
    deps=$(tr '\0' '\n' < "$f" | sed -n 's/^depends=//p' | head -1)
    for d in ${deps//,/ }; do ensure_module "$d"; done
    MOD_ORDER+=("$name")
}

mkdir -p "$CACHE" || die "cannot create $CACHE"
exec 9> "$CACHE/.lock" || die "cannot write $CACHE/.lock"
flock 9   # concurrent runs: one prepares the kernel, the others wait
prepare_kernel
KVER=$(cat "$KDIR/deb-version" 2>/dev/null)
for m in "${MODULES[@]}"; do ensure_module "$m"; done
exec 9>&-

# ---------------------------------------------------------------- initramfs
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lxcfs-vmtest.XXXXXX") || die "mktemp failed"
cleanup() { if [ "$KEEP" = 1 ]; then note "work dir kept: $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
ROOT=$WORK/root
mkdir -p "$ROOT"/usr/{bin,sbin,lib,lib64} \
    "$ROOT"/{dev,proc,sys,run,tmp,etc,root,mnt,var/tmp,vmtest/modules,.vmtest-newroot}
# merged /usr like the host, so the paths ldd prints land in one place
for d in bin sbin lib lib64; do ln -s "usr/$d" "$ROOT/$d"; done
chmod 1777 "$ROOT/tmp" "$ROOT/var/tmp"

copy_file() { # copy host file $1 to the same path under $ROOT, dereferenced
    local src=$1 dst=$ROOT$1
    [ -e "$dst" ] && [ ! -L "$dst" ] && return 0
    mkdir -p "$(dirname "$dst")"
    rm -f "$dst"
    cp -L "$src" "$dst" || die "cannot copy $src"
}
is_elf() { local m; LC_ALL=C IFS= read -r -n 4 m < "$1" 2>/dev/null; [ "$m" = $'\x7fELF' ]; }
copy_libs() { # copy the shared libraries and the loader that ELF files "$@" need
    local f lib elfs=()
    for f in "$@"; do is_elf "$f" && elfs+=("$f"); done
    [ ${#elfs[@]} -gt 0 ] || return 0
    while read -r lib; do
        [ -e "$lib" ] && copy_file "$lib"
    done < <(ldd "${elfs[@]}" 2>/dev/null \
        | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $1 !~ /:$/ {print $1}' | sort -u)
}

BUSYBOX=$(readlink -f "$(command -v busybox)")
cp "$BUSYBOX" "$ROOT/usr/bin/busybox"
HOSTFILES=("$BUSYBOX")
# /bin/sh is dash as on Debian: Debian's busybox-static ash runs its own
# applets before binaries in PATH (a real /usr/bin/unshare would be ignored)
DASH=$(readlink -f "$(command -v dash 2>/dev/null || echo /nonexistent)")
if [ -x "$DASH" ]; then
    cp "$DASH" "$ROOT/usr/bin/dash"; ln -s dash "$ROOT/usr/bin/sh"; HOSTFILES+=("$DASH")
else
    ln -s busybox "$ROOT/usr/bin/sh"
fi
# (the busybox applet links are made in the guest: quicker than ~400 ln here)
for b in "${BINS[@]}"; do
    [ -e "$b" ] || die "--bin $b: not found"
    b=$(cd "$(dirname "$b")" && pwd)/${b##*/}
    rm -f "$ROOT$b"
    copy_file "$b"; HOSTFILES+=("$b")
done
copy_libs "${HOSTFILES[@]}"

if [ "$PAYLOAD" != - ]; then
    tar -C "$PAYLOAD" -cf - . | tar -C "$ROOT" -xf - --keep-directory-symlink --no-same-owner \
        || die "cannot copy payload $PAYLOAD"
    PFILES=()
    while IFS= read -r -d '' f; do PFILES+=("$ROOT/${f#./}"); done \
        < <(cd "$PAYLOAD" && find . -type f \( -perm /111 -o -name '*.so' -o -name '*.so.*' \) -print0)
    [ ${#PFILES[@]} -eq 0 ] || copy_libs "${PFILES[@]}"
fi

i=10
for m in "${MOD_ORDER[@]}"; do cp "$KDIR/modules/$m.ko" "$ROOT/vmtest/modules/$i-$m.ko"; i=$((i + 1)); done

cp "$TEST" "$ROOT/vmtest/test"; chmod 755 "$ROOT/vmtest/test"
{
    echo '#!/bin/sh'
    if head -c 2 "$TEST" | grep -q '^#!'; then printf 'exec /vmtest/test'
    else printf 'exec /bin/sh /vmtest/test'; fi
    for a in "${TEST_ARGS[@]}"; do printf " '%s'" "${a//\'/\'\\\'\'}"; done
    echo
} > "$ROOT/vmtest/run"
chmod 755 "$ROOT/vmtest/run"

[ -e "$ROOT/etc/passwd" ] || printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
    'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' > "$ROOT/etc/passwd"
[ -e "$ROOT/etc/group" ] || printf '%s\n' 'root:x:0:' 'tty:x:5:' 'nogroup:x:65534:' > "$ROOT/etc/group"
[ -e "$ROOT/etc/hostname" ] || echo vmtest > "$ROOT/etc/hostname"
[ -e "$ROOT/etc/hosts" ] || printf '%s\n' '127.0.0.1 localhost' '127.0.1.1 vmtest' > "$ROOT/etc/hosts"
[ -e "$ROOT/etc/mtab" ] || ln -s ../proc/self/mounts "$ROOT/etc/mtab"

NONCE=$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
if [ "$TIMEOUT" -ge 30 ]; then GUEST_LIMIT=$((TIMEOUT - 15)); else GUEST_LIMIT=$((TIMEOUT / 2)); fi
cat > "$ROOT/vmtest/config" <<EOF
VMTEST_NONCE=$NONCE
VMTEST_GUEST_LIMIT=$GUEST_LIMIT
VMTEST_DMESG=$DMESG
EOF

cat > "$ROOT/init" <<'INIT'
#!/usr/bin/busybox sh
# guest init, written by run-in-vm.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
. /vmtest/config
if [ ! -e /.vmtest-stage2 ]; then
    /usr/bin/busybox mount -t proc proc /proc
    /usr/bin/busybox --install -s /usr/bin   # keeps the files that exist
    /usr/bin/busybox umount /proc
    # pivot_root(2) fails (EINVAL) while / is the initramfs' rootfs; make /
    # a bind mount of it instead (no copying) and go on from there
    : > /.vmtest-stage2
    /usr/bin/busybox mount --bind / /.vmtest-newroot
    cd /.vmtest-newroot || exit 1
    /usr/bin/busybox mount --move . /
    exec /usr/bin/busybox chroot . /init
fi
bb=/usr/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sysfs /sys
$bb mount -t devtmpfs devtmpfs /dev
$bb mkdir -p /dev/pts /dev/shm
# what udev would add: bash's process substitution needs /dev/fd
$bb ln -sfn /proc/self/fd /dev/fd
$bb ln -sfn /proc/self/fd/0 /dev/stdin
$bb ln -sfn /proc/self/fd/1 /dev/stdout
$bb ln -sfn /proc/self/fd/2 /dev/stderr
$bb mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
$bb mount -t tmpfs -o mode=1777 tmpfs /dev/shm
$bb mount -t tmpfs -o mode=0755 tmpfs /run
$bb mount -t tmpfs -o mode=1777 tmpfs /tmp
$bb mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 /sys/fs/cgroup 2>/dev/null \
    || $bb mount -t cgroup2 cgroup2 /sys/fs/cgroup || echo "vmtest: cannot mount cgroup2"
$bb mount --make-rshared /
$bb ip link set lo up 2>/dev/null
$bb hostname vmtest
for c in $(cat /sys/fs/cgroup/cgroup.controllers); do
    echo "+$c" > /sys/fs/cgroup/cgroup.subtree_control || echo "vmtest: cannot enable cgroup controller $c"
done
for m in /vmtest/modules/*.ko; do
    [ -e "$m" ] && { $bb insmod "$m" || echo "vmtest: insmod $m failed"; }
done
echo "vmtest: kernel $(uname -r), up $(cut -d' ' -f1 /proc/uptime)s, cgroup2 subtree_control: $(cat /sys/fs/cgroup/cgroup.subtree_control)"
cd /vmtest || exit 1
export VMTEST=1 HOME=/root TERM=dumb
klines=$($bb dmesg | wc -l)
/vmtest/run </dev/null &
pid=$!
( sleep "$VMTEST_GUEST_LIMIT"
  : > /run/vmtest-timedout
  echo "vmtest: test still running after ${VMTEST_GUEST_LIMIT}s: killing it. Processes:"
  $bb ps -o pid,ppid,stat,args | grep -v ' \[[^]]*\]$'
  kill -KILL "$pid" ) &
wd=$!
wait "$pid"
rc=$?
kill "$wd" 2>/dev/null
[ -e /run/vmtest-timedout ] && rc=124
if [ "$rc" != 0 ] || [ "$VMTEST_DMESG" = 1 ]; then
    echo "vmtest: ---- kernel messages since the test started (last 60) ----"
    $bb dmesg | tail -n +$((klines + 1)) | tail -n 60 | grep . || echo "(none)"
    echo "vmtest: ----"
fi
echo 1 > /proc/sys/kernel/printk   # keep kernel messages out of the trailer
echo "VMTEST-EXIT=$rc $VMTEST_NONCE up=$(cut -d' ' -f1 /proc/uptime)s"
sleep 0.2   # let the UART drain before the power goes
$bb poweroff -f
INIT
chmod 755 "$ROOT/init"

INITRD=$WORK/initrd.cpio   # uncompressed: saves the in-guest gunzip
(cd "$ROOT" && find . -print0 | cpio --null -o -H newc --quiet > "$INITRD") || die "cpio failed"
[ -s "$INITRD" ] || die "empty initramfs"

# ---------------------------------------------------------------- boot
KERNEL=$KDIR/vmlinux
[ -f "$KERNEL" ] || KERNEL=$KDIR/vmlinuz
# TCG unless KVM is asked for: see VMTEST_ACCEL in --help
ACCEL=${VMTEST_ACCEL:-tcg}
case $ACCEL in tcg|kvm) ;; *) die "VMTEST_ACCEL must be tcg or kvm" ;; esac
if [ "$ACCEL" = kvm ]; then CPU=host; else CPU=max; fi
APPEND="console=ttyS0 panic=-1 cgroup_no_v1=all"
[ "$KMSGS" = 1 ] || APPEND="$APPEND quiet"
[ -z "$APPEND_EXTRA" ] || APPEND="$APPEND $APPEND_EXTRA"

QEMU=(qemu-system-x86_64 -accel "$ACCEL" -cpu "$CPU" -m "$MEM" -smp "$SMP"
      -display none -nodefaults -no-user-config -serial stdio -no-reboot
      -kernel "$KERNEL" -initrd "$INITRD" -append "$APPEND")

LOG=${LOGFILE:-$WORK/console.log}
: > "$LOG" || die "cannot write $LOG"
note "booting kernel $KVER ($ACCEL, ${KERNEL##*/}, initramfs $(( $(stat -c %s "$INITRD") / 1024 )) KiB, timeout ${TIMEOUT}s)"
T0=$EPOCHREALTIME

# stream the console: strip CRs, keep a transcript
AWK_I=()
awk -W version 2>&1 | grep -q mawk && AWK_I=(-W interactive)   # mawk: no input buffering
# qemu runs in the background so that a signal to this script can stop it
# (bash runs traps only between commands, and 'wait' is interruptible)
stop_qemu() {
    trap - INT TERM HUP
    local f
    for f in "$WORK/timeout.pid" "$WORK/qemu.pid"; do
        [ -s "$f" ] && kill -TERM "$(cat "$f" 2>/dev/null)" 2>/dev/null
    done
    note "interrupted: qemu stopped"; exit 130
}
trap stop_qemu INT TERM HUP
{ timeout --foreground -k 5 "$TIMEOUT" "${QEMU[@]}" -pidfile "$WORK/qemu.pid" </dev/null 2>&1 &
  echo $! > "$WORK/timeout.pid"; wait $!; echo $? > "$WORK/qemu.rc"; } |
    awk "${AWK_I[@]}" -v quiet="$QUIET" -v logf="$LOG" '
        { sub(/\r$/, ""); print >> logf; fflush(logf) }
        quiet { next }
        { print; fflush() }' &
wait $!
trap - INT TERM HUP
QRC=$(cat "$WORK/qemu.rc" 2>/dev/null || echo 125)
ELAPSED=$(awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')

EXITLINE=$(grep -a "VMTEST-EXIT=[0-9]* $NONCE" "$LOG" | tail -1)
if [ -n "$EXITLINE" ]; then
    RC=${EXITLINE#*VMTEST-EXIT=}; RC=${RC%% *}
elif [ "$QRC" = 124 ] || [ "$QRC" = 137 ]; then
    note "TIMEOUT: qemu killed after ${TIMEOUT}s"
    RC=124
else
    note "no exit code from the guest (qemu exit $QRC): boot failure, kernel panic or init died"
    RC=125
fi

if [ "$QUIET" = 1 ] && [ "$RC" != 0 ]; then
    note "console transcript:"
    cat "$LOG" >&2
fi
UP0=$(sed -n 's/^vmtest: kernel .*, up \([0-9.]*\)s, .*/\1/p' "$LOG" | head -1)
UP1=$(sed -n "s/^VMTEST-EXIT=[0-9]* $NONCE up=\([0-9.]*\)s.*/\1/p" "$LOG" | tail -1)
note "test exit $RC; ${ELAPSED}s wall${UP0:+ (guest uptime: test started ${UP0}s}${UP1:+, ended ${UP1}s}${UP0:+)}"
exit "$RC"
