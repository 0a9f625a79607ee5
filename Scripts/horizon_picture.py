"""README's horizon pictures: the pixel horizon loss over (F, k, K), from one step (the residual's
bowl) to K = 10,000 (plateaus and cliffs). Data/horizon.png: heat maps of three slices seen
from above, K = 1, 193 and 10,000, one logarithmic colour scale, with the bifurcation curves of
the well-mixed system and the truth; Data/horizon_3d.png: the same slices stacked in the
(F, k, log10 K) volume, coloured by log10 of the loss.

    pvbatch Scripts/horizon_picture.py --plugin <path/to/GrayScott.so> [--output Data/horizon.png]
        [--state Data/horizon.pvsm]

The target is the paper's truth on 64 x 64 cells, run until steady to 1e-10 per step; the
landscape 25 x 25 points over the paper's window F 0.03-0.07, k 0.053-0.068 and 8 horizons
K = 1 to 10,000, log-spaced (about 40 s on two cores; finished points are kept in a cache file
in the temporary folder). With --state the pipeline is also saved as a ParaView state: load the
plugin, then File > Load State, to turn the volume in the GUI (the Landscape's output is the
whole (F, k, log10 K) image: volume-render it, or slice it with the time-free Slice filter).
"""

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gs_scripts import ensure_display, open_view  # noqa: E402
import gs_figures as gf  # noqa: E402
from landscape_picture import TRUTH, three_d_path  # noqa: E402

from paraview import servermanager  # noqa: E402
from paraview.simple import (Calculator, ColorBy, Delete, ExtractSubset, GetColorTransferFunction,  # noqa: E402
                             GetScalarBar, LoadPlugin, Outline, Render, SaveScreenshot, SaveState,
                             SetActiveSource, Show, Text, Transform)

F_RANGE, K_RANGE = (0.03, 0.07), (0.053, 0.068)
PANEL = [900, 440]  # a heat map of the window with its margins
DECADE = 0.3 * (F_RANGE[1] - F_RANGE[0]) / 4  # the height of a factor 10 in K on screen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--output", default="Data/horizon.png")
    parser.add_argument("--state", default="")
    parser.add_argument("--quick", action="store_true", help="a small volume, to check the script")
    args = parser.parse_args()
    ensure_display()
    ns = globals()
    LoadPlugin(args.plugin, remote=False, ns=ns)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    n, cells, horizons = (5, 32, 3) if args.quick else (25, 64, 8)
    SetActiveSource(None)
    target = ns["GrayScottPattern"](registrationName="SteadyTarget", InitialState=None,
                                    Dimensions=[cells, cells, 1], NumberOfSteps=2000000,
                                    SteadyStateTolerance=1e-10)
    SetActiveSource(None)
    land = ns["GrayScottLossLandscape"](
        registrationName="HorizonLandscape", Target=target, XParameter="F", XRange=list(F_RANGE),
        XResolution=n, YParameter="k", YRange=list(K_RANGE), YResolution=n,
        ZParameter="Horizon", ZRange=[1, 10000 if not args.quick else 100], ZResolution=horizons,
        Losses=["pixel"], IncludeU=1,
        CacheFile=os.path.join(tempfile.gettempdir(), "gs_horizon_picture%s.gslc" % ("_quick" if args.quick else "")))
    logged = Calculator(registrationName="Log10Loss", Input=land, ResultArrayName="log10_pixel",
                        Function="log10(pixel)")
    logged.UpdatePipeline()
    data = servermanager.Fetch(logged)
    lo, hi = data.GetPointData().GetArray("log10_pixel").GetRange()
    z_spacing = data.GetSpacing()[2]
    print("horizon landscape: %d points; log10 pixel from %.2f to %.2f" % (data.GetNumberOfPoints(), lo, hi))
    k_max = 10000 if not args.quick else 100
    shown_slices = sorted({0, horizons // 2, horizons - 1})
    # The axis's K (Core's rule: round(min (max/min)^t)); a run that reaches an exact fixed
    # point stops early, so the steps array may be smaller.
    K_of = {i: int(round(k_max ** (i / (horizons - 1.0)))) for i in shown_slices}

    # The heat maps: one panel per slice, one colour scale for all.
    window = (F_RANGE, K_RANGE)
    views = []
    for letter, i in zip("abc", shown_slices):
        view = open_view(PANEL)
        layer = ExtractSubset(Input=land, VOI=[0, n - 1, 0, n - 1, i, i])
        gf.heat_map(view, layer, "pixel", window, "pixel loss\n(log scale)", log=True,
                    value_range=(10.0 ** lo, 10.0 ** hi), z=i * z_spacing,
                    y_ticks=[0.055, 0.065])
        what = "1 step: the residual's bowl" if K_of[i] == 1 else "{:,} steps".format(K_of[i])
        gf.title(view, letter, "pixel horizon loss after K = " + what)
        gf.curves(ns, view, window)
        gf.marker(view, window, TRUTH[2], TRUTH[3], (1.0, 1.0, 1.0))
        gf.note(view, "white: truth\n" + gf.CURVE_LEGEND)
        views.append(view)
    gf.save_grid(views, args.output, PANEL)

    # The 3D picture: the slices stacked in (F, k, log10 K).
    view = open_view([1400, 1000])
    lut = GetColorTransferFunction("log10_pixel")
    lut.ApplyPreset("Viridis (matplotlib)", True)
    for i in shown_slices:
        K = K_of[i]
        layer = ExtractSubset(registrationName="K%d" % K, Input=logged,
                              VOI=[0, n - 1, 0, n - 1, i, i])
        lifted = Transform(Input=layer)
        lifted.Transform.Scale = [1.0, 1.0, DECADE]
        shown = Show(lifted, view)
        ColorBy(shown, ("POINTS", "log10_pixel"))
        shown.SetScalarBarVisibility(view, True)
        SetActiveSource(None)
        curves = ns["GrayScottBifurcationCurves"](FRange=list(F_RANGE), KRange=list(K_RANGE),
                                                Elevation=i * z_spacing * DECADE + 1e-5)
        line = Show(curves, view)
        line.ColorArrayName = ["POINTS", ""]
        line.AmbientColor = line.DiffuseColor = [0.9, 0.1, 0.1]
        line.LineWidth = 3.0
        label = Text(Text="K = {:,}".format(K))
        label_shown = Show(label, view)
        label_shown.WindowLocation = "Any Location"
        label_shown.Position = [0.02, 0.2 + 0.6 * shown_slices.index(i) / max(1, len(shown_slices) - 1)]
        label_shown.FontSize = 22
        label_shown.Color = [0.1, 0.1, 0.1]
    box = Transform(Input=Outline(Input=logged))
    box.Transform.Scale = [1.0, 1.0, DECADE]
    box_shown = Show(box, view)
    box_shown.AmbientColor = box_shown.DiffuseColor = [0.3, 0.3, 0.3]
    lut.AutomaticRescaleRangeMode = "Never"
    lut.RescaleTransferFunction(lo, hi)
    bar = GetScalarBar(lut, view)
    bar.Title = "log10 pixel horizon loss"
    bar.ComponentTitle = ""
    bar.TitleColor = bar.LabelColor = [0.1, 0.1, 0.1]
    bar.TitleFontSize = bar.LabelFontSize = 20
    bar.RangeLabelFormat = "%.1f"
    legend = Text(Text="F (x) 0.03-0.07, k (y) 0.053-0.068, horizon K up (log scale); red: bifurcation curves")
    legend_shown = Show(legend, view)
    legend_shown.WindowLocation = "Lower Center"
    legend_shown.FontSize = 20
    legend_shown.Color = [0.1, 0.1, 0.1]

    camera = view.GetActiveCamera()
    w = F_RANGE[1] - F_RANGE[0]
    top = (horizons - 1) * z_spacing * DECADE
    camera.SetFocalPoint(sum(F_RANGE) / 2, sum(K_RANGE) / 2, top / 2)
    camera.SetPosition(sum(F_RANGE) / 2 + 0.6 * w, sum(K_RANGE) / 2 - 1.6 * w, top / 2 + 0.9 * w)
    camera.SetViewUp(0.0, 0.0, 1.0)
    camera.SetViewAngle(30.0)
    Render(view)
    path = three_d_path(args.output)
    SaveScreenshot(path, view, ImageResolution=[1400, 1000])
    if not os.path.exists(path) or not os.path.getsize(path):
        sys.exit("no picture was written to %s" % path)
    print("wrote %s" % path)
    if args.state:
        SaveState(args.state)
        print("wrote %s" % args.state)
    Delete(view)


if __name__ == "__main__":
    main()
