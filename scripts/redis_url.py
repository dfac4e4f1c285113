"""Print redis://127.0.0.1:6379/15 if a Redis answers there, nothing otherwise (used by `make test`).

Database 15 keeps the tests' keys away from a development Redis's usual database 0.
"""

import socket

URL = "redis://127.0.0.1:6379/15"

try:
    with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
        sock.sendall(b"PING\r\n")
        if sock.recv(16).startswith(b"+PONG"):
            print(URL)
except OSError:
    pass
