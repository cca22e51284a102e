# tests/integration/loopback.py - what the tests' small HTTP servers share: serve a handler on
# an ephemeral loopback port, written to a file (atomically, by rename) once it listens, so
# that a test can wait for the file and read the port.
import http.server
import os


def serve(handler, port_file):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_port))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()
