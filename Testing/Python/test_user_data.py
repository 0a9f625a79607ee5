"""Users' own data as targets: a PNG picture of a pattern (ParaView's image reader, a Calculator
from grey level to v) for a loss landscape. Ready's files: test_ready.py."""

import math
import os
import tempfile

import gs_testing as t
from paraview.simple import Calculator, PNGSeriesReader, SetActiveSource
from vtkmodules.vtkCommonDataModel import vtkImageData
from vtkmodules.vtkIOImage import vtkPNGWriter
from vtkmodules.vtkImagingCore import vtkImageShiftScale


def main():
    args = t.parse_args()
    ns = globals()
    t.load_plugin(args.plugin, ns)
    folder = tempfile.mkdtemp(prefix="gs-user-data-")
    pattern = t.output(t.new_pattern(ns, Dimensions=[64, 64, 1], NumberOfSteps=3000,
                                     SteadyStateTolerance=0.0, SeedPatchSize=16))

    # A grey picture of v (0..0.5 -> 0..255), as a camera or another program would save it.
    grey = vtkImageData()
    grey.ShallowCopy(pattern)
    grey.GetPointData().SetActiveScalars("v")
    scale = vtkImageShiftScale()
    scale.SetInputData(grey)
    scale.SetScale(255 / 0.5)
    scale.SetOutputScalarTypeToUnsignedChar()
    scale.ClampOverflowOn()
    png = os.path.join(folder, "pattern.png")
    writer = vtkPNGWriter()
    writer.SetInputConnection(scale.GetOutputPort())
    writer.SetFileName(png)
    writer.Write()

    SetActiveSource(None)
    picture = PNGSeriesReader(FileNames=[png])  # OpenDataFile would choose GDAL, with cell data
    SetActiveSource(None)
    v = Calculator(Input=picture, ResultArrayName="v", Function="PNGImage / 255 * 0.5")
    SetActiveSource(None)
    land = ns["GrayScottLossLandscape"](Target=v, Losses=["logps"], XParameter="F",
                                        XRange=[0.03, 0.04], XResolution=3, YParameter="None",
                                        NumberOfInitialConditions=1, NumberOfSteps=3000,
                                        SeedPatchSize=16)
    messages = t.Messages(land)
    data = t.output(land)
    logps = t.values(data, "logps") if data.GetNumberOfPoints() else []
    t.check(len(logps) == 3 and all(math.isfinite(x) for x in logps) and not messages.errors,
            "a PNG target gives a landscape (%s)" % logps)
    t.check(t.field(data, "Target") == "observed" and t.field(data, "Dimensions") == [64, 64, 1],
            "on the picture's grid, 64 x 64")
    t.check(logps and min(logps) == logps[1], "lowest at the truth F = 0.035 (%s)" % logps)

    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    os.rmdir(folder)


t.run(main)
