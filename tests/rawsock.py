"""Raw sockets for the HTTP end-to-end tests (http_slow.sh, http_lane.sh):
requests curl will not send, and answers read back byte for byte. Not a
test itself: tests/run-all runs only tests/*.sh."""
import socket
import time


def conn(port, src="127.0.0.1"):
    """A connection to 127.0.0.1:port from the loopback address src."""
    s = socket.socket()
    s.settimeout(5)
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    return s


def read(s, limit=1.5):
    """What arrives until the peer closes or limit seconds pass without
    it: (bytes, closed)."""
    out, end = b"", time.time() + limit
    try:
        while time.time() < end:
            s.settimeout(max(0.05, end - time.time()))
            d = s.recv(65536)
            if not d:
                return out, True
            out += d
    except socket.timeout:
        pass
    except OSError:
        return out, True
    return out, False
