"""Every kind of file the project writes opens again with ParaView's own readers, bitwise:
saved as the scripts save them (gs_scripts.save_data: VTK XML inline and compressed, CSV with
17 digits), reopened with OpenDataFile. The pattern and the landscape (.vti, and .pvti with
its piece), the bifurcation curves and an inversion's trajectory (.vtp), the inversion's
history, a residual fit and a gradient (.csv). None holds appended data, which ParaView 5.11
does not read back with the current expat of Debian 12; for contrast, the same image saved in
the writers' default (appended) mode is read here by the Gray-Scott Ready File reader."""

import os
import shutil
import tempfile

import gs_testing as t
from gs_scripts import save_data
from paraview.simple import OpenDataFile, OutputPort, SaveData, SetActiveSource, XMLImageDataReader
from paraview import servermanager


def same_arrays(a, b, what):
    """Every point, cell and field array of `a` is in `b` with the same bytes (strings: values)."""
    ok = True
    for kind in ("GetPointData", "GetCellData", "GetFieldData"):
        fa, fb = getattr(a, kind)(), getattr(b, kind)()
        for i in range(fa.GetNumberOfArrays()):
            x = fa.GetAbstractArray(i)
            y = fb.GetAbstractArray(x.GetName())
            if y is None or y.GetNumberOfTuples() != x.GetNumberOfTuples() or \
                    y.GetNumberOfComponents() != x.GetNumberOfComponents():
                print("%s: %s %s missing or of another shape" % (what, kind, x.GetName()))
                ok = False
            elif x.IsA("vtkDataArray"):
                if bytes(memoryview(x)) != bytes(memoryview(y)):
                    print("%s: %s %s differs" % (what, kind, x.GetName()))
                    ok = False
            elif [x.GetVariantValue(j).ToString() for j in range(x.GetNumberOfValues())] != \
                    [y.GetVariantValue(j).ToString() for j in range(y.GetNumberOfValues())]:
                print("%s: %s %s differs" % (what, kind, x.GetName()))
                ok = False
    return ok


def same_table(a, b, what):
    """Every numeric column of table `a` read back from CSV with the same values."""
    ok = a.GetNumberOfRows() == b.GetNumberOfRows()
    for c in range(a.GetNumberOfColumns()):
        x = a.GetColumn(c)
        if not x.IsA("vtkDataArray"):
            continue
        for comp in range(x.GetNumberOfComponents()):
            name = x.GetName() if x.GetNumberOfComponents() == 1 else "%s_%d" % (x.GetName(), comp)
            y = b.GetColumnByName(name)
            if y is None and x.GetNumberOfComponents() > 1 and x.GetComponentName(comp):
                y = b.GetColumnByName("%s_%s" % (x.GetName(), x.GetComponentName(comp)))
            if y is None:
                print("%s: column %s missing (%s)" % (what, name, [b.GetColumnName(i) for i in range(
                    b.GetNumberOfColumns())]))
                ok = False
                continue
            for r in range(a.GetNumberOfRows()):
                p, q = x.GetComponent(r, comp), y.GetVariantValue(r).ToDouble()
                if not (p == q or (p != p and q != q)):
                    print("%s: %s row %d: %r read back as %r" % (what, name, r, p, q))
                    ok = False
                    break
    return ok


def reopen(path):
    SetActiveSource(None)
    proxy = OpenDataFile(path)
    if proxy is None:
        return None
    proxy.UpdatePipeline()
    return servermanager.Fetch(proxy)


def check_file(folder, name, proxy, port=0):
    path = os.path.join(folder, name)
    source = OutputPort(proxy, port) if port else proxy
    save_data(path, source)
    original = servermanager.Fetch(proxy, idx=port)
    with open(path, "rb") as f:
        text = f.read()
    if not name.endswith(".csv"):
        t.check(b"<AppendedData" not in text, "%s holds no appended data" % name)
    back = reopen(path)
    t.check(back is not None, "%s opens" % name)
    if back is None:
        return
    if name.endswith(".csv"):
        t.check(same_table(original, back, name), "%s reads back with the same values" % name)
    else:
        t.check(back.GetNumberOfPoints() == original.GetNumberOfPoints() and
                back.GetNumberOfCells() == original.GetNumberOfCells() and original.GetNumberOfPoints() > 0,
                "%s reads back whole (%d of %d points)" % (name, back.GetNumberOfPoints(),
                                                           original.GetNumberOfPoints()))
        t.check(same_arrays(original, back, name), "%s reads back bitwise" % name)


def main():
    args = t.parse_args()
    ns = globals()
    t.load_plugin(args.plugin, ns)
    folder = tempfile.mkdtemp(prefix="gs-files-")

    target = t.new_pattern(ns, Dimensions=[48, 48, 1], NumberOfSteps=2000, SteadyStateTolerance=0.0,
                           SeedPatchSize=12)
    check_file(folder, "pattern.vti", target)
    SetActiveSource(None)
    land = ns["GrayScottLossLandscape"](Target=target, Losses=["logps", "residual"], XResolution=3,
                                        YResolution=2, NumberOfInitialConditions=1, NumberOfSteps=500)
    check_file(folder, "landscape.vti", land)
    check_file(folder, "landscape.pvti", land)
    SetActiveSource(None)
    curves = ns["GrayScottBifurcationCurves"]()
    check_file(folder, "curves.vtp", curves)
    check_file(folder, "pearson_points.vtp", curves, 1)
    SetActiveSource(None)
    inversion = ns["GrayScottInversion"](Input=target, Method="Hybrid", Iterations=2)
    check_file(folder, "history.csv", inversion)
    check_file(folder, "trajectory.vtp", inversion, 1)
    check_file(folder, "inversion_pattern.vti", inversion, 2)
    SetActiveSource(None)
    fit = ns["GrayScottResidualFit"](Input=target, Method="Steady")
    check_file(folder, "residual_fit.csv", fit)
    SetActiveSource(None)
    gradient = ns["GrayScottLossGradient"](Target=target, NumberOfSteps=200, SteadyStateTolerance=0.0)
    check_file(folder, "gradient.csv", gradient)

    # The writers' default is appended data: the Gray-Scott Ready File reader reads it back on
    # every expat (ParaView 5.11's own reader does not with the current one).
    appended = os.path.join(folder, "appended.vti")
    SaveData(appended, proxy=target)
    SetActiveSource(None)
    back = servermanager.Fetch(ns["GrayScottReadyFile"](FileName=appended))
    t.check(same_arrays(servermanager.Fetch(target), back, "appended.vti") and back.GetNumberOfPoints() > 0,
            "an appended .vti reads back bitwise with the Gray-Scott Ready File reader")

    # A filter fed by a reader that gave nothing says which file and why.
    SetActiveSource(None)
    stock = XMLImageDataReader(FileName=[appended])
    SetActiveSource(None)
    fit = ns["GrayScottResidualFit"](Input=stock)
    messages = t.Messages(fit)
    fit.UpdatePipeline()
    text = " ".join(messages.errors)
    if servermanager.Fetch(stock).GetNumberOfPoints() == 0:
        t.check("appended.vti': the file stores its arrays as appended data" in text and
                "Gray-Scott Ready File reader" in text,
                "an appended file ParaView's reader cannot read here is named, with why (%s)" % text)
    else:
        print("ParaView's reader reads appended data with this expat: no message expected")
    SetActiveSource(None)
    missing = XMLImageDataReader(FileName=[os.path.join(folder, "missing.vti")])
    SetActiveSource(None)
    fit = ns["GrayScottResidualFit"](Input=missing)
    messages = t.Messages(fit)
    fit.UpdatePipeline()
    text = " ".join(messages.errors)
    t.check("cannot open the file '" in text and "missing.vti" in text,
            "a missing file is named (%s)" % text)
    shutil.rmtree(folder)


t.run(main)
