"""Helpers the pvbatch scripts share: a display to render into, a first view, and files saved
so that they open again."""

import os
import random
import shutil
import subprocess
import sys

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


def ensure_display():
    """This ParaView renders through X (GLX) even in pvbatch: without a display, run the job
    again under a virtual X server. Now and then a fresh Xvfb refuses pvbatch's first
    connection ("bad X server connection"); the job then starts again on another server."""
    if os.environ.get("DISPLAY") or os.environ.get("GS_MAIN_JOB_IN_XVFB"):
        return
    xvfb_run, pvbatch = shutil.which("xvfb-run"), shutil.which("pvbatch")
    if not xvfb_run or not pvbatch:
        sys.exit("%s: no DISPLAY to render pictures and no xvfb-run/pvbatch to make one; "
                 "install xvfb or set DISPLAY." % os.path.basename(sys.argv[0]))
    env = dict(os.environ, GS_MAIN_JOB_IN_XVFB="1")  # no second round if Xvfb gives no DISPLAY
    for attempt in range(1, 4):
        # A random first display number: `xvfb-run -a` runs started together otherwise race
        # for :99.
        first = str(random.randint(100, 30000))
        child = subprocess.Popen(
            [xvfb_run, "-a", "-n", first, "-s", "-screen 0 1280x1024x24", pvbatch,
             os.path.abspath(sys.argv[0])] + sys.argv[1:],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        refused = False
        for line in child.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            refused = refused or "bad X server connection" in line
        status = child.wait()
        if status == 0 or not refused:
            sys.exit(status)
        print("%s: the virtual X server refused the connection (attempt %d of 3)" % (
            os.path.basename(sys.argv[0]), attempt), flush=True)
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
