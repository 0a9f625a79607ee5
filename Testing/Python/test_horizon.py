"""Gray-Scott Loss Landscape over the horizon: a steady Target, (F, k, K) with K log-spaced,
K = 1 equal to twice dt^2 the residual at every point, a fixed Horizon equal to its slice bit
for bit, the geometry in log10 K and the field data; the horizon and the paper's steps as time
steps; a series Target, shot across its frames or held at its last one."""

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
    series_target(ns, common)
    t.finish()


def series_target(ns, common):
    """A Target with time steps: frames 0, 1000, 2000, 3000 of a run (to the end: a run
    stopped at steady state would hold its last state in the later frames)."""
    run = dict(Dimensions=[32, 32, 1], NumberOfSteps=3000, SeedPatchSize=20,
               SteadyStateTolerance=0)
    moving = t.new_pattern(ns, OutputInterval=1000, **run)
    moving.UpdatePipelineInformation()
    t.check(list(moving.TimestepValues) == [0.0, 1000.0, 2000.0, 3000.0], "the series' times")
    pixel_only = dict(common, Target=moving, Losses=["pixel"])

    # Shot across the series: three segments of 1,000 steps, each from a frame to the next;
    # at the truth the solver retraces its own run, so the loss there is round-off.
    SetActiveSource(None)
    shot = ns["GrayScottLossLandscape"](Horizon=1000, TargetSeries=1, **pixel_only)
    SetActiveSource(None)
    downstream = ns["PassArrays"](Input=shot, PointDataArrays=["pixel"])
    data = t.output(downstream)
    frames = t.field(servermanager.Fetch(shot), "TargetFrames")
    t.check(frames == 4, "field data: the series' four frames (%s)" % frames)
    # The Target runs again with the same values: the frames are gathered anew, the points kept.
    shot.UpdatePropertyInformation()
    before = int(shot.GetPropertyValue("NumberOfPointsComputed"))
    stamp = shot.GetClientSideObject().GetOutputDataObject(0).GetMTime()
    moving.GetClientSideObject().Modified()
    shot.GetClientSideObject().Update()  # the proxy would not know its input ran again
    shot.UpdatePropertyInformation()
    after = int(shot.GetPropertyValue("NumberOfPointsComputed"))
    rerun = shot.GetClientSideObject().GetOutputDataObject(0).GetMTime() > stamp
    t.check(rerun and before == 25 and after == 25,
            "a Target re-run with the same values: the landscape runs again, computing no "
            "point again (%d, %d)" % (before, after))
    values = [data.GetPointData().GetArray("pixel").GetValue(i) for i in range(25)]
    t.check(values[12] < 1e-25 and min(values[:12] + values[13:]) > 1e-8,
            "series at K = 1,000: round-off at the truth (%.2g), above elsewhere (%.2g)"
            % (values[12], min(values[:12] + values[13:])))
    SetActiveSource(None)
    strided = ns["GrayScottLossLandscape"](Horizon=2000, TargetSeries=1, FrameStride=2,
                                           **pixel_only)
    got = t.output(strided).GetPointData().GetArray("pixel").GetValue(12)
    t.check(got < 1e-25, "Frame Stride 2: frames 0 and 2000, one segment (%.2g)" % got)

    # Time steps of its own: the Target is held at its last frame, whatever K is shown.
    SetActiveSource(None)
    timed = ns["GrayScottLossLandscape"](Horizon=100, TimeSteps="Horizon", NumberOfTimeSteps=3,
                                         **pixel_only)
    SetActiveSource(None)
    last = t.new_pattern(ns, **run)
    for k in (1.0, 100.0):
        timed.UpdatePipeline(k)
        got = servermanager.Fetch(timed).GetPointData().GetArray("pixel")
        SetActiveSource(None)
        held = t.output(ns["GrayScottLossLandscape"](Horizon=int(k),
                                                     **dict(pixel_only, Target=last)))
        want = held.GetPointData().GetArray("pixel")
        t.check(all(got.GetValue(i) == want.GetValue(i) for i in range(25)),
                "time %g compares with the last frame, bit for bit" % k)

    # Refused, naming the problem: a horizon the spacing does not divide; the residual loss;
    # horizon time steps (K from 1); v alone; a Target without time steps.
    for bad, expected in ((dict(Horizon=1500), "Horizon: The horizon (1500 steps) must be a positive "
                           "multiple of the frames' spacing"),
                          (dict(Horizon=1000, Losses=["pixel", "residual"]),
                           "The residual loss is the steady one"),
                          (dict(Horizon=1000, TimeSteps="Horizon"), "TimeSteps: the horizon's"),
                          (dict(Horizon=1000, UArray="None", IncludeU=0),
                           "UArrayName: a series target needs u"),
                          (dict(Horizon=1000, Target=last), "TargetSeries shoots across")):
        SetActiveSource(None)
        refused = ns["GrayScottLossLandscape"](TargetSeries=1, **dict(pixel_only, **bad))
        messages = t.Messages(refused)
        refused.UpdatePipeline()
        t.check(t.output(refused).GetNumberOfPoints() == 0 and
                any(expected in e for e in messages.errors),
                "series with %s: refused (%s)" % (bad, messages.errors))


t.run(main)
