"""The warm converter: one long-lived LibreOffice, driven over UNO, answering on a Unix socket.

Run by the system Python, which has LibreOffice's `uno` module (Debian's python3-uno), not by
docgen's virtual environment, so this file uses the standard library and uno only:

    /usr/bin/python3 -I docgen/converter_server.py SOCKET PROFILE_URL SOFFICE

It starts soffice (a child in this process's group, so killing the group ends both), connects
to it, listens on SOCKET and prints "ready PIPE" (the name of LibreOffice's own socket, which a
killed soffice leaves in /tmp for the supervisor to remove). Each connection sends JSON lines:
{"op": "convert", "source": PATH, "target": PATH, "to": "pdf"|"docx"} is answered
{"ok": true} or {"error": TEXT, "unreadable": BOOL} (unreadable: LibreOffice could not load the
file; otherwise LibreOffice itself failed); {"op": "ping"} is answered {"busy": SECONDS} (how
long the conversion under way has run, 0 when idle), even while a conversion runs, so the
supervisor (docgen/converter.py) can tell a hang; {"op": "stop"} closes LibreOffice and exits. Conversions run one at a time. When soffice
dies this process exits too: the supervisor starts both again.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time

import uno
from com.sun.star.beans import PropertyValue

FILTERS = {"pdf": "writer_pdf_Export", "docx": "MS Word 2007 XML"}
CONNECT_S = 60


def props(**values):
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        result.append(prop)
    return tuple(result)


class Office:
    def __init__(self, profile_url, soffice):
        self.pipe = pipe = "docgen-" + secrets.token_hex(16)  # its socket lives in /tmp: a name nobody can guess
        self.process = subprocess.Popen(
            [soffice, "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
             f"-env:UserInstallation={profile_url}", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=inherited_fds())
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + CONNECT_S
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"LibreOffice did not start (status {self.process.poll()})")
                time.sleep(0.05)
        self.desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        self.lock = threading.Lock()
        self.started = 0.0  # when the conversion under way began (0: none)

    def convert(self, source, target, to):
        with self.lock:
            self.started = time.monotonic()
            try:
                return self._convert(source, target, to)
            finally:
                self.started = 0.0

    def _convert(self, source, target, to):
        from com.sun.star.uno import Exception as UnoException

        try:
            document = self.desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(source), "_blank", 0,
                props(Hidden=True, ReadOnly=True, MacroExecutionMode=0, UpdateDocMode=0))
        except UnoException as exc:
            self.check_alive()
            return {"error": exc.Message or type(exc).__name__, "unreadable": True}
        if document is None:
            self.check_alive()
            return {"error": "source file could not be loaded", "unreadable": True}
        try:
            document.storeToURL(uno.systemPathToFileUrl(target), props(FilterName=FILTERS[to]))
        except UnoException as exc:
            self.check_alive()
            return {"error": f"could not be saved as {to.upper()}: {exc.Message or type(exc).__name__}", "unreadable": True}
        finally:
            try:
                document.close(True)
            except Exception:
                self.check_alive()
        return {"ok": True}

    def stop(self):
        """Close LibreOffice as a user would (its profile written, its pipe removed), then exit."""
        try:
            self.desktop.terminate()
            self.process.wait(5)
        finally:
            os._exit(0)

    def check_alive(self):
        if self.process.poll() is not None:
            os._exit(3)


def inherited_fds():
    """The profile's lock (docgen/pdf.py) is held as long as any process that uses the profile lives."""
    return tuple(int(fd) for fd in os.environ.get("DOCGEN_CONVERTER_FDS", "").split(",") if fd)


def serve(connection, office):
    with connection, connection.makefile("rwb") as stream:
        for line in stream:
            try:
                request = json.loads(line)
                if request.get("op") == "stop":
                    stream.write(b'{"ok": true}\n')
                    stream.flush()
                    office.stop()
                if request.get("op") == "ping":
                    answer = {"busy": time.monotonic() - office.started if office.started else 0.0}
                elif request.get("op") == "convert" and request.get("to") in FILTERS:
                    answer = office.convert(str(request["source"]), str(request["target"]), request["to"])
                else:
                    answer = {"error": f"unknown request {line[:80]!r}"}
            except (ValueError, KeyError, TypeError) as exc:
                answer = {"error": f"bad request: {exc}"}
            except Exception as exc:  # the bridge to LibreOffice broke: it died or is dying
                office.check_alive()
                answer = {"error": f"LibreOffice failed: {type(exc).__name__}: {exc}"}
            stream.write(json.dumps(answer).encode() + b"\n")
            stream.flush()


def watch(office):
    office.process.wait()
    os._exit(3)


def orphaned(parent):
    """When the supervisor is gone (killed without stopping us), stop soffice and ourselves."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os.killpg(0, 9)


def main():
    socket_path, profile_url, soffice = sys.argv[1:4]
    office = Office(profile_url, soffice)
    threading.Thread(target=watch, args=(office,), daemon=True).start()
    threading.Thread(target=orphaned, args=(os.getppid(),), daemon=True).start()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)
    print("ready", office.pipe, flush=True)
    while True:
        connection, _ = listener.accept()
        threading.Thread(target=serve, args=(connection, office), daemon=True).start()


if __name__ == "__main__":
    main()
