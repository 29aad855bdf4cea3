#!/usr/bin/env python3
# Berth copy of shared/clients/console-socket-recv.py (the project's shared client test material).
# CI must not depend on ../shared, so the set of scripts lives here; they find each other
# through lib.sh's CLIENTS_DIR (this directory). Changes from the shared original: none
# but this header. `make clients` runs the three *-check/*-with scripts (see README.md).
#
"""console-socket-recv.py SOCKET [--send TEXT] [--timeout SECONDS]

The receiving end of the OCI runtime "--console-socket" protocol, for testing
a runtime by hand or from runtime-cli-check.sh.

It listens on the AF_UNIX stream socket SOCKET (which must not exist yet),
accepts ONE connection, receives ONE message and prints a JSON report on
stdout:

  {"payload": "<bytes sent with the fd, decoded>", "payload_len": N,
   "cmsgs": N, "nfds": N, "fd_target": "<readlink of the fd>",
   "is_pty_master": true/false, "pty_number": N,
   "winsize": [rows, cols], "extra_data_after_message": "..."}

With --send TEXT it then writes TEXT to the received pty master (a "\\n" is
interpreted as newline) and keeps reading from it until the slave side is
closed or the timeout expires; what it read is reported as "pty_output".

Managers implement the same protocol: conmon (podman) and containerd's shim
listen on such a socket; the runtime connects, sends the pty master as
SCM_RIGHTS ancillary data along with a few bytes of ordinary data, and
closes the connection.
"""
import array
import fcntl
import json
import os
import select
import socket
import struct
import sys
import termios
import time

TIOCGPTN = 0x80045430  # _IOR('T', 0x30, unsigned int): pty number of a master


def main():
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    path = args[0]
    send = None
    timeout = 10.0
    i = 1
    while i < len(args):
        if args[i] == "--send":
            send = args[i + 1].replace("\\n", "\n")
            i += 2
        elif args[i] == "--timeout":
            timeout = float(args[i + 1])
            i += 2
        else:
            print("unknown argument %r" % args[i], file=sys.stderr)
            return 2

    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    srv.settimeout(timeout)
    # Tell a waiting caller that the socket is ready.
    open(path + ".ready", "w").close()
    report = {}
    try:
        conn, _ = srv.accept()
    except socket.timeout:
        print(json.dumps({"error": "no connection within %ss" % timeout}))
        return 1
    conn.settimeout(timeout)
    fds = array.array("i")
    msg, ancdata, flags, _ = conn.recvmsg(4096, socket.CMSG_SPACE(16 * fds.itemsize))
    report["payload"] = msg.decode("utf-8", "replace")
    report["payload_len"] = len(msg)
    report["cmsgs"] = len(ancdata)
    received = []
    for level, ctype, data in ancdata:
        if level == socket.SOL_SOCKET and ctype == socket.SCM_RIGHTS:
            a = array.array("i")
            a.frombytes(data[: len(data) - (len(data) % a.itemsize)])
            received.extend(a)
    report["nfds"] = len(received)
    report["msg_flags"] = flags
    master = received[0] if received else None
    if master is not None:
        report["fd_target"] = os.readlink("/proc/self/fd/%d" % master)
        try:
            ptn = struct.unpack("I", fcntl.ioctl(master, TIOCGPTN, b"\0" * 4))[0]
            report["is_pty_master"] = True
            report["pty_number"] = ptn
        except OSError:
            report["is_pty_master"] = False
        try:
            rows, cols, _, _ = struct.unpack(
                "HHHH", fcntl.ioctl(master, termios.TIOCGWINSZ, b"\0" * 8))
            report["winsize"] = [rows, cols]
        except OSError:
            pass
    try:
        rest = conn.recv(4096)
        report["extra_data_after_message"] = rest.decode("utf-8", "replace")
    except socket.timeout:
        report["extra_data_after_message"] = "(connection left open)"
    conn.close()

    if send is not None and master is not None:
        os.write(master, send.encode())
        out = b""
        deadline = time.time() + timeout
        while time.time() < deadline:
            r, _, _ = select.select([master], [], [], 0.2)
            if not r:
                continue
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: every slave fd is closed
                break
            if not chunk:
                break
            out += chunk
        report["pty_output"] = out.decode("utf-8", "replace")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
