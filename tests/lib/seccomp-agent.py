#!/usr/bin/env python3
"""A minimal seccomp agent for the tests: listens on SOCKET, takes one connection from the
runtime, and writes a JSON report of what arrived (the container process state and the kind of
descriptor) to stdout.  SOCKET.ready is created once it listens.

    seccomp-agent.py SOCKET [--timeout SECONDS]
"""
import array
import json
import os
import socket
import sys


def main():
    path = sys.argv[1]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--timeout" else 10
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    server.settimeout(timeout)
    open(path + ".ready", "w").close()
    report = {}
    try:
        conn, _ = server.accept()
        fds = array.array("i")
        data, ancdata, _, _ = conn.recvmsg(65536, socket.CMSG_LEN(16 * fds.itemsize))
        for level, kind, payload in ancdata:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(payload[: len(payload) - (len(payload) % fds.itemsize)])
        report["nfds"] = len(fds)
        report["fd_kind"] = os.readlink(f"/proc/self/fd/{fds[0]}") if fds else None
        report["message"] = json.loads(data.decode())
        for fd in fds:
            os.close(fd)
        conn.close()
    except Exception as error:  # the report says what went wrong
        report["error"] = str(error)
    finally:
        server.close()
        os.unlink(path)
    json.dump(report, sys.stdout)
    print()


if __name__ == "__main__":
    main()
