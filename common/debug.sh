#!/usr/bin/env bash
# common/debug.sh: what `make debug` runs. Starts QEMU halted (-S) with a gdb
# stub, attaches gdb with the kernel's symbols and runs common/kernel.gdb,
# which stops at kmain.
#
#   debug.sh KERNEL.elf KERNEL.iso
#
# Settings come from the environment (common/kernel.mk exports them):
#   QEMU, QEMU_FLAGS, DEBUG_DISPLAY, SERIAL_LOG, GDB, GDB_ARGS,
#   GDB_PORT (TCP on 127.0.0.1) or GDB_SOCKET (a Unix socket path, which
#   test-runner.py uses so that parallel checks never share a port).
set -u

elf=$1
iso=$2
common_dir=$(cd "$(dirname "$0")" && pwd)

if [ -n "${GDB_SOCKET:-}" ]; then
    stub="unix:$GDB_SOCKET,server=on,wait=off"
    target=$GDB_SOCKET
    where="socket $GDB_SOCKET"
else
    stub="tcp:127.0.0.1:$GDB_PORT"
    target="127.0.0.1:$GDB_PORT"
    where="127.0.0.1:$GDB_PORT"
fi

# Ctrl-C is gdb's key for "interrupt the kernel", not a reason to stop QEMU:
# setsid (where it exists) starts QEMU in a session of its own, out of reach
# of the terminal's SIGINT. This shell ignores Ctrl-C too and stops QEMU
# when gdb exits, or when it is itself told to stop.
setsid=$(command -v setsid || true)
# shellcheck disable=SC2086 # QEMU_FLAGS and DEBUG_DISPLAY are lists of words
$setsid "$QEMU" $QEMU_FLAGS $DEBUG_DISPLAY -serial "file:$SERIAL_LOG" -cdrom "$iso" \
    -S -gdb "$stub" &
qemu=$!
trap 'kill $qemu 2>/dev/null' EXIT
trap 'exit 1' HUP TERM
trap : INT

# QEMU fails at once if it cannot listen (another QEMU still holds the port):
# say so, instead of letting gdb connect to that other, older machine.
for _ in 1 2 3 4 5 6 7 8 9 10; do
    if ! kill -0 "$qemu" 2>/dev/null; then
        echo "debug: QEMU did not start; is $where in use (an older QEMU)? Try GDB_PORT=1235" >&2
        exit 1
    fi
    if [ -n "${GDB_SOCKET:-}" ] && [ -S "$GDB_SOCKET" ]; then
        break
    fi
    sleep 0.1
done

echo "  GDB     $elf, QEMU halted, stub on $where"
# shellcheck disable=SC2086 # GDB_ARGS is a list of words
"$GDB" -q -nx "$elf" -ex "target remote $target" -x "$common_dir/kernel.gdb" $GDB_ARGS
