"""Gray-Scott Loss Landscape over the horizon: a steady Target, (F, k, K) with K log-spaced,
K = 1 equal to twice dt^2 the residual at every point, a fixed Horizon equal to its slice bit
for bit, the geometry in log10 K and the field data."""

import math

import gs_testing as t
from paraview.simple import SetActiveSource


def main():
    args = t.parse_args()
    ns = globals()
    t.load_plugin(args.plugin, ns)

    target = t.new_pattern(ns, Dimensions=[32, 32, 1], NumberOfSteps=3000, SeedPatchSize=20)
    common = dict(Target=target, XParameter="F", XRange=[0.025, 0.045], XResolution=5,
                  YParameter="k", YRange=[0.055, 0.075], YResolution=5, IncludeU=1,
                  Losses=["pixel", "logps", "residual"])
    SetActiveSource(None)
    volume = ns["GrayScottLossLandscape"](ZParameter="Horizon", ZRange=[1, 100], ZResolution=3,
                                          **common)
    data = t.output(volume)
    t.check(data.GetExtent() == (0, 4, 0, 4, 0, 2), "extent %s" % (data.GetExtent(),))
    t.check(data.GetOrigin()[2] == 0.0 and abs(data.GetSpacing()[2] - 1.0) < 1e-15,
            "z is log10 K: origin %s spacing %s" % (data.GetOrigin(), data.GetSpacing()))
    axes = data.GetFieldData().GetAbstractArray("AxisParameters")
    t.check([axes.GetValue(i) for i in range(3)] == ["F", "k", "Horizon"], "field data: the axes")
    pd = data.GetPointData()
    steps = pd.GetArray("steps")
    t.check([steps.GetValue(25 * z) for z in range(3)] == [1, 10, 100], "steps = K per slice")
    pixel, residual = pd.GetArray("pixel"), pd.GetArray("residual")
    worst = 0.0
    for i in range(25):
        p, r = pixel.GetValue(i), 2.0 * residual.GetValue(i)
        # Round-off of one step x + dt R - x bounds it where both nearly vanish (TestHorizon).
        bound = 1e-12 * r + 4.0 * 2.2e-16 * math.sqrt(r)
        worst = max(worst, abs(p - r) / bound)
    t.check(worst <= 1.0, "K = 1: pixel = 2 dt^2 residual to round-off (worst %.2g of the bound)" % worst)
    t.check(all(math.isfinite(pd.GetArray("logps").GetValue(i)) for i in range(75)), "logps finite")

    SetActiveSource(None)
    fixed = ns["GrayScottLossLandscape"](ZParameter="None", Horizon=10, **common)
    slice10 = t.output(fixed)
    t.check(t.field(slice10, "Horizon") == 10, "field data: the horizon")
    same = all(slice10.GetPointData().GetArray("pixel").GetValue(i) == pixel.GetValue(25 + i)
               for i in range(25))
    t.check(same, "Horizon = 10 is the K = 10 slice, bit for bit")
    t.finish()


t.run(main)
