"""Gray-Scott Loss Landscape over the horizon: a steady Target, (F, k, K) with K log-spaced,
K = 1 equal to twice dt^2 the residual at every point, a fixed Horizon equal to its slice bit
for bit, the geometry in log10 K and the field data; the horizon and the paper's steps as time
steps."""

import math

import gs_testing as t
from paraview import servermanager
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

    # The horizon as time steps: 1, 10, 100 on the slider, each the slice of the volume.
    SetActiveSource(None)
    timed = ns["GrayScottLossLandscape"](ZParameter="None", Horizon=100, TimeSteps="Horizon",
                                         NumberOfTimeSteps=3, **common)
    timed.UpdatePipelineInformation()
    times = list(timed.TimestepValues)
    t.check(times == [1.0, 10.0, 100.0], "time steps K = 1, 10, 100: %s" % times)
    for z, k in enumerate(times):
        timed.UpdatePipeline(k)
        d = servermanager.Fetch(timed)
        got = [d.GetPointData().GetArray("pixel").GetValue(i) for i in range(25)]
        t.check(got == [pixel.GetValue(25 * z + i) for i in range(25)],
                "time %g is the K = %g slice, bit for bit" % (k, k))
        t.check(t.field(d, "Horizon") == int(k), "field data: the horizon at time %g" % k)

    # v alone (Pass Arrays keeps v; U Array None): each candidate starts from v and the latent
    # u at its (Du, F); IncludeU and the residual loss need u and say so.
    SetActiveSource(None)
    v_only = ns["PassArrays"](Input=target, PointDataArrays=["v"])
    SetActiveSource(None)
    alone = dict(common, Target=v_only, IncludeU=0, Losses=["pixel"], UArray="None")
    latent = ns["GrayScottLossLandscape"](ZParameter="None", Horizon=10, **alone)
    values = [t.output(latent).GetPointData().GetArray("pixel").GetValue(i) for i in range(25)]
    best = min(range(25), key=lambda i: values[i])
    t.check(all(math.isfinite(x) for x in values) and best == 12,
            "v alone at K = 10: finite, lowest at the truth's grid point (%d)" % best)
    SetActiveSource(None)
    refused = ns["GrayScottLossLandscape"](ZParameter="None", Horizon=10, **dict(alone, IncludeU=1))
    messages = t.Messages(refused)
    refused.UpdatePipeline()
    t.check(t.output(refused).GetNumberOfPoints() == 0 and
            any("IncludeU needs u, but UArrayName is None" in e for e in messages.errors),
            "IncludeU with U Array None: refused, naming both (%s)" % messages.errors)

    # The paper's loss after t steps as time steps: t = 1, 32, 1000 from the initial conditions.
    SetActiveSource(None)
    paper = dict(common, Target=None, NumberOfSteps=1000, NumberOfInitialConditions=1,
                 Dimensions=[32, 32, 1], Losses=["logps"], IncludeU=0)
    unroll = ns["GrayScottLossLandscape"](TimeSteps="Steps", NumberOfTimeSteps=3, **paper)
    unroll.UpdatePipelineInformation()
    times = list(unroll.TimestepValues)
    t.check(times == [1.0, 32.0, 1000.0], "time steps t = 1, 32, 1000: %s" % times)
    unroll.UpdatePipeline(32.0)
    d = servermanager.Fetch(unroll)
    SetActiveSource(None)
    direct = t.output(ns["GrayScottLossLandscape"](**dict(paper, NumberOfSteps=32)))
    t.check(all(d.GetPointData().GetArray("logps").GetValue(i) ==
                direct.GetPointData().GetArray("logps").GetValue(i) for i in range(25)),
            "time 32 is the landscape after 32 steps, bit for bit")
    t.finish()


t.run(main)
