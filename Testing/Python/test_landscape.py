"""Gray-Scott Loss Landscape: geometry and arrays, values equal to direct simulations
(bitwise), sub-extents, axis order, 1D and 3D sweeps, an observed Target, gradients, and
Abort keeping finished points."""

import gs_testing as t
from paraview.simple import SetActiveSource

SWEEP = dict(Target=None, Dimensions=[32, 32, 1], NumberOfSteps=600, NumberOfInitialConditions=2,
             Seed=10, SeedPatchSize=10, XParameter="F", XRange=[0.03, 0.04], XResolution=3,
             YParameter="k", YRange=[0.06, 0.065], YResolution=2, ZParameter="None")
LOSSES = ["pixel", "logps", "logps_windowed", "logps_radial", "gram"]


def landscape(ns, **changes):
    SetActiveSource(None)
    properties = dict(SWEEP)
    properties.update(changes)
    return ns["GrayScottLossLandscape"](**properties)


def axis_value(lo, hi, n, i):
    # The filter's formula, in the same order of operations.
    return lo + (hi - lo) * i / (n - 1) if n > 1 else lo


def main():
    args = t.parse_args()
    ns = globals()
    t.load_plugin(args.plugin, ns)

    land = landscape(ns, ComputeGradient=1)
    data = t.output(land)
    t.check(data.GetExtent() == (0, 2, 0, 1, 0, 0), "extent %s" % (data.GetExtent(),))
    t.check(data.GetOrigin() == (0.03, 0.06, 0.0), "origin = the ranges' minima %s" % (data.GetOrigin(),))
    sp = data.GetSpacing()
    t.check(abs(sp[0] - 0.005) < 1e-15 and abs(sp[1] - 0.005) < 1e-15, "spacing = the steps %s" % (sp,))
    names = [data.GetPointData().GetArrayName(i) for i in range(data.GetPointData().GetNumberOfArrays())]
    t.check(names == LOSSES + ["residual", "steps", "converged", "pattern_class", "mean_v", "gradient",
                               "gradient_norm"], "point arrays %s" % names)
    t.check(data.GetPointData().GetScalars().GetName() == "logps", "coloured by logps")
    gradient = data.GetPointData().GetArray("gradient")
    t.check(gradient.GetNumberOfComponents() == 2 and gradient.GetComponentName(0) == "F" and
            gradient.GetComponentName(1) == "k", "gradient over the swept F and k")
    t.check(t.field(data, "TrueParameters") == [0.16, 0.08, 0.035, 0.065], "field data: the truth")
    axes = data.GetFieldData().GetAbstractArray("AxisParameters")
    t.check([axes.GetValue(i) for i in range(3)] == ["F", "k", "None"], "field data: the axes")
    t.check(t.field(data, "NumberOfSteps") == 600 and t.field(data, "NumberOfInitialConditions") == 2,
            "field data: the settings")
    t.check(t.field(data, "Target") == "simulated at TrueParameters", "field data: the target")
    classes = data.GetFieldData().GetAbstractArray("PatternClassNames")
    t.check(classes.GetNumberOfValues() == 7, "field data: the pattern class names")

    chosen = t.output(landscape(ns, Losses=["gram", "logps"]))
    names = [chosen.GetPointData().GetArrayName(i) for i in range(chosen.GetPointData().GetNumberOfArrays())]
    t.check(names[:3] == ["logps", "gram", "steps"], "Losses given at creation select exactly those %s" % names)

    # Each point equals direct simulations: the Gray-Scott Pattern and Loss Gradient filters
    # with the same settings, averaged over the two conditions in the same order.
    for (i, j) in ((0, 0), (2, 1), (1, 1)):
        p = i + 3 * j
        F, k = axis_value(0.03, 0.04, 3, i), axis_value(0.06, 0.065, 2, j)
        sums = {"logps": 0.0, "pixel": 0.0, "dL_dF": 0.0, "dL_dk": 0.0, "mean_v": 0.0}
        steps = 0
        for c in range(2):
            common = dict(Dimensions=[32, 32, 1], NumberOfSteps=600, SteadyStateTolerance=0.0,
                          Seed=10 + c, SeedPatchSize=10)
            target = t.new_pattern(ns, **common)
            candidate = t.output(t.new_pattern(ns, F=F, k=k, **common))
            v = t.values(candidate, "v")
            sums["mean_v"] += sum(v) / len(v)
            for loss in ("logps", "pixel"):
                SetActiveSource(None)
                g = ns["GrayScottLossGradient"](Target=target, InitialState=None, F=F, k=k,
                                                Loss=loss, **{key: common[key] for key in common
                                                              if key != "Dimensions"})
                table = t.output(g)
                row = {table.GetColumnName(q): table.GetValue(0, q).ToDouble()
                       for q in range(table.GetNumberOfColumns())}
                sums[loss] += row["loss"]
                if loss == "logps":
                    sums["dL_dF"] += row["dL_dF"]
                    sums["dL_dk"] += row["dL_dk"]
                    steps = max(steps, int(row["steps"]))
        label = "point (F, k) = (%r, %r): " % (F, k)
        for loss in ("logps", "pixel"):
            got = t.values(data, loss)[p]
            t.check(t.same_float(got, sums[loss] / 2), label + "%s %r equals the direct mean %r" % (
                loss, got, sums[loss] / 2))
        t.check(t.same_float(t.values(data, "mean_v")[p], sums["mean_v"] / 2), label + "mean_v equals")
        t.check(t.same_float(gradient.GetComponent(p, 0), sums["dL_dF"] / 2) and
                t.same_float(gradient.GetComponent(p, 1), sums["dL_dk"] / 2),
                label + "gradient equals the Loss Gradient filter's (%r, %r)" % (
                    gradient.GetComponent(p, 0), sums["dL_dF"] / 2))
        t.check(t.values(data, "steps")[p] == steps == 600, label + "steps")
    # (F, k) = (0.035, 0.065) is the truth: every loss is exactly 0.
    t.check(all(t.values(data, loss)[4] == 0.0 for loss in LOSSES), "zero loss at the truth")

    # Any sub-extent, alone, gives the same values at the same points.
    piece = landscape(ns, ComputeGradient=1)
    algorithm = piece.GetClientSideObject()
    algorithm.UpdateExtent([1, 2, 1, 1, 0, 0])
    sub = algorithm.GetOutputDataObject(0)
    t.check(sub.GetExtent() == (1, 2, 1, 1, 0, 0), "a sub-extent %s" % (sub.GetExtent(),))
    t.check(all(t.same_float(t.values(sub, "logps")[q], t.values(data, "logps")[4 + q]) for q in range(2)),
            "the sub-extent equals the whole at its points")

    # Axes in the other order: the transposed image, bitwise.
    swapped = t.output(landscape(ns, XParameter="k", XRange=[0.06, 0.065], XResolution=2,
                                 YParameter="F", YRange=[0.03, 0.04], YResolution=3))
    t.check(swapped.GetDimensions() == (2, 3, 1), "k along x: dimensions 2 x 3")
    t.check(all(t.same_float(t.values(swapped, "logps")[j + 2 * i], t.values(data, "logps")[i + 3 * j])
                for i in range(3) for j in range(2)), "k along x: the transpose")

    # 1D: the row k = 0.065; 3D: the slice Du = 0.16 is the 2D landscape.
    line = t.output(landscape(ns, YParameter="None", TrueParameters=[0.16, 0.08, 0.035, 0.065]))
    t.check(line.GetDimensions() == (3, 1, 1), "a 1D sweep: 3 x 1 x 1")
    t.check(all(t.same_float(t.values(line, "logps")[i], t.values(data, "logps")[3 + i]) for i in range(3)),
            "the 1D sweep is the 2D row at k = 0.065")
    cube = t.output(landscape(ns, ZParameter="Du", ZRange=[0.16, 0.17], ZResolution=2))
    t.check(cube.GetDimensions() == (3, 2, 2) and cube.GetOrigin()[2] == 0.16, "a 3D sweep: 3 x 2 x 2")
    t.check(all(t.same_float(t.values(cube, "logps")[q], t.values(data, "logps")[q]) for q in range(6)),
            "its slice Du = 0.16 is the 2D landscape")

    # An observed Target: condition j of every candidate against it.
    target = t.new_pattern(ns, Dimensions=[32, 32, 1], NumberOfSteps=600, SteadyStateTolerance=0.0,
                           Seed=10, SeedPatchSize=10)
    observed = t.output(landscape(ns, Target=target, NumberOfInitialConditions=1, Dimensions=[8, 8, 1]))
    simulated = t.output(landscape(ns, NumberOfInitialConditions=1))
    t.check(t.field(observed, "Target") == "observed" and
            t.field(observed, "Dimensions") == [32, 32, 1], "an observed Target sets the grid")
    t.check(t.same_bits(observed, simulated, "logps"), "and equals the simulated protocol with one condition")

    # Abort halfway: empty output, a warning; the finished points are kept, so the next update
    # computes only the rest and equals an uninterrupted run.
    aborted = landscape(ns, XResolution=4, NumberOfInitialConditions=1)
    messages = t.Messages(aborted)
    with t.aborting_at(aborted, 0.5) as algorithm:
        empty = t.output(aborted)
    aborted.UpdatePropertyInformation()
    first = int(aborted.GetPropertyValue("NumberOfPointsComputed"))
    t.check(empty.GetNumberOfPoints() == 0 and any("Aborted" in w for w in messages.warnings),
            "an aborted sweep: empty output and a warning (%s)" % messages.warnings)
    t.check(0 < first < 8, "some points finished before the abort (%d of 8)" % first)
    algorithm.SetAbortExecute(0)
    aborted.SMProxy.MarkModified(aborted.SMProxy)
    complete = t.output(aborted)
    aborted.UpdatePropertyInformation()
    second = int(aborted.GetPropertyValue("NumberOfPointsComputed"))
    t.check(second == 8, "the next update computed only the other %d points" % (second - first))
    reference = t.output(landscape(ns, XResolution=4, NumberOfInitialConditions=1))
    t.check(t.same_bits(complete, reference, "logps") and t.same_bits(complete, reference, "mean_v"),
            "and equals an uninterrupted sweep")


t.run(main)
