"""Child processes: every child a run starts is registered until it is reaped,
so that a run stopped by a signal (Ctrl-C, kill, a CI job's timeout) kills
them all before it exits; and running a command with a timeout.
"""

import os
import signal
import subprocess
import sys
import threading
from typing import Dict, List


# Every child this run started and has not reaped yet. A run that ends early
# (Ctrl-C, kill, a CI job's timeout) stops them first: a QEMU left behind
# would run on, unseen, until someone notices it in `ps`.
LIVE_CHILDREN: Dict[int, subprocess.Popen] = {}
LIVE_GROUPS: Dict[int, subprocess.Popen] = {}  # own session: signalled as a group
LIVE_LOCK = threading.Lock()


def track_child(process: subprocess.Popen, group: bool = False) -> None:
    with LIVE_LOCK:
        (LIVE_GROUPS if group else LIVE_CHILDREN)[process.pid] = process


def forget_child(process: subprocess.Popen) -> None:
    with LIVE_LOCK:
        LIVE_CHILDREN.pop(process.pid, None)
        LIVE_GROUPS.pop(process.pid, None)


def stop_live_children() -> int:
    """Kill every tracked child; TERM to a group, so make debug's trap stops its QEMU."""
    with LIVE_LOCK:
        children, groups = list(LIVE_CHILDREN.values()), list(LIVE_GROUPS.values())
    for process in children:
        if process.poll() is None:
            process.kill()
    for process in groups:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    return len(children) + len(groups)


def end_run_on_signal(signum: int, _frame) -> None:
    count = stop_live_children()
    print(f"\ntest-runner.py: stopped by {signal.Signals(signum).name}; "
          f"killed {count} child process{'es' if count != 1 else ''}", file=sys.stderr)  # fmt: skip
    os._exit(128 + signum)


def run_with_timeout(command: List[str], timeout: float):
    """Run a command in its own process group and return (output, exit status);
    the status is None when the timeout killed the whole group."""
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)  # fmt: skip
    track_child(process, group=True)
    try:
        output, _ = process.communicate(timeout=timeout)
        return output, process.returncode
    except subprocess.TimeoutExpired:
        # TERM first: make debug's shell traps it and stops its QEMU, which
        # runs in a session of its own and would outlive a KILL of the group.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
        return output, None
    finally:
        forget_child(process)
