"""Ready's files in their real structure (ready_files.py): both array layouts (a, b and a
two-component Scalars_), both data formats (inline binary and appended, base64 and raw), both
names of the kill rate (k in the inbuilt rule, K in formula rules). Each opens with the Gray-Scott
Ready File reader (u, v, spacing and parameters as Ready defines them), drives the Pattern
source through ReadyFile (bitwise the same run as the mapped properties with the file's state as
InitialState), and serves the residual fit, a residual landscape and an inversion. A file whose
chemicals are placeholders (Ready's generator on load, all zero) gives the parameters and the
grid; the source then starts from its seeded initial condition."""

import math
import os
import shutil
import tempfile

import gs_testing as t
import ready_files
from paraview.simple import OpenDataFile, SetActiveSource

TRUTH = (0.16, 0.08, 0.035, 0.065)


def reader(ns, path):
    SetActiveSource(None)
    return ns["GrayScottReadyFile"](FileName=path)


def floats(values):
    """Values as Ready stores them (Float32), back as doubles."""
    import struct
    return [struct.unpack("<f", struct.pack("<f", x))[0] for x in values]


def main():
    args = t.parse_args()
    ns = globals()
    t.load_plugin(args.plugin, ns)
    folder = tempfile.mkdtemp(prefix="gs-ready-")
    dims = [48, 48, 1]
    steady = t.output(t.new_pattern(ns, Dimensions=dims, NumberOfSteps=60000,
                                    SteadyStateTolerance=1e-7, SeedPatchSize=16, Seed=1))
    t.check(t.field(steady, "Converged") == 1, "the pattern to store is steady")
    a, b = floats(t.values(steady, "u")), floats(t.values(steady, "v"))

    files = []
    for layout in ("named", "scalars"):
        for data in ("binary", "appended", "appended_raw"):
            for kind, kill, extra in (("inbuilt", "k", {}), ("formula", "K", {"dx": "1"})):
                name = "%s_%s_%s.vti" % (kind, layout, data)
                rd = ready_files.rule(kind, kill, extra, accuracy="low" if kind == "formula" else None)
                files.append((ready_files.write(os.path.join(folder, name), dims, a, b, rd, layout, data),
                              kind, layout, data))
    for path, kind, layout, data in files:
        label = os.path.basename(path)
        proxy = reader(ns, path)
        messages = t.Messages(proxy)
        image = t.output(proxy)
        t.check(not messages.errors and not messages.warnings, "%s: read without a message (%s)" % (
            label, messages.errors + messages.warnings))
        t.check(list(image.GetDimensions()) == dims and list(image.GetSpacing()) == [1, 1, 1],
                "%s: its grid, spacing 1" % label)
        t.check(image.GetPointData().GetArray("u") is not None and t.values(image, "u") == a and
                t.values(image, "v") == b, "%s: u, v are the chemicals a, b" % label)
        t.check(t.field(image, "Parameters") == list(TRUTH) and t.field(image, "TimeStep") == 1.0 and
                t.field(image, "HoldsState") == 1 and t.field(image, "Periodic") == 1,
                "%s: Parameters, TimeStep, HoldsState, Periodic" % label)
        t.check(t.field(image, "ReadyRule") == "%s Gray-Scott" % kind, "%s: the rule is named" % label)

    # The Pattern source from a Ready file equals the mapped properties started from its state.
    path = files[3][0]  # formula, a and b, appended base64
    from_file = t.new_pattern(ns, ReadyFile=path, NumberOfSteps=500, SteadyStateTolerance=0.0)
    by_hand = t.new_pattern(ns, Dimensions=dims, NumberOfSteps=500, SteadyStateTolerance=0.0)
    state = reader(ns, path)
    SetActiveSource(None)
    by_hand.InitialState = state
    x, y = t.output(from_file), t.output(by_hand)
    t.check(t.same_bits(x, y, "u") and t.same_bits(x, y, "v") and t.field(x, "StepsTaken") == 500,
            "ReadyFile drives the source: 500 steps from the file's state, bitwise as by hand")

    # Ready's parameters, spacing and time step reach the source: formula rule, K, dx = 0.5.
    rd = ready_files.rule("formula", "K", {"dx": "0.5", "timestep": "0.25", "D_a": "0.1",
                                            "D_b": "0.05", "F": "0.04", "K": "0.06"}, accuracy="low")
    path = ready_files.write(os.path.join(folder, "dx.vti"), dims, a, b, rd, "scalars", "appended")
    source = t.new_pattern(ns, ReadyFile=path, NumberOfSteps=10, SteadyStateTolerance=0.0)
    out = t.output(source)
    t.check(list(out.GetSpacing()) == [0.5, 0.5, 0.5] and t.field(out, "Parameters") == [0.1, 0.05, 0.04, 0.06],
            "dx is Spacing, D_a, D_b, F, K are Du, Dv, F, k (%s, %s)" % (
                list(out.GetSpacing()), t.field(out, "Parameters")))
    by_hand = t.new_pattern(ns, Dimensions=dims, Spacing=[0.5, 0.5, 0.5], TimeStep=0.25, Du=0.1,
                            Dv=0.05, F=0.04, k=0.06, NumberOfSteps=10, SteadyStateTolerance=0.0)
    by_hand.InitialState = reader(ns, path)
    t.check(t.same_bits(out, t.output(by_hand), "v"), "and timestep is TimeStep (bitwise)")

    # Ready's pattern files as shipped: placeholders (all zero), the generator on load, and the
    # formula's default accuracy (the 9-point Laplacian): parameters and grid, a warning each.
    zeros = [0.0] * len(a)
    rd = ready_files.rule("formula", "K", {"dx": "1"}, generate_on_load=True)
    path = ready_files.write(os.path.join(folder, "shipped.vti"), dims, zeros, zeros, rd, "named", "binary")
    proxy = reader(ns, path)
    messages = t.Messages(proxy)
    image = t.output(proxy)
    t.check(image.GetPointData().GetArray("u") is None and t.field(image, "HoldsState") == 0 and
            t.field(image, "Parameters") == list(TRUTH), "a placeholder file: parameters, no u and v")
    warned = " ".join(messages.warnings)
    t.check("holds no state" in warned and "9-point" in warned, "warned: no state, and Ready's 9-point "
            "Laplacian (%s)" % warned)
    source = t.new_pattern(ns, ReadyFile=path, NumberOfSteps=300, SteadyStateTolerance=0.0)
    seeded = t.new_pattern(ns, Dimensions=dims, NumberOfSteps=300, SteadyStateTolerance=0.0)
    t.check(t.same_bits(t.output(source), t.output(seeded), "v"),
            "the source starts from its seeded initial condition then")
    rd = ready_files.rule("inbuilt", "k")
    path = ready_files.write(os.path.join(folder, "zeros.vti"), dims, zeros, zeros, rd, "scalars", "appended")
    t.check(t.field(t.output(reader(ns, path)), "HoldsState") == 0, "all-zero chemicals hold no state")

    # A lower-case k in a formula is its kill rate.
    rd = ready_files.rule("formula", "k", {"dx": "1"}, accuracy="low")
    path = ready_files.write(os.path.join(folder, "formula_k.vti"), dims, a, b, rd, "named", "appended")
    t.check(t.field(t.output(reader(ns, path)), "Parameters") == list(TRUTH), "a formula with k")

    # The file's state serves the residual fit: the truth from Ready's Float32 pattern.
    ready = reader(ns, files[0][0])
    SetActiveSource(None)
    fit = ns["GrayScottResidualFit"](Input=ready, Method="Steady")
    table = t.output(fit)
    estimates = [table.GetValueByName(r, "estimate").ToDouble() for r in range(table.GetNumberOfRows())]
    error = max(abs(e / x - 1) for e, x in zip(estimates, TRUTH)) if len(estimates) == 4 else math.inf
    print("residual fit on the Ready file: %s, largest relative error %.2e" % (estimates, error))
    t.check(error < 1e-3, "the residual fit of the Ready file's state is within 1e-3 of the truth "
            "(Float32 storage; %.2e)" % error)
    SetActiveSource(None)
    bowl = t.output(ns["GrayScottLossLandscape"](Target=ready, Losses=["residual"], XResolution=3,
                                                 YResolution=3))
    t.check(bowl.GetPointData().GetArray("residual") is not None and bowl.GetNumberOfPoints() == 9,
            "and a residual landscape")
    SetActiveSource(None)
    history = t.output(ns["GrayScottInversion"](Input=ready, Method="ResidualFit"))
    t.check(history.GetNumberOfRows() == 1, "and an inversion")

    # ParaView's own reader and appended data on this system.
    from vtkmodules.vtkIOXML import vtkXMLImageDataReader
    stock = vtkXMLImageDataReader()
    stock.SetFileName(files[2][0])  # inbuilt, a and b, appended base64
    stock.SetGlobalWarningDisplay(0)
    stock.Update()
    stock.SetGlobalWarningDisplay(1)
    works = stock.GetOutput().GetNumberOfPoints() > 0
    print("VTK's own XML image reader %s appended data with this expat" % (
        "reads" if works else "does not read"))
    SetActiveSource(None)
    opened = OpenDataFile(files[0][0])
    t.check(opened is not None, "OpenDataFile finds a reader for a Ready file")
    shutil.rmtree(folder)


t.run(main)
