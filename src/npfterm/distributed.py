"""Aligning a batch on an existing Dask cluster: ``npfterm align DIR --dask ADDRESS``.

Imported only on that path, because dask is an optional extra
(``pip install 'npfterm[dask]'``).  The cluster's workers need npfterm (the
same version) installed and must see the input paths (a shared file system):
tasks carry paths, not texts.  Results stream back to this process, which
writes the outputs and the store, so the workers never need write access.

The client's ``concurrent.futures`` executor serves ``npfterm.batch.run_batch``
exactly as a local process pool does; nothing else differs.
"""

from __future__ import annotations

import contextlib
import warnings
from concurrent.futures import Executor
from typing import Iterator

from npfterm.batch import warm
from npfterm.errors import NpftermError
from npfterm.version import __version__

#: Seconds to wait for the scheduler to answer and for a first worker to join.
CONNECT_TIMEOUT = 10.0
#: Seconds the first look at a tcp:// address waits for a connection and for the scheduler's greeting.
PROBE_TIMEOUT = 3.0

MISSING_EXTRA = "a Dask cluster needs the dask extra: pip install 'npfterm[dask]'"


class DaskError(NpftermError):
    """The Dask cluster cannot be used: not installed, unreachable, or its workers lack npfterm."""


def probe_scheduler(address: str, timeout: float = PROBE_TIMEOUT) -> None:
    """DaskError within ``timeout`` seconds unless a plain ``tcp://`` address answers like a Dask scheduler.

    A Dask scheduler greets a new connection first (its handshake); a web
    server (the dashboard, port 8787) waits for a request, and the Dask client
    would wait for it for minutes.  Other schemes (tls://, ucx://) are left to
    the client.
    """
    import socket
    from urllib.parse import urlsplit

    scheme = address.split("://", 1)[0] if "://" in address else "tcp"
    if scheme != "tcp":
        return
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise DaskError(f"{address} is not a Dask scheduler address like tcp://host:8786") from None
    if not host or port is None:
        raise DaskError(f"{address} is not a Dask scheduler address like tcp://host:8786")
    try:
        conn = socket.create_connection((host, port), timeout=timeout)
    except socket.timeout:
        raise DaskError(f"cannot reach the Dask scheduler at {address}: no answer in {timeout:g} s") from None
    except OSError as exc:
        raise DaskError(f"cannot reach the Dask scheduler at {address}: {exc.strerror or exc}") from None
    with conn:
        try:
            greeting = conn.recv(16)
        except OSError:  # a timeout, or a reset
            greeting = b""
    if not greeting or greeting.startswith(b"HTTP"):
        raise DaskError(
            f"nothing at {address} answers as a Dask scheduler; give the scheduler's address (usually port 8786), "
            "not the dashboard's"
        )


@contextlib.contextmanager
def dask_executor(address: str, mode: str, timeout: float = CONNECT_TIMEOUT) -> Iterator[tuple[Executor, int]]:
    """(executor, total worker threads) for the cluster at ``address``; closed on exit.

    Every worker loads the dictionary and, in hybrid mode, the encoder once
    before the first document, which also proves that it can import npfterm.
    """
    try:
        from distributed import Client
    except ImportError:
        raise DaskError(MISSING_EXTRA) from None
    probe_scheduler(address, min(timeout, PROBE_TIMEOUT))
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise DaskError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            raise DaskError(f"the Dask cluster at {address} has no workers ({exc})") from None
        try:
            versions = client.run(warm, mode)
        except Exception as exc:  # noqa: BLE001 - whatever a remote worker raised
            raise DaskError(
                f"the Dask workers at {address} cannot run npfterm ({type(exc).__name__}: {exc}); "
                "install npfterm on every worker"
            ) from None
        others = sorted({v for v in versions.values() if v != __version__})
        if others:
            warnings.warn(
                f"Dask workers run npfterm {', '.join(others)}, this client {__version__}; results may differ",
                UserWarning,
                stacklevel=2,
            )
        threads = sum(client.nthreads().values())
        yield client.get_executor(pure=False), threads
