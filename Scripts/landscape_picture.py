"""README's landscape pictures: the logps loss over (F, k) as a heat map seen from above, with
the bifurcation curves of the well-mixed system and the truth on it (Data/landscape.png), and
the same loss as a warped 3D surface with the curves lying on it (Data/landscape_3d.png).

    pvbatch Scripts/landscape_picture.py --plugin <path/to/GrayScott.so> [--output Data/landscape.png]

The 3D picture goes beside the output, its name ending in _3d.

The landscape is the paper's protocol at a reduced size so the picture takes about a minute on
two cores: 64 x 64 cells, 10,000 steps, two initial conditions, 25 x 25 points over
F in [0.02, 0.07], k in [0.045, 0.07]. Finished points are kept in a cache file in the
temporary folder, so a second run only renders.
"""

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gs_scripts import ensure_display, open_view  # noqa: E402
import gs_figures as gf  # noqa: E402

from paraview import servermanager  # noqa: E402
from paraview.simple import (ColorBy, Delete, LoadPlugin, OutputPort, Render,  # noqa: E402
                             ResampleWithDataset, SaveScreenshot, SetActiveSource, Show, Threshold,
                             WarpByScalar)

F_RANGE, K_RANGE = (0.02, 0.07), (0.045, 0.07)
WINDOW = (F_RANGE, K_RANGE)
TRUTH = (0.16, 0.08, 0.035, 0.065)
RESOLUTION = 25
HEIGHT = 0.3 * (F_RANGE[1] - F_RANGE[0])  # the plateau's height on screen
PANEL = [900, 520]  # a heat map of the window with its margins


def parse_args(default_output):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--output", default=default_output)
    parser.add_argument("--quick", action="store_true",
                        help="a 5 x 5 landscape of short runs, to check the script")
    return parser.parse_args()


def start(args, size):
    """The display, the plugin (its constructors go into this module's namespace) and a view."""
    ensure_display()
    ns = globals()
    LoadPlugin(args.plugin, remote=False, ns=ns)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    return ns, open_view(size)


def make_landscape(ns, quick, losses=("logps",)):
    """The (F, k) landscape of the pictures: the paper's protocol at 64 x 64, 10,000 steps,
    two initial conditions, 25 x 25 points (5 x 5 short runs when quick), cached on disk."""
    size = dict(Dimensions=[32, 32, 1], NumberOfSteps=1000, XResolution=5, YResolution=5) \
        if quick else dict(Dimensions=[64, 64, 1], NumberOfSteps=10000,
                           XResolution=RESOLUTION, YResolution=RESOLUTION)
    SetActiveSource(None)
    land = ns["GrayScottLossLandscape"](
        Target=None, NumberOfInitialConditions=2, XParameter="F", XRange=list(F_RANGE),
        YParameter="k", YRange=list(K_RANGE), ZParameter="None", Losses=list(losses),
        CacheFile=os.path.join(tempfile.gettempdir(), "gs_landscape_picture.gslc"), **size)
    began = time.time()
    land.UpdatePipeline()
    data = servermanager.Fetch(land)
    for name in losses:
        r = data.GetPointData().GetArray(name).GetRange()
        print("landscape: %d points in %.1f s; %s from %.4g to %.4g" % (
            data.GetNumberOfPoints(), time.time() - began, name, r[0], r[1]))
    return land, data


def heat_map(ns, view, land, letter, text, array="logps", log=False):
    """`array` of the landscape as a heat map seen from above, with the curves and the truth:
    the 2D picture every landscape figure starts from."""
    names = {"logps": "logps", "residual": "residual\n(log scale)"}
    gf.heat_map(view, land, array, WINDOW, names.get(array, array), log=log)
    gf.title(view, letter, text)
    gf.curves(ns, view, WINDOW)
    gf.marker(view, WINDOW, TRUTH[2], TRUTH[3], (1.0, 1.0, 1.0))


def show_landscape(ns, view, land, data, legend_text, array="logps"):
    """`array` of the landscape warped into a surface, seen in perspective, with the
    bifurcation curves lying on it (sampled from the landscape and warped alike), in `view`.
    Returns the factor from the array's values to height."""
    top = data.GetPointData().GetArray(array).GetRange()[1]
    # Points keep their (F, k) coordinates, so the axes show parameter values; the loss is
    # scaled so its highest value stands at HEIGHT.
    surface = WarpByScalar(Input=land, Scalars=["POINTS", array], ScaleFactor=HEIGHT / top)
    SetActiveSource(None)
    curves = ns["GrayScottBifurcationCurves"](FRange=list(F_RANGE), KRange=list(K_RANGE),
                                            Elevation=0.0)
    shown = Show(surface, view)
    grid = shown.DataAxesGrid
    grid.GridAxesVisibility = 1
    grid.XTitle, grid.YTitle, grid.ZTitle = "F", "k", ""
    grid.ZAxisUseCustomLabels = 1  # the height is the scaled loss: the colour bar gives it
    grid.ZAxisLabels = []
    grid.XAxisUseCustomLabels = grid.YAxisUseCustomLabels = 1
    grid.XAxisLabels = gf.ticks(F_RANGE[0], F_RANGE[1], 0.01)
    grid.YAxisLabels = gf.ticks(K_RANGE[0], K_RANGE[1], 0.005)
    # Label only the two near edges, so no labels meet at a corner.
    grid.AxesToLabel = 3  # x-min and y-min
    grid.XTitleFontSize = grid.YTitleFontSize = 26
    grid.XLabelFontSize = grid.YLabelFontSize = 18
    grid.GridColor = [0.3, 0.3, 0.3]
    for name in ("XTitleColor", "YTitleColor", "XLabelColor", "YLabelColor"):
        setattr(grid, name, gf.INK)
    ColorBy(shown, ("POINTS", array))
    gf.colour_bar(view, array, array, (0.0, top))
    shown.SetScalarBarVisibility(view, True)
    shown.Specular = 0.2
    for curve_id, _, colour in gf.CURVES:
        one = Threshold(Input=OutputPort(curves, 0), Scalars=["CELLS", "curve_id"])
        one.LowerThreshold = one.UpperThreshold = curve_id
        # The loss along the curve, then the same warp as the surface's, a little above it.
        on_land = ResampleWithDataset(SourceDataArrays=land, DestinationMesh=one)
        on_surface = WarpByScalar(Input=on_land, Scalars=["POINTS", array],
                                  ScaleFactor=HEIGHT / top)
        lifted = gf.lifted(on_surface, 0.01 * HEIGHT)
        line = Show(lifted, view)
        gf.solid(line, colour)
        line.LineWidth = 5.0
        line.RenderLinesAsTubes = 1
    gf.title(view, None, legend_text, font=20)

    camera = view.GetActiveCamera()
    w = F_RANGE[1] - F_RANGE[0]
    camera.SetFocalPoint(sum(F_RANGE) / 2, sum(K_RANGE) / 2, HEIGHT / 3)
    # Steeply from above, so the valley shows between the plateaus.
    camera.SetPosition(sum(F_RANGE) / 2 - 0.5 * w, sum(K_RANGE) / 2 - 1.0 * w, 3.4 * w)
    camera.SetViewUp(0.0, 0.0, 1.0)
    view.CameraParallelProjection = 0
    camera.SetViewAngle(30.0)
    camera.Zoom(1.3)
    Render(view)
    return HEIGHT / top


def three_d_path(path):
    """Where a script's 3D picture goes: beside `path`, its name ending in _3d."""
    stem, extension = os.path.splitext(path)
    return stem + "_3d" + extension


def save(view, path):
    SaveScreenshot(path, view, ImageResolution=[1400, 900])
    if not os.path.getsize(path) if os.path.exists(path) else True:
        sys.exit("no picture was written to %s" % path)
    print("wrote %s" % path)
    # A render view alive at exit dies with an X error on this ParaView: delete it first.
    Delete(view)


def main():
    args = parse_args("Data/landscape.png")
    ns, view = start(args, PANEL)
    land, data = make_landscape(ns, args.quick)
    heat_map(ns, view, land, None, "logps over (F, k): the paper's protocol at 64 x 64, "
             "10,000 steps, two initial conditions")
    gf.note(view, "white: truth\n" + gf.CURVE_LEGEND + " (Du, Dv = 0.16, 0.08)")
    gf.save_grid([view], args.output, PANEL)
    view = open_view([1400, 900])
    show_landscape(ns, view, land, data, "logps over (F, k) as a surface, the curves on it: "
                   + gf.CURVE_LEGEND.replace("curves: ", ""))
    save(view, three_d_path(args.output))


if __name__ == "__main__":
    main()
