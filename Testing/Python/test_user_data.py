"""Users' own data as targets: a PNG picture of a pattern (ParaView's image reader, a Calculator
from grey level to v) for a loss landscape, and a Ready .vti file (arrays a, b for u, v) for the
residual fit, the landscape's residual, and an inversion."""

import math
import os
import tempfile

import gs_testing as t
from paraview.simple import Calculator, OpenDataFile, PNGSeriesReader, SetActiveSource
from vtkmodules.vtkCommonCore import vtkDoubleArray
from vtkmodules.vtkCommonDataModel import vtkImageData
from vtkmodules.vtkIOImage import vtkPNGWriter
from vtkmodules.vtkIOXML import vtkXMLImageDataWriter
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

    # A Ready file: u and v stored as a and b.
    ready = vtkImageData()
    ready.CopyStructure(pattern)
    for source, name in (("u", "a"), ("v", "b")):
        array = vtkDoubleArray()
        array.DeepCopy(pattern.GetPointData().GetArray(source))
        array.SetName(name)
        ready.GetPointData().AddArray(array)
    vti = os.path.join(folder, "ready.vti")
    writer = vtkXMLImageDataWriter()
    writer.SetInputData(ready)
    writer.SetFileName(vti)
    writer.Write()
    SetActiveSource(None)
    reader = OpenDataFile(vti)
    SetActiveSource(None)
    fit = ns["GrayScottResidualFit"](Input=reader, Method="Steady", UArray="a", VArray="b")
    table = t.output(fit)
    t.check(table.GetNumberOfRows() == 4 and all(
        math.isfinite(table.GetValueByName(r, "estimate").ToDouble()) for r in range(4)),
        "a Ready .vti (a, b) gives a residual fit")
    SetActiveSource(None)
    bowl = t.output(ns["GrayScottLossLandscape"](Target=reader, Losses=["residual"], UArray="a",
                                                 VArray="b", XResolution=3, YResolution=3))
    t.check(bowl.GetPointData().GetArray("residual") is not None and bowl.GetNumberOfPoints() == 9,
            "and a residual landscape")
    SetActiveSource(None)
    history = t.output(ns["GrayScottInversion"](Input=reader, Method="ResidualFit", UArray="a",
                                                VArray="b"))
    t.check(history.GetNumberOfRows() == 1, "and an inversion")
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    os.rmdir(folder)


t.run(main)
