"""README's landscape picture: the logps loss over (F, k) as a warped 3D surface, coloured by
the loss, with the bifurcation curves of the well-mixed system on it.

    pvbatch Scripts/landscape_picture.py --plugin <path/to/GrayScott.so> [--output Data/landscape.png]

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

from paraview import servermanager  # noqa: E402
from paraview.simple import (ColorBy, Delete, GetColorTransferFunction, GetScalarBar,  # noqa: E402
                             LoadPlugin, OutputPort, Render, SaveScreenshot, SetActiveSource, Show,
                             Text, Threshold, WarpByScalar)

F_RANGE, K_RANGE = (0.02, 0.07), (0.045, 0.07)
RESOLUTION = 25
HEIGHT = 0.3 * (F_RANGE[1] - F_RANGE[0])  # the plateau's height on screen
CURVE_COLOURS = {0: (0.05, 0.05, 0.05), 1: (0.85, 0.1, 0.1), 2: (0.1, 0.35, 0.95)}


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


def show_landscape(ns, view, land, data, legend_text, array="logps"):
    """`array` of the landscape warped into a surface with the bifurcation curves on it, in
    `view`. Returns the factor from the array's values to height."""
    top = data.GetPointData().GetArray(array).GetRange()[1]
    # Points keep their (F, k) coordinates, so the axes show parameter values; the loss is
    # scaled so its highest value stands at HEIGHT.
    surface = WarpByScalar(Input=land, Scalars=["POINTS", array], ScaleFactor=HEIGHT / top)
    SetActiveSource(None)
    curves = ns["GrayScottBifurcationCurves"](FRange=list(F_RANGE), KRange=list(K_RANGE),
                                            Elevation=HEIGHT * 1.003)
    shown = Show(surface, view)
    grid = shown.DataAxesGrid
    grid.GridAxesVisibility = 1
    grid.XTitle, grid.YTitle, grid.ZTitle = "F", "k", ""
    grid.ZAxisUseCustomLabels = 1  # the height is the scaled loss: the colour bar gives it
    grid.ZAxisLabels = []
    grid.XTitleFontSize = grid.YTitleFontSize = 26
    grid.XLabelFontSize = grid.YLabelFontSize = 18
    grid.GridColor = [0.3, 0.3, 0.3]
    for name in ("XTitleColor", "YTitleColor", "XLabelColor", "YLabelColor"):
        setattr(grid, name, [0.1, 0.1, 0.1])
    ColorBy(shown, ("POINTS", array))
    lut = GetColorTransferFunction(array)
    lut.ApplyPreset("Viridis (matplotlib)", True)
    lut.RescaleTransferFunction(0.0, top)
    shown.SetScalarBarVisibility(view, True)
    bar = GetScalarBar(lut, view)
    bar.Title = array
    bar.ComponentTitle = ""
    bar.TitleColor = bar.LabelColor = [0.1, 0.1, 0.1]
    bar.TitleFontSize = bar.LabelFontSize = 20
    bar.RangeLabelFormat = "%.0f" if top > 10 else "%.2g"
    shown.Specular = 0.2
    for curve_id, colour in CURVE_COLOURS.items():
        one = Threshold(Input=OutputPort(curves, 0), Scalars=["CELLS", "curve_id"])
        one.LowerThreshold = one.UpperThreshold = curve_id
        line = Show(one, view)
        line.ColorArrayName = ["POINTS", ""]
        line.AmbientColor = line.DiffuseColor = list(colour)
        line.LineWidth = 5.0
        line.RenderLinesAsTubes = 1
    legend = Text(Text=legend_text)
    legend_shown = Show(legend, view)
    legend_shown.WindowLocation = "Lower Left Corner"
    legend_shown.FontSize = 22
    legend_shown.Color = [0.1, 0.1, 0.1]

    camera = view.GetActiveCamera()
    w = F_RANGE[1] - F_RANGE[0]
    camera.SetFocalPoint(sum(F_RANGE) / 2, sum(K_RANGE) / 2, HEIGHT / 3)
    camera.SetPosition(sum(F_RANGE) / 2 + 0.5 * w, sum(K_RANGE) / 2 - 1.2 * w, 3.2 * w)
    camera.SetViewUp(0.0, 0.0, 1.0)
    view.CameraParallelProjection = 0
    camera.SetViewAngle(30.0)
    camera.Zoom(1.5)
    Render(view)
    return HEIGHT / top


def save(view, path):
    SaveScreenshot(path, view, ImageResolution=[1400, 900])
    if not os.path.getsize(path) if os.path.exists(path) else True:
        sys.exit("no picture was written to %s" % path)
    print("wrote %s" % path)
    # A render view alive at exit dies with an X error on this ParaView: delete it first.
    Delete(view)


LEGEND = ("logps over (F, k), paper's protocol at 64 x 64, 10,000 steps\n"
          "black: saddle-node   red: Hopf   blue: Turing (Du, Dv = 0.16, 0.08)")


def main():
    args = parse_args("Data/landscape.png")
    ns, view = start(args, [1400, 900])
    land, data = make_landscape(ns, args.quick)
    show_landscape(ns, view, land, data, LEGEND)
    save(view, args.output)


if __name__ == "__main__":
    main()
