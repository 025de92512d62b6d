"""Processes that end with the run: signals unwind like Ctrl-C, children die with their parent.

A run stopped from outside must leave nothing behind. Three ways it can be stopped:

* Ctrl-C (SIGINT): Python raises ``KeyboardInterrupt``; ``finally`` blocks remove the
  staging folder, roll back the transaction and terminate worker processes.
* SIGTERM (systemd, ``kill``, a web worker shut down) and SIGHUP (the terminal closed): by
  default Python dies on the spot, skipping every ``finally``. ``install_signal_handlers``
  turns them into ``Stopped``, a ``KeyboardInterrupt``, so the same clean-up runs.
* SIGKILL (``kill -9``, the out-of-memory killer): nothing runs in the process at all. Its
  children are told by the kernel instead: every worker and ffmpeg we start asks Linux
  (``prctl(PR_SET_PDEATHSIG)``) to be killed when its parent dies, so none is orphaned.

This module sits below every stage and imports only the standard library.
"""

from __future__ import annotations

import ctypes
import functools
import os
import signal
import sys
from collections.abc import Callable
from types import FrameType

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_STOP_SIGNALS = ("SIGTERM", "SIGHUP")


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program was, to unwind like Ctrl-C.

    A ``KeyboardInterrupt`` so every existing clean-up path (and the CLI's message "Đã dừng
    theo yêu cầu") applies unchanged; ``exit_code`` is the shell convention 128 + signal.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _stop(signum: int, _frame: FrameType | None) -> None:
    # Once only: a second SIGTERM while the first one's clean-up runs must not cut it short.
    # (SIGKILL still ends a clean-up that hangs.)
    for name in _STOP_SIGNALS:
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    raise Stopped(signum)


def install_signal_handlers() -> None:
    """Make SIGTERM and SIGHUP unwind the main thread like Ctrl-C.

    A signal the caller chose to ignore (``nohup`` ignores SIGHUP) stays ignored. Only the
    main thread may install handlers; elsewhere (a web server's worker thread) this does
    nothing and the server's own shutdown applies.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    for name in _STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) == signal.SIG_DFL:
            signal.signal(number, _stop)


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's ``prctl``, loaded in the parent: a forked child must not call ``dlopen``."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl: Callable[..., int] = libc.prctl
    except (OSError, AttributeError):
        return None
    return prctl


def _die_with(parent: int) -> None:
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The parent may have died between fork and prctl: then no signal will ever come.
    if os.getppid() != parent:
        os._exit(1)


def bound_to_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` for ``subprocess``: the child (ffmpeg) is killed when we die.

    ``None`` where Linux's parent-death signal does not exist; there a child started by
    ``subprocess.run`` is still killed on ``KeyboardInterrupt``/``Stopped`` by ``run`` itself.
    """
    if _prctl() is None:
        return None
    parent = os.getpid()
    return functools.partial(_die_with, parent)


def start_worker(parent: int) -> None:
    """Initializer of a forked worker process: die with ``parent``, leave signals to it.

    The worker inherits the parent's Python signal handlers; it must not raise ``Stopped``
    or ``KeyboardInterrupt`` itself (that prints a traceback from the worker). Ctrl-C goes
    to the whole foreground group: the parent handles it and terminates the pool.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in _STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, signal.SIG_DFL)
    _die_with(parent)
