"""Builds the ParaView state file Data/gray_scott.pvsm and its picture Data/gray_scott_state.png:
the main job's pipeline at a size that loads in seconds, plus the 3D views.

    pvbatch Scripts/make_state.py --plugin <path/to/GrayScott.so>

Four views: the paper's target (64 x 64 here); the warped logps landscape over (F, k) (9 x 9
points, 32 x 32 cells, 1,500 steps, one initial condition) with the bifurcation curves and the
descent's and residual fit's trajectories; a 3D pattern (32^3, iso-surface v = 0.2); and a 3D
landscape over (F, k, Du) (7 x 7 x 4 points) shown by an iso-surface of logps. In the GUI: load
the plugin, then File > Load State.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gs_scripts import ensure_display, open_view  # noqa: E402

from paraview.simple import (ColorBy, Contour, CreateLayout, Delete, GetColorTransferFunction,  # noqa: E402
                             LoadPlugin, OutputPort, Render, SaveScreenshot, SaveState,
                             SetActiveSource, Show, WarpByScalar)

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "Data")


def build(ns):
    """The pipeline and its four views, in a layout; returns the layout."""
    views = [open_view([700, 500]) for _ in range(4)]

    SetActiveSource(None)
    target = ns["GrayScottPattern"](registrationName="Target", InitialState=None,
                                    Dimensions=[64, 64, 1], SeedPatchSize=16)
    shown = Show(target, views[0])
    shown.Representation = "Slice"
    ColorBy(shown, ("POINTS", "v"))
    GetColorTransferFunction("v").ApplyPreset("Viridis (matplotlib)", True)

    SetActiveSource(None)
    land = ns["GrayScottLossLandscape"](
        registrationName="Landscape", Target=None, Dimensions=[32, 32, 1], NumberOfSteps=1500,
        NumberOfInitialConditions=1, SeedPatchSize=10, XRange=[0.02, 0.07], XResolution=9,
        YRange=[0.045, 0.07], YResolution=9, Losses=["logps", "residual"])
    surface = WarpByScalar(registrationName="WarpedLogps", Input=land, Scalars=["POINTS", "logps"],
                           ScaleFactor=0.015 / 230.0)
    shown = Show(surface, views[1])
    ColorBy(shown, ("POINTS", "logps"))
    SetActiveSource(None)
    curves = ns["GrayScottBifurcationCurves"](registrationName="Curves", FRange=[0.02, 0.07],
                                            KRange=[0.045, 0.07], Elevation=0.0152)
    Show(OutputPort(curves, 0), views[1]).LineWidth = 3.0
    SetActiveSource(None)
    descent = ns["GrayScottInversion"](registrationName="Descent", Input=target, Method="Gradient",
                                       Iterations=5, BatchSize=1, NumberOfSteps=3000,
                                       SeedPatchSize=16, ZParameter="Loss", ZScale=0.015 / 230.0)
    path = Show(OutputPort(descent, 1), views[1])
    path.AmbientColor = path.DiffuseColor = [0.85, 0.1, 0.85]
    path.LineWidth = 4.0

    SetActiveSource(None)
    cube = ns["GrayScottPattern"](registrationName="Pattern3D", InitialState=None,
                                  Dimensions=[32, 32, 32], NumberOfSteps=2000, SeedPatchSize=12)
    iso = Contour(registrationName="Spots3D", Input=cube, ContourBy=["POINTS", "v"], Isosurfaces=[0.2])
    Show(iso, views[2])

    SetActiveSource(None)
    land3 = ns["GrayScottLossLandscape"](
        registrationName="Landscape3D", Target=None, Dimensions=[24, 24, 1], NumberOfSteps=1000,
        NumberOfInitialConditions=1, SeedPatchSize=8, XRange=[0.02, 0.07], XResolution=7,
        YRange=[0.045, 0.07], YResolution=7, ZParameter="Du", ZRange=[0.12, 0.2], ZResolution=4,
        Losses=["logps"])
    shell = Contour(registrationName="LogpsShell", Input=land3, ContourBy=["POINTS", "logps"],
                    Isosurfaces=[100.0])
    Show(shell, views[3])
    Show(land3, views[3]).Representation = "Outline"

    layout = CreateLayout("Gray-Scott")
    layout.SplitHorizontal(0, 0.5)
    layout.SplitVertical(1, 0.5)
    layout.SplitVertical(2, 0.5)
    for cell, view in zip((3, 4, 5, 6), views):
        layout.AssignView(cell, view)
        view.ResetCamera(False)
        Render(view)
    return layout, views


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--state", default=os.path.join(DATA, "gray_scott.pvsm"))
    parser.add_argument("--picture", default=os.path.join(DATA, "gray_scott_state.png"))
    args = parser.parse_args()
    ensure_display()
    ns = globals()
    LoadPlugin(args.plugin, remote=False, ns=ns)
    layout, views = build(ns)
    SaveState(args.state)
    SaveScreenshot(args.picture, layout, ImageResolution=[1400, 1000])
    print("wrote %s and %s" % (args.state, args.picture))
    for view in views:
        Delete(view)


if __name__ == "__main__":
    main()
