"""The main job: the whole story of the Gray-Scott ParaView plugin, with pvbatch.

    pvbatch Scripts/main_job.py --plugin <path/to/GrayScott.so> [--output <folder>] [--quick]

1. The paper's target: the Gray-Scott Pattern source at its defaults (Du, Dv, F, k = 0.16,
   0.08, 0.035, 0.065 on 128 x 128, up to 40,000 steps, steady at 1e-4).
2. A (F, k) loss landscape with logps and residual arrays (the paper's protocol at 64 x 64,
   10,000 steps, two initial conditions, 25 x 25 points) and the bifurcation curves.
3. Three inversions of the target: gradient descent as the paper runs it (30 iterations,
   batch 2), the residual fit, and the hybrid.
4. A summary table (truth, each method's estimate, error and time) and, in the output folder
   (default ./output): gray_scott_target.vti/.png; landscape.vti, curves.vtp; per method
   <method>_history.csv, <method>_trajectory.vtp, <method>_pattern.vti; landscapes.png (the
   warped logps and residual surfaces side by side, with the curves and trajectories) and
   patterns.png (the target and the recovered patterns).
--quick shrinks the landscape and the descent, to check the job. Exits non-zero on failure.
"""

import argparse
import os
import sys
import time
from collections import deque

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gs_scripts import ensure_display, open_view, save_data  # noqa: E402
import landscape_picture as lp  # noqa: E402

from paraview.simple import (ColorBy, CreateLayout, Delete, GetColorTransferFunction,  # noqa: E402
                             LoadPlugin, OutputPort, Render, SaveScreenshot,
                             SetActiveSource, Show, Transform)
from paraview import servermanager


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", required=True, help="path to the built GrayScott plugin")
    parser.add_argument("--output", default="output", help="output folder (default ./output)")
    parser.add_argument("--quick", action="store_true", help="a small landscape and descent")
    return parser.parse_args()


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


def show_pattern(view, source, data):
    """v of an image in `view`, from straight above, the grid filling the view."""
    display = Show(source, view)
    display.Representation = "Slice"
    ColorBy(display, ("POINTS", "v"))
    lut = GetColorTransferFunction("v")
    lut.ApplyPreset("Viridis (matplotlib)", True)
    lut.RescaleTransferFunction(0.0, 0.5)
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


def save_layout(views, path, size):
    """Two or four views side by side in one picture."""
    layout = CreateLayout(os.path.basename(path))
    layout.SplitHorizontal(0, 0.5)  # cells 1 and 2
    cells = [1, 2]
    if len(views) == 4:
        layout.SplitHorizontal(1, 0.5)  # cells 3 and 4
        layout.SplitHorizontal(2, 0.5)  # cells 5 and 6
        cells = [3, 4, 5, 6]
    for view, cell in zip(views, cells):
        layout.AssignView(cell, view)
    SaveScreenshot(path, layout, ImageResolution=size)


def story(ns, args, target):
    """Parts 2-4: the landscape, the curves, the three inversions, the table and pictures."""
    out = args.output
    land, data = lp.make_landscape(ns, args.quick, losses=("logps", "residual"))
    save_data(os.path.join(out, "landscape.vti"), land)
    SetActiveSource(None)
    curves = ns["GrayScottBifurcationCurves"](FRange=list(lp.F_RANGE), KRange=list(lp.K_RANGE))
    save_data(os.path.join(out, "curves.vtp"), OutputPort(curves, 0))

    truth = (0.16, 0.08, 0.035, 0.065)
    iterations = 3 if args.quick else 30
    methods = [
        ("gradient", dict(Method="Gradient", Iterations=iterations, BatchSize=2, Seed=1)),
        ("residual_fit", dict(Method="ResidualFit", ResidualMethod="Steady")),
        ("hybrid", dict(Method="Hybrid", ResidualMethod="Steady", Iterations=2, BatchSize=1,
                        Seed=1, LearningRate=1e-3)),
    ]
    results = []
    target.UpdatePipeline()  # UArray's default (u, or None for v alone) comes from its arrays
    for name, properties in methods:
        SetActiveSource(None)
        inversion = ns["GrayScottInversion"](Input=target, **properties)
        began = time.time()
        inversion.UpdatePipeline()
        elapsed = time.time() - began
        table = servermanager.Fetch(inversion)
        last = table.GetNumberOfRows() - 1
        estimate = [table.GetValueByName(last, p).ToDouble() for p in ("Du", "Dv", "F", "k")]
        results.append((name, inversion, estimate, elapsed, table.GetNumberOfRows()))
        save_data(os.path.join(out, name + "_history.csv"), OutputPort(inversion, 0))
        save_data(os.path.join(out, name + "_trajectory.vtp"), OutputPort(inversion, 1))
        save_data(os.path.join(out, name + "_pattern.vti"), OutputPort(inversion, 2))

    print()
    print("Which parameters made the target? (truth Du, Dv, F, k = %s)" % ", ".join(map(str, truth)))
    print("| method | rows | Du | Dv | F | k | largest relative error | time |")
    print("|---|---|---|---|---|---|---|---|")
    print("| truth | - | %s | - | - |" % " | ".join("%.5g" % t for t in truth))
    for name, _, estimate, elapsed, rows in results:
        error = max(abs(e - t) / t for e, t in zip(estimate, truth))
        print("| %s | %d | %s | %.2e | %.1f s |" % (
            name, rows, " | ".join("%.5g" % e for e in estimate), error, elapsed))

    # landscapes.png: logps and residual side by side, curves and trajectories above them.
    views = []
    for array in ("logps", "residual"):
        view = open_view([1000, 800])
        lp.show_landscape(ns, view, land, data, "%s over (F, k)" % array, array=array)
        for (name, inversion, estimate, _, _), colour in zip(
                results, ((0.85, 0.1, 0.85), (0.85, 0.1, 0.1), (1.0, 0.55, 0.0))):
            lifted = Transform(Input=OutputPort(inversion, 1))
            lifted.Transform.Translate = [0.0, 0.0, 1.06 * lp.HEIGHT]
            path = Show(lifted, view)
            path.ColorArrayName = ["POINTS", ""]
            path.AmbientColor = path.DiffuseColor = list(colour)
            path.LineWidth = 5.0
            path.RenderLinesAsTubes = 1
            path.PointSize = 16.0 if name != "gradient" else 7.0
            path.RenderPointsAsSpheres = 1
            path.Representation = "Surface" if name == "gradient" else "Points"
        views.append(view)
    Render(views[0])
    save_layout(views, os.path.join(out, "landscapes.png"), [2000, 800])

    # patterns.png: the target and what each estimate makes.
    pattern_views = []
    target_data = servermanager.Fetch(target)
    view = open_view([600, 600])
    show_pattern(view, target, target_data)
    pattern_views.append(view)
    for name, inversion, _, _, _ in results:
        port = OutputPort(inversion, 2)
        view = open_view([600, 600])
        show_pattern(view, port, target_data)  # the same grid as the target
        pattern_views.append(view)
    save_layout(pattern_views, os.path.join(out, "patterns.png"), [2400, 600])
    for view in views + pattern_views:
        Delete(view)
    print("  wrote       : landscape.vti, curves.vtp, *_history.csv, *_trajectory.vtp, *_pattern.vti,"
          " landscapes.png, patterns.png")
    print("  legend      : magenta gradient descent, red residual fit, orange hybrid; patterns:"
          " target, gradient, residual fit, hybrid")


def main():
    args = parse_args()
    ensure_display()
    os.makedirs(args.output, exist_ok=True)
    vti_path = os.path.join(args.output, "gray_scott_target.vti")
    png_path = os.path.join(args.output, "gray_scott_target.png")

    ns = globals()
    LoadPlugin(args.plugin, remote=False, ns=ns)
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

    save_data(vti_path, pattern)
    show_pattern(view, pattern, data)
    SaveScreenshot(png_path, view, ImageResolution=[800, 800])
    # A render view still alive at sys.exit() dies with an X error (GLXBadContext) and exit
    # status 1 on this ParaView; delete it while the X connection is open.
    Delete(view)
    del view

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
    if field_value(data, "BlowUp") != "0":
        return 1
    story(ns, args, pattern)
    print("  total time  : %.1f s" % (time.time() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
