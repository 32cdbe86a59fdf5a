#!/usr/bin/env bash
# common/deps.sh: make sure the tools every chapter needs are installed.
#
#   common/deps.sh           install what is missing (Debian/Ubuntu), or say what to install
#   common/deps.sh --check   only report; exit 1 if anything is missing
#   common/deps.sh --ovmf    print where the UEFI firmware for QEMU is (kernel.mk asks)
#
# `make run` and `make test` call this first, so on a fresh Debian or Ubuntu
# machine they are the only commands a reader needs.
set -euo pipefail

check_only=no
[ "${1:-}" = "--check" ] && check_only=yes

# OVMF, the UEFI firmware for QEMU (from the EDK II project), where Debian,
# Ubuntu, Fedora, Arch and Homebrew keep it: chapter 06 boots through it too.
ovmf_path() {
    local path
    for path in /usr/share/ovmf/OVMF.fd /usr/share/qemu/OVMF.fd /usr/share/edk2/x64/OVMF.fd \
        /usr/share/edk2/ovmf/OVMF_CODE.fd /usr/share/edk2-ovmf/x64/OVMF_CODE.fd \
        /opt/homebrew/share/qemu/edk2-x86_64-code.fd /usr/local/share/qemu/edk2-x86_64-code.fd; do
        if [ -e "$path" ]; then
            echo "$path"
            return 0
        fi
    done
    return 1
}

if [ "${1:-}" = "--ovmf" ]; then
    ovmf_path
    exit
fi

# command (or file) -> Debian package that provides it
declare -A debian_package=(
    [cc]=gcc
    [clang]=clang
    [ld]=binutils
    [nm]=binutils
    [make]=make
    [python3]=python3
    [qemu-system-x86_64]=qemu-system-x86
    [grub-mkrescue]=grub-common
    [grub-file]=grub-common
    [grub-modules:i386-pc]=grub-pc-bin         # GRUB for BIOS firmware
    [grub-modules:x86_64-efi]=grub-efi-amd64-bin # GRUB for UEFI firmware
    [ovmf]=ovmf
    [xorriso]=xorriso
    [mformat]=mtools
    [gdb]=gdb
    [/usr/include/stdio.h]=libc6-dev
)

# One of these names is enough: Debian's, Fedora's (grub2-*) or Homebrew's
# cross tools (x86_64-elf-*).
alternatives() {
    case "$1" in
    cc) echo x86_64-elf-gcc gcc ;;
    grub-mkrescue) echo grub-mkrescue grub2-mkrescue x86_64-elf-grub-mkrescue ;;
    grub-file) echo grub-file grub2-file x86_64-elf-grub-file ;;
    gdb) echo gdb x86_64-elf-gdb ;;
    *) echo "$1" ;;
    esac
}

have() {
    local name
    case "$1" in
    /usr/include/stdio.h)
        # The host unit tests need a C library's headers; only Linux keeps them here.
        [ "$(uname -s)" != Linux ] || [ -e "$1" ]
        return
        ;;
    grub-modules:*)
        grub_modules_present "${1#grub-modules:}"
        return
        ;;
    ovmf)
        ovmf_path >/dev/null
        return
        ;;
    esac
    for name in $(alternatives "$1"); do
        command -v "$name" >/dev/null && return 0
    done
    return 1
}

# GRUB's modules for one platform (i386-pc for BIOS, x86_64-efi for UEFI)
# live in different places on different systems.
grub_modules_present() {
    local pattern
    for pattern in "/usr/lib/grub/$1" "/usr/share/grub2/$1" "/usr/lib/grub2/$1" \
        "/opt/homebrew/lib/*grub*/$1" "/usr/local/lib/*grub*/$1" \
        "/opt/homebrew/opt/x86_64-elf-grub/lib/*/grub/$1"; do
        compgen -G "$pattern/multiboot2.mod" >/dev/null && return 0
    done
    return 1
}

missing_packages() {
    local tool
    for tool in "${!debian_package[@]}"; do
        have "$tool" && continue
        echo "${debian_package[$tool]}"
    done
    # A QEMU window needs the GTK front end, packaged apart from QEMU itself.
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && have qemu-system-x86_64 &&
        ! compgen -G '/usr/lib/*/qemu/ui-gtk.so' >/dev/null && is_debian_like; then
        echo qemu-system-gui
    fi
}

python_is_recent() {
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 8))' 2>/dev/null
}

print_other_systems() {
    cat >&2 <<'EOF'
Install these with your system's package manager, then run make again:
  Fedora:  sudo dnf install gcc clang binutils make python3 qemu-system-x86 grub2-tools-extra \
             grub2-pc-modules grub2-efi-x64-modules edk2-ovmf xorriso mtools gdb
  Arch:    sudo pacman -S gcc clang binutils make python qemu-system-x86 grub libisoburn mtools \
             gdb edk2-ovmf
  macOS:   brew install x86_64-elf-gcc x86_64-elf-binutils x86_64-elf-grub x86_64-elf-gdb \
             qemu xorriso mtools python
           (Homebrew's GRUB is named x86_64-elf-grub-mkrescue: see README.md)
EOF
}

is_debian_like() {
    [ -r /etc/os-release ] && grep -Eq '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release
}

# apt_install PACKAGE...: install packages with apt-get, through sudo when not
# root. Returns 2 without a word where there is no apt-get, so that the caller
# can print its own list for other systems. common/toolchain.sh uses this too
# (deps.sh --install PACKAGE...).
apt_install() {
    if ! is_debian_like || ! command -v apt-get >/dev/null; then
        return 2
    fi
    local packages="$*"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null; then
            echo "deps: run as root: apt-get update && apt-get install -y $packages" >&2
            return 1
        fi
        sudo="sudo"
        # Without a terminal sudo cannot ask for a password: say what to run instead.
        if [ ! -t 0 ] && ! sudo -n true 2>/dev/null; then
            echo "deps: run: sudo apt-get update && sudo apt-get install -y $packages" >&2
            return 1
        fi
    fi

    echo "deps: installing with apt-get (a minute or two): $packages" >&2
    # apt's progress goes to a log, shown only if something fails.
    local log
    log=$(mktemp)
    # shellcheck disable=SC2086 # one word per package
    if ! { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages; } \
        >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "deps: apt-get failed (its output is above)" >&2
        return 1
    fi
    rm -f "$log"
}

main() {
    local missing
    missing=$(missing_packages | sort -u | tr '\n' ' ')
    missing=${missing% }
    if [ -z "$missing" ] && python_is_recent; then
        return 0
    fi
    if [ -z "$missing" ]; then
        echo "deps: python3 is older than 3.8; test-runner.py needs 3.8 or newer" >&2
        return 1
    fi

    echo "deps: missing packages: $missing" >&2
    if [ "$check_only" = yes ]; then
        return 1
    fi
    local status=0
    # shellcheck disable=SC2086 # one word per package
    apt_install $missing || status=$?
    if [ "$status" -eq 2 ]; then
        print_other_systems
    fi
    if [ "$status" -ne 0 ]; then
        return 1
    fi
    missing=$(missing_packages | sort -u | tr '\n' ' ')
    if [ -n "$missing" ]; then
        echo "deps: still missing after apt-get: $missing" >&2
        return 1
    fi
    echo "deps: all set" >&2
}

if [ "${1:-}" = "--install" ]; then
    shift
    apt_install "$@"
    exit
fi
main
