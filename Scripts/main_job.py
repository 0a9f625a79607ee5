"""The main job: generate the paper's target pattern with the Gray-Scott ParaView plugin.

    pvbatch Scripts/main_job.py --plugin <path/to/GrayScott.so> [--output <folder>]

Runs the Gray-Scott Pattern source at its defaults (the paper's truth Du, Dv, F, k =
0.16, 0.08, 0.035, 0.065 on a 128 x 128 periodic grid, up to 40000 steps, stopping at steady
state with tolerance 1e-4), and writes into the output folder (default ./output):
  gray_scott_target.vti  the fields u and v with the run's field data (StepsTaken, ...)
  gray_scott_target.png  v in a perceptual colour map, 800 x 800, camera fitted to the grid
Prints a short summary. Exits non-zero when the run fails or blows up.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from collections import deque

from paraview.simple import (ColorBy, CreateView, Delete, GetColorTransferFunction, LoadPlugin,
                             Render, SaveData, SaveScreenshot, SetActiveSource, Show)
from paraview import servermanager


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", required=True, help="path to the built GrayScott plugin")
    parser.add_argument("--output", default="output", help="output folder (default ./output)")
    return parser.parse_args()


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


def count_spots(data, threshold=0.2):
    """Regions of v > threshold, face-connected across the periodic boundaries (2D slices
    are stacked in 3D). Only for the summary: a plain flood fill on a small grid."""
    nx, ny, nz = data.GetDimensions()
    v = data.GetPointData().GetArray("v")
    above = [v.GetValue(i) > threshold for i in range(v.GetNumberOfTuples())]
    seen = [False] * len(above)
    regions = 0
    for start in range(len(above)):
        if not above[start] or seen[start]:
            continue
        regions += 1
        seen[start] = True
        queue = deque([start])
        while queue:
            i = queue.popleft()
            x, y, z = i % nx, (i // nx) % ny, i // (nx * ny)
            neighbours = [((x + 1) % nx, y, z), ((x - 1) % nx, y, z),
                          (x, (y + 1) % ny, z), (x, (y - 1) % ny, z)]
            if nz > 1:
                neighbours += [(x, y, (z + 1) % nz), (x, y, (z - 1) % nz)]
            for (a, b, c) in neighbours:
                j = a + nx * (b + ny * c)
                if above[j] and not seen[j]:
                    seen[j] = True
                    queue.append(j)
    return regions


def field_value(data, name):
    array = data.GetFieldData().GetAbstractArray(name)
    return array.GetVariantValue(0).ToString() if array else None


def main():
    args = parse_args()
    ensure_display()
    os.makedirs(args.output, exist_ok=True)
    vti_path = os.path.join(args.output, "gray_scott_target.vti")
    png_path = os.path.join(args.output, "gray_scott_target.png")

    LoadPlugin(args.plugin, remote=False, ns=globals())
    view = open_view([800, 800])
    # No active source, so the pattern does not take one as its InitialState.
    SetActiveSource(None)
    start = time.time()
    pattern = GrayScottPattern(registrationName="GrayScottTarget")  # noqa: F821 (from the plugin)
    pattern.UpdatePipeline()
    elapsed = time.time() - start

    data = servermanager.Fetch(pattern)
    if data is None or data.GetNumberOfPoints() == 0:
        print("main_job: the Gray-Scott source produced no data (see the error above).",
              file=sys.stderr)
        return 1

    SaveData(vti_path, proxy=pattern)

    display = Show(pattern, view)
    display.Representation = "Slice"
    ColorBy(display, ("POINTS", "v"))
    lut = GetColorTransferFunction("v")
    lut.ApplyPreset("Viridis (matplotlib)", True)
    display.RescaleTransferFunctionToDataRange(False, True)
    display.SetScalarBarVisibility(view, False)

    # paraview.simple resets the camera on the first render: render once, then place it,
    # looking straight down z with a parallel camera whose half height is the grid's.
    Render(view)
    x0, x1, y0, y1, _, _ = data.GetBounds()
    center = [(x0 + x1) / 2.0, (y0 + y1) / 2.0, 0.0]
    view.InteractionMode = "2D"
    view.CameraParallelProjection = 1
    view.CameraFocalPoint = center
    view.CameraPosition = [center[0], center[1], 10.0 * max(x1 - x0, y1 - y0, 1.0)]
    view.CameraViewUp = [0.0, 1.0, 0.0]
    view.CameraParallelScale = max(x1 - x0, y1 - y0) / 2.0
    SaveScreenshot(png_path, view, ImageResolution=[800, 800])
    # A render view still alive at sys.exit() dies with an X error (GLXBadContext) and exit
    # status 1 on this ParaView; delete it while the X connection is open.
    Delete(view)
    del view, display

    v_range = data.GetPointData().GetArray("v").GetRange()
    u_range = data.GetPointData().GetArray("u").GetRange()
    print("Gray-Scott target pattern (Du, Dv, F, k) = (%s, %s, %s, %s) on %d x %d x %d" % (
        pattern.Du, pattern.Dv, pattern.F, pattern.k, *data.GetDimensions()))
    print("  steps taken : %s (cap %d, tolerance %g)" % (
        field_value(data, "StepsTaken"), pattern.NumberOfSteps, pattern.SteadyStateTolerance))
    print("  status      : %s (converged %s)" % (
        field_value(data, "Status"), field_value(data, "Converged")))
    print("  v range     : [%.4f, %.4f]   u range: [%.4f, %.4f]" % (*v_range, *u_range))
    print("  spots       : %d (periodic regions of v > 0.2)" % count_spots(data))
    print("  time        : %.2f s" % elapsed)
    print("  wrote       : %s, %s" % (vti_path, png_path))
    return 0 if field_value(data, "BlowUp") == "0" else 1


if __name__ == "__main__":
    sys.exit(main())
