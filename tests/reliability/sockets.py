"""Which gunicorn worker holds which client connection, read from /proc.

A SIGKILLed process cannot answer the requests it holds: that is physics, not a bug. A test
can still be exact about it: freeze the worker (SIGSTOP), list the client connections it has
accepted, kill it, and then check that the requests that failed are exactly those, and that
every other request succeeded.
"""

from __future__ import annotations

import os


def _tcp_table() -> dict[int, tuple[int, int, str]]:
    """inode -> (local port, remote port, state) for every IPv4 and IPv6 TCP socket here."""
    table = {}
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name, encoding="ascii") as f:
                next(f)
                for line in f:
                    parts = line.split()
                    local, remote, state, inode = parts[1], parts[2], parts[3], int(parts[9])
                    if inode:
                        table[inode] = (int(local.rsplit(":", 1)[1], 16),
                                        int(remote.rsplit(":", 1)[1], 16), state)
        except FileNotFoundError:
            continue
    return table


def socket_inodes(pid: int) -> set[int]:
    inodes = set()
    fd_dir = f"/proc/{pid}/fd"
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(f"{fd_dir}/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    return inodes


def client_ports_held_by(pid: int, server_port: int) -> set[int]:
    """The client ports of the connections to `server_port` that process `pid` has accepted."""
    table = _tcp_table()
    held = set()
    for inode in socket_inodes(pid):
        entry = table.get(inode)
        if entry and entry[0] == server_port and entry[2] != "0A":  # 0A: the listening socket
            held.add(entry[1])
    return held
