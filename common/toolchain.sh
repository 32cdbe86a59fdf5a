#!/usr/bin/env bash
# common/toolchain.sh: build the x86_64-elf cross compiler, GNU binutils and
# GCC (C only, with libgcc), into toolchain/ at the repository's root.
#
#   bash common/toolchain.sh              what `make toolchain` runs
#   PREFIX=/opt/cross ...                 install there instead of toolchain/
#   JOBS=2 ...                            parallel compile jobs (default: all CPUs)
#   KEEP_BUILD=1 ...                      keep the sources and object files afterwards
#
# The sources, in this order:
#   1. Debian's and Ubuntu's source packages, which put release tarballs under
#      /usr/src: binutils-source and gcc-N-source, N being the host gcc's major
#      version (so the host compiler is one that is known to build it).
#   2. GNU release tarballs the reader downloads into toolchain/download; when
#      there are none, this script prints the versions and the commands.
#
# The terminal gets one line per stage; everything the builds print goes to
# toolchain/build.log. Each stage leaves a stamp in toolchain/build/stamps, so
# running this again after an interruption starts at the stage that did not
# finish. Nothing here depends on the caller's CC, CFLAGS or make flags.
set -euo pipefail

TARGET=x86_64-elf
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLCHAIN_DIR=$ROOT/toolchain
PREFIX=${PREFIX:-$TOOLCHAIN_DIR}
[[ "$PREFIX" == /* ]] || PREFIX=$PWD/$PREFIX # configure wants an absolute path
WORK=$TOOLCHAIN_DIR/build
STAMPS=$WORK/stamps
LOG=$TOOLCHAIN_DIR/build.log
DOWNLOAD_DIR=$TOOLCHAIN_DIR/download
JOBS=${JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
DEPS_SH=$ROOT/common/deps.sh

# The GNU releases to download where there are no source packages: the ones
# this recipe was tested with (the code of the tarballs in Debian 12's packages).
GNU_BINUTILS_VERSION=${BINUTILS_VERSION:-2.40}
GNU_GCC_VERSION=${GCC_VERSION:-12.2.0}
GNU_MIRROR=https://ftpmirror.gnu.org/gnu

# Sources, object files and the installed compiler of binutils 2.40 and GCC
# 12.2.0 took 1.8 GiB at the end of the build; newer releases are bigger.
NEEDED_MIB=3000

say() { echo "toolchain: $*"; }
die() {
    echo "toolchain: $*" >&2
    exit 1
}

# The builds run the same way whatever the caller's environment holds: a
# make -s or CC=clang on the reader's command line reaches this script
# through MAKEFLAGS and the environment.
unset MAKEFLAGS MFLAGS MAKELEVEL GNUMAKEFLAGS CPPFLAGS LDFLAGS
export CC=gcc CXX=g++ CFLAGS=-O2 CXXFLAGS=-O2 LC_ALL=C

# ---------------------------------------------------------------------------
# Host packages
# ---------------------------------------------------------------------------

# What building binutils and GCC needs on the host: a C and C++ compiler
# (GCC is written in C++), bison and flex (binutils 2.40's tarball ships
# ld's grammar unprocessed), and the GMP, MPFR and MPC libraries that GCC
# does its constant folding with. No texinfo: see configure_binutils.
declare -A debian_package=(
    [gcc]=gcc
    [g++]=g++
    [make]=make
    [tar]=tar
    [xz]=xz-utils
    [bzip2]=bzip2
    [patch]=patch
    [bison]=bison
    [flex]=flex
    [gmp.h]=libgmp-dev
    [mpfr.h]=libmpfr-dev
    [mpc.h]=libmpc-dev
)

have() {
    case "$1" in
    *.h) echo "#include <$1>" | gcc -E -x c - >/dev/null 2>&1 ;;
    *) command -v "$1" >/dev/null ;;
    esac
}

missing_build_packages() {
    local tool
    for tool in "${!debian_package[@]}"; do
        have "$tool" || echo "${debian_package[$tool]}"
    done | sort -u | tr '\n' ' '
}

print_other_systems() {
    cat >&2 <<'EOF'
toolchain: install these with your system's package manager, then run make toolchain again:
  Fedora:  sudo dnf install gcc gcc-c++ make tar xz bzip2 patch bison flex gmp-devel mpfr-devel libmpc-devel
  Arch:    sudo pacman -S --needed gcc make tar xz bzip2 patch bison flex gmp mpfr libmpc
  macOS:   no need to build: brew install x86_64-elf-gcc x86_64-elf-binutils
EOF
}

# install_packages WHAT PACKAGE...: through deps.sh (apt-get, sudo when not root).
install_packages() {
    local what=$1 status=0
    shift
    say "missing $what: $*"
    bash "$DEPS_SH" --install "$@" || status=$?
    if [ "$status" -eq 2 ]; then
        print_other_systems
    fi
    [ "$status" -eq 0 ] || exit 1
}

install_build_packages() {
    local missing
    missing=$(missing_build_packages)
    [ -z "${missing// /}" ] && return 0
    # shellcheck disable=SC2086 # one word per package
    install_packages "build dependencies" $missing
    missing=$(missing_build_packages)
    [ -z "${missing// /}" ] || die "still missing after apt-get: $missing"
}

# ---------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------
host_gcc_major() { gcc -dumpversion | cut -d. -f1; }

debian_binutils_tarball() { compgen -G '/usr/src/binutils/binutils-*.tar.*' | head -n 1; }
debian_gcc_tarball() { compgen -G "/usr/src/gcc-$(host_gcc_major)/gcc-*.tar.*" | head -n 1; }

# apt knows the package (installed or installable).
apt_has() {
    local policy
    command -v apt-cache >/dev/null || return 1
    policy=$(apt-cache policy "$1" 2>/dev/null)
    [[ "$policy" == *"Candidate: "[0-9]* ]]
}

# Sets binutils_tarball and gcc_tarball, installing Debian's source packages
# when apt has them.
find_sources() {
    local gcc_source
    gcc_source=gcc-$(host_gcc_major)-source
    binutils_tarball=$(debian_binutils_tarball || true)
    gcc_tarball=$(debian_gcc_tarball || true)
    if [ -z "$binutils_tarball" ] || [ -z "$gcc_tarball" ]; then
        if apt_has binutils-source && apt_has "$gcc_source"; then
            install_packages "source packages" binutils-source "$gcc_source"
            binutils_tarball=$(debian_binutils_tarball || true)
            gcc_tarball=$(debian_gcc_tarball || true)
        fi
    fi
    if [ -z "$binutils_tarball" ] || [ -z "$gcc_tarball" ]; then
        binutils_tarball=$(compgen -G "$DOWNLOAD_DIR/binutils-$GNU_BINUTILS_VERSION.tar.*" | head -n 1 || true)
        gcc_tarball=$(compgen -G "$DOWNLOAD_DIR/gcc-$GNU_GCC_VERSION.tar.*" | head -n 1 || true)
    fi
    if [ -z "$binutils_tarball" ] || [ -z "$gcc_tarball" ]; then
        print_download_commands
        exit 1
    fi
}

print_download_commands() {
    cat >&2 <<EOF
toolchain: no source packages here (Debian and Ubuntu: binutils-source and gcc-$(host_gcc_major)-source).
Download the GNU releases this recipe is tested with, then run make toolchain again:
  mkdir -p $DOWNLOAD_DIR && cd $DOWNLOAD_DIR
  curl -LO $GNU_MIRROR/binutils/binutils-$GNU_BINUTILS_VERSION.tar.xz
  curl -LO $GNU_MIRROR/gcc/gcc-$GNU_GCC_VERSION/gcc-$GNU_GCC_VERSION.tar.xz
(Each has a .sig beside it for gpg --verify. Other versions: make toolchain BINUTILS_VERSION=... GCC_VERSION=...)
EOF
}

# binutils-2.40.tar.xz -> 2.40; gcc-12.2.0-dfsg.tar.xz -> 12.2.0
tarball_version() {
    basename "$1" | sed -E 's/^[a-z]+-([0-9][0-9.]*[0-9])([-.].*)?$/\1/'
}

# ---------------------------------------------------------------------------
# Stages
# ---------------------------------------------------------------------------
stage_number=0
STAGE_COUNT=9

# run_stage STAMP DESCRIPTION COMMAND...: run COMMAND with its output in the
# log, unless an earlier run left STAMP. A dot a minute shows it is alive.
run_stage() {
    local stamp=$STAMPS/$1 description=$2 start=$SECONDS ticker status=0
    shift 2
    stage_number=$((stage_number + 1))
    printf '[%d/%d] %s' "$stage_number" "$STAGE_COUNT" "$description"
    if [ -e "$stamp" ]; then
        echo ": done in an earlier run"
        return 0
    fi
    printf ' ...'
    printf '\n=== %s (%s)\n' "$description" "$(date)" >>"$LOG"
    # (sleep's output goes nowhere: a sleep outliving its loop must not hold a pipe open)
    (while sleep 60 >/dev/null 2>&1; do printf .; done) &
    ticker=$!
    trap 'kill $ticker 2>/dev/null' EXIT
    # Not `(...) || status=$?`: bash ignores set -e inside a || list.
    set +e
    (
        set -e
        "$@"
    ) >>"$LOG" 2>&1 </dev/null
    status=$?
    set -e
    kill "$ticker" 2>/dev/null
    wait "$ticker" 2>/dev/null || true
    trap - EXIT
    if [ "$status" -ne 0 ]; then
        echo " FAILED"
        echo "toolchain: the last lines of $LOG:" >&2
        tail -n 20 "$LOG" | sed 's/^/  | /' >&2
        die "'$description' failed (whole log: $LOG). Fix the cause and run make toolchain again: it resumes here."
    fi
    touch "$stamp"
    echo " done ($(minutes $((SECONDS - start))))"
}

# Ctrl-C reaches make and the compilers too (one process group); the stage
# in progress leaves no stamp, so the next run starts there again.
say_how_to_resume_on_interrupt() {
    trap 'echo; say "interrupted: run make toolchain again to resume"; exit 130' INT TERM
}

minutes() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# unpack TARBALL DIR: a half-unpacked tree from an interrupted run goes first.
unpack() {
    rm -rf "$WORK/src/$2"
    mkdir -p "$WORK/src/tmp.$2"
    tar -xf "$1" -C "$WORK/src/tmp.$2"
    mv "$WORK/src/tmp.$2/"* "$WORK/src/$2"
    rmdir "$WORK/src/tmp.$2"
}

# Texinfo: binutils' and GCC's makefiles regenerate their info manuals when
# makeinfo is around. MAKEINFO=true turns that into a no-op in both (GCC's
# configure then finds no usable makeinfo and skips the manuals), so texinfo
# need not be installed and the manuals Debian removed are not missed.
configure_binutils() {
    rm -rf "$WORK/obj/binutils"
    mkdir -p "$WORK/obj/binutils"
    cd "$WORK/obj/binutils"
    # --with-sysroot: the target has no system headers or libraries to search;
    # --disable-nls: English messages; --disable-werror: a newer host compiler's
    # new warnings must not stop an older release.
    "$WORK/src/binutils/configure" --target=$TARGET --prefix="$PREFIX" \
        --with-sysroot --disable-nls --disable-werror MAKEINFO=true
}

# GNU's top-level make configures each subdirectory (bfd, opcodes, libcpp,
# libgcc, ...) the first time it needs it, and skips one that has a Makefile.
# An interruption in the middle of such a configure leaves a Makefile without
# the rest, and the next make stops with "No rule to make target
# '.deps/....Plo'". A configure that finished has the line "configure: exit 0"
# in its config.log: a subdirectory without it is removed before make runs
# again, and make configures it afresh.
discard_unfinished_configures() {
    local log
    find "$1" -mindepth 2 -maxdepth 3 -name config.log | while read -r log; do
        if ! grep -qx 'configure: exit 0' "$log"; then
            echo "the configure of $(dirname "$log") did not finish: removing it"
            rm -rf "$(dirname "$log")"
        fi
    done
}

make_binutils() {
    discard_unfinished_configures "$WORK/obj/binutils"
    make -C "$WORK/obj/binutils" -j"$JOBS" MAKEINFO=true
}
install_binutils() { make -C "$WORK/obj/binutils" install MAKEINFO=true; }

# Debian's gcc-N-source tarball is the GNU release without the manuals under
# the GFDL with invariant sections (Debian deems them non-free): their .texi
# files are one-line stubs. One build step checks them: s-tm-texi runs
# genhooks over doc/tm.texi.in, which must place every target hook's
# documentation, and compares the result with doc/tm.texi; on the stub it
# stops with "No place specified to document hook". We step over it knowingly
# with the patch Debian's own build applies (gcc-gfdl-build.diff, shipped in
# the same package), which replaces that step with a copy. It changes how the
# documentation is checked, not the compiler. A GNU tarball needs no patch.
unpack_gcc() {
    unpack "$gcc_tarball" gcc
    if grep -q 'non DFSG free' "$WORK/src/gcc/gcc/doc/tm.texi.in"; then
        local patch
        patch=$(dirname "$gcc_tarball")/patches/gcc-gfdl-build.diff
        [ -r "$patch" ] || {
            echo "$gcc_tarball has stub manuals, but $patch is missing"
            return 1
        }
        echo "stub manuals in $gcc_tarball: applying $patch"
        patch -d "$WORK/src/gcc" -p2 <"$patch"
    fi
}

configure_gcc() {
    rm -rf "$WORK/obj/gcc"
    mkdir -p "$WORK/obj/gcc"
    cd "$WORK/obj/gcc"
    # --without-headers: there is no C library for the target (the kernel is
    # freestanding); --enable-languages=c: nothing else is needed.
    "$WORK/src/gcc/configure" --target=$TARGET --prefix="$PREFIX" \
        --disable-nls --enable-languages=c --without-headers MAKEINFO=true
}

make_gcc() {
    discard_unfinished_configures "$WORK/obj/gcc"
    make -C "$WORK/obj/gcc" -j"$JOBS" all-gcc MAKEINFO=true
}

make_libgcc() {
    discard_unfinished_configures "$WORK/obj/gcc"
    make -C "$WORK/obj/gcc" -j"$JOBS" all-target-libgcc MAKEINFO=true
}
install_gcc() { make -C "$WORK/obj/gcc" install-gcc install-target-libgcc MAKEINFO=true; }

# The installed compiler builds a freestanding 64-bit object and ld links it.
check_installed() {
    local dir
    dir=$(mktemp -d)
    printf 'int answer(void) { return 42; }\nvoid _start(void) { answer(); }\n' >"$dir/t.c"
    "$PREFIX/bin/$TARGET-gcc" -ffreestanding -O2 -c "$dir/t.c" -o "$dir/t.o"
    "$PREFIX/bin/$TARGET-ld" -o "$dir/t.elf" "$dir/t.o"
    [[ "$("$PREFIX/bin/$TARGET-readelf" -h "$dir/t.elf")" == *"Machine: "*"X86-64"* ]]
    [ -e "$("$PREFIX/bin/$TARGET-gcc" -print-libgcc-file-name)" ]
    rm -rf "$dir"
}

# ---------------------------------------------------------------------------
# Checks before a long build
# ---------------------------------------------------------------------------
already_built() {
    [ -x "$PREFIX/bin/$TARGET-gcc" ] && [ -x "$PREFIX/bin/$TARGET-ld" ] &&
        [ ! -d "$STAMPS" ] && "$PREFIX/bin/$TARGET-gcc" --version >/dev/null 2>&1
}

check_disk_space() {
    local used_mib free_mib needed_mib
    mkdir -p "$WORK"
    used_mib=$(du -sm "$WORK" | cut -f1)
    free_mib=$(df -Pm "$WORK" | awk 'NR == 2 { print $4 }')
    needed_mib=$((NEEDED_MIB - used_mib))
    if [ "$free_mib" -lt "$needed_mib" ]; then
        die "not enough disk space: the build needs about $needed_mib MiB more in $WORK, $free_mib MiB are free"
    fi
}

# A stamp belongs to one set of versions and one prefix: anything else
# starts over.
check_stamps_match() {
    local config="binutils $1, gcc $2, prefix $PREFIX"
    if [ -d "$STAMPS" ] && [ "$(cat "$WORK/config" 2>/dev/null)" != "$config" ]; then
        say "an earlier run built something else ($(cat "$WORK/config" 2>/dev/null || echo unknown)): starting over"
        rm -rf "$WORK"
    fi
    mkdir -p "$STAMPS"
    echo "$config" >"$WORK/config"
}

main() {
    if already_built; then
        say "$("$PREFIX/bin/$TARGET-gcc" --version | head -n 1) is already in $PREFIX"
        say "nothing to do (to build it again: rm -rf $PREFIX)"
        return 0
    fi
    mkdir -p "$TOOLCHAIN_DIR"
    check_disk_space
    install_build_packages
    find_sources

    local binutils_version gcc_version start=$SECONDS
    binutils_version=$(tarball_version "$binutils_tarball")
    gcc_version=$(tarball_version "$gcc_tarball")
    check_stamps_match "$binutils_version" "$gcc_version"
    mkdir -p "$WORK/src"
    export PATH="$PREFIX/bin:$PATH" # GCC's build uses the new binutils

    say_how_to_resume_on_interrupt
    say "building binutils $binutils_version and GCC $gcc_version for $TARGET into $PREFIX"
    say "sources: $binutils_tarball, $gcc_tarball"
    say "35 minutes of CPU time, 20 to 35 minutes on two idle cores; $JOBS jobs; full output in $LOG"
    run_stage binutils-unpack "unpack binutils $binutils_version" unpack "$binutils_tarball" binutils
    run_stage binutils-configure "configure binutils" configure_binutils
    run_stage binutils-make "build binutils" make_binutils
    run_stage binutils-install "install binutils" install_binutils
    run_stage gcc-unpack "unpack GCC $gcc_version" unpack_gcc
    run_stage gcc-configure "configure GCC" configure_gcc
    run_stage gcc-make "build GCC (the longest stage)" make_gcc
    run_stage libgcc-make "build libgcc" make_libgcc
    run_stage gcc-install "install GCC and libgcc" install_gcc
    printf 'check: %s compiles and links a freestanding file ' "$TARGET-gcc"
    check_installed >>"$LOG" 2>&1 || die "the installed compiler does not work (see $LOG)"
    echo "ok"

    local work_mib prefix_mib
    work_mib=$(du -sm "$WORK" | cut -f1)
    prefix_mib=$(du -sm "$PREFIX" | cut -f1)
    case "$WORK" in "$PREFIX"/*) prefix_mib=$((prefix_mib - work_mib)) ;; esac
    if [ -z "${KEEP_BUILD:-}" ]; then
        rm -rf "$WORK"
    fi
    say "done in $(minutes $((SECONDS - start))): $("$PREFIX/bin/$TARGET-gcc" --version | head -n 1)"
    say "installed: $PREFIX ($prefix_mib MiB); build tree: $work_mib MiB, $(if [ -z "${KEEP_BUILD:-}" ]; then echo removed; else echo "kept in $WORK"; fi)"
    say "the chapters now build with $PREFIX/bin/$TARGET-gcc"
}

# Run, unless sourced (common/toolchain_test.py tests the functions above).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    main "$@"
fi
