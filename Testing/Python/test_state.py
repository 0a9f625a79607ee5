"""The state file Data/gray_scott.pvsm loads (plugin first, then the state) and renders the
picture in Data/gray_scott_state.png, compared with VTK's image difference and a threshold
(rendering differs slightly between GPUs and Mesa versions)."""

import os
import sys

import gs_testing as t

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Scripts"))
from gs_scripts import ensure_display  # noqa: E402

from paraview.simple import GetLayouts, GetViews, LoadState, SaveScreenshot  # noqa: E402
from vtkmodules.vtkImagingCore import vtkImageDifference  # noqa: E402
from vtkmodules.vtkIOImage import vtkPNGReader  # noqa: E402

# Mean per-pixel error (0-255 scale summed over channels, after VTK's shift tolerance) allowed.
THRESHOLD = 10.0


def read(path):
    reader = vtkPNGReader()
    reader.SetFileName(path)
    reader.Update()
    return reader.GetOutput()


def main():
    def extra(parser):
        parser.add_argument("--state", required=True)
        parser.add_argument("--baseline", required=True)
        parser.add_argument("--output", required=True)

    args = t.parse_args(extra)
    ensure_display()
    ns = globals()
    t.load_plugin(args.plugin, ns)
    LoadState(args.state)
    layouts = list(GetLayouts().values())
    t.check(len(layouts) >= 1, "the state has a layout")
    t.check(len(GetViews()) >= 4, "and four views (%d)" % len(GetViews()))
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    SaveScreenshot(args.output, layouts[-1], ImageResolution=[1400, 1000])
    difference = vtkImageDifference()
    difference.SetInputData(read(args.output))
    difference.SetImageData(read(args.baseline))
    difference.Update()
    error = difference.GetThresholdedError()
    t.check(error < THRESHOLD, "the rendering matches the baseline (thresholded error %.3f < %g)" % (
        error, THRESHOLD))


t.run(main)
