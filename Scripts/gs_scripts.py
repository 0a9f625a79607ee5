"""Helpers the pvbatch scripts share: a display to render into, a first view, and files saved
so that they open again."""

import os
import select
import shutil
import subprocess
import sys
import time

from paraview.simple import CreateView, Render, SaveData

# VTK's XML formats, the ones ParaView's XML writers save.
XML_EXTENSIONS = (".vti", ".vtp", ".vtu", ".vts", ".vtr", ".vtm", ".pvti", ".pvtp", ".pvtu")


def save_data(path, proxy, **properties):
    """SaveData, with VTK XML files written inline and compressed (Data Mode Binary, ZLib).
    ParaView 5.11's XML readers fail on appended data, the writers' default, with the expat of
    an up-to-date Debian 12 (its security updates defer reparsing); inline data reads back with
    every expat (README, "Files that open again"). CSV tables keep every digit."""
    extension = os.path.splitext(path)[1].lower()
    if extension in XML_EXTENSIONS:
        properties = dict(dict(DataMode="Binary", CompressorType="ZLib"), **properties)
    elif extension == ".csv":
        # 17 significant digits: every double reads back exactly.
        properties = dict(dict(Precision=17, UseScientificNotation=1), **properties)
    return SaveData(path, proxy=proxy, **properties)


def start_virtual_display(screen="1280x1024x24", timeout=60.0):
    """A virtual X server (Xvfb) for this process's children: (server, DISPLAY). Xvfb picks a
    free display number itself and writes it to a pipe once it accepts connections
    (-displayfd), so servers started together never race for a number and no client connects
    before its server is ready. -noreset: ParaView opens and closes a probe connection before
    its render window's, and a server that resets when its last client leaves refused the next
    connection during the reset ("bad X server connection") in 3 of 8 runs here. Stop it with
    server.terminate()."""
    xvfb = shutil.which("Xvfb")
    if not xvfb:
        sys.exit("%s: no DISPLAY to render into and no Xvfb to make one; install xvfb or set "
                 "DISPLAY." % os.path.basename(sys.argv[0]))
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", screen, "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    number = b""
    deadline = time.time() + timeout
    while not number.endswith(b"\n") and time.time() < deadline:
        ready, _, _ = select.select([read_end], [], [], max(0.0, deadline - time.time()))
        chunk = os.read(read_end, 16) if ready else b""
        if not chunk:
            break
        number += chunk
    os.close(read_end)
    if not number.strip().isdigit():
        server.kill()
        server.wait()
        sys.exit("%s: Xvfb did not start (no display number within %.0f s)" % (
            os.path.basename(sys.argv[0]), timeout))
    return server, ":" + number.strip().decode()


def run_with_display(command, env=None, attempts=3):
    """Runs `command` on a fresh virtual X server and returns (status, output), echoing the
    output as it comes. Should a server still refuse a connection ("bad X server connection"),
    the command starts again on a new one."""
    for attempt in range(1, attempts + 1):
        server, display = start_virtual_display()
        child_env = dict(env if env is not None else os.environ, DISPLAY=display)
        child_env.pop("XAUTHORITY", None)  # the server takes local connections without a cookie
        try:
            child = subprocess.Popen(command, env=child_env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
            output = []
            for line in child.stdout:
                sys.stdout.write(line)
                sys.stdout.flush()
                output.append(line)
            status = child.wait()
        finally:
            server.terminate()
            server.wait()
        output = "".join(output)
        if status == 0 or "bad X server connection" not in output:
            return status, output
        print("%s: the virtual X server refused the connection (attempt %d of %d)" % (
            os.path.basename(sys.argv[0]), attempt, attempts), flush=True)
    return status, output


def ensure_display():
    """This ParaView renders through X (GLX) even in pvbatch: without a display, run the job
    again with pvbatch on a virtual X server, and exit with its status."""
    if os.environ.get("DISPLAY") or os.environ.get("GS_IN_VIRTUAL_DISPLAY"):
        return
    pvbatch = shutil.which("pvbatch")
    if not pvbatch:
        sys.exit("%s: no DISPLAY to render pictures and no pvbatch to run on a virtual one."
                 % os.path.basename(sys.argv[0]))
    # The marker stops a second round should the server give no DISPLAY.
    env = dict(os.environ, GS_IN_VIRTUAL_DISPLAY="1")
    status, _ = run_with_display([pvbatch, os.path.abspath(sys.argv[0])] + sys.argv[1:], env)
    sys.exit(status)


def open_view(size):
    """A white render view, rendered once. Opening the X display while the solver's threads
    still hold both cores of a small machine has failed now and then, so scripts open their
    view before they compute."""
    view = CreateView("RenderView")
    view.ViewSize = size
    view.OrientationAxesVisibility = 0
    view.Background = [1.0, 1.0, 1.0]
    try:
        # ParaView 5.11 draws a palette background unless told to use the view's own.
        view.UseColorPaletteForBackground = 0
    except AttributeError:
        pass
    Render(view)
    return view
