"""ParaView's Python trace of a session with our sources and filters replays: the traced script,
run in a fresh session, rebuilds the same pipeline and gives the same outputs, bitwise. The
session sets properties when it creates each proxy, as Apply in the GUI does."""

from paraview import smtrace
from paraview.simple import FindSource, LoadPlugin, OutputPort, ResetSession, SetActiveSource

import gs_testing as t


def session(ns):
    SetActiveSource(None)
    target = ns["GrayScottPattern"](registrationName="Target", InitialState=None,
                                    Dimensions=[32, 32, 1], NumberOfSteps=300,
                                    SteadyStateTolerance=0.0, SeedPatchSize=10)
    SetActiveSource(None)
    ns["GrayScottLossLandscape"](registrationName="Landscape", Target=target,
                                 Losses=["logps", "residual"], XRange=[0.03, 0.04], XResolution=3,
                                 YResolution=2, NumberOfInitialConditions=1, NumberOfSteps=300,
                                 SeedPatchSize=10)
    SetActiveSource(None)
    ns["GrayScottResidualFit"](registrationName="Fit", Input=target, FixedParameters=["Du"])
    SetActiveSource(None)
    ns["GrayScottBifurcationCurves"](registrationName="Curves", FRange=[0.02, 0.07])
    SetActiveSource(None)
    ns["GrayScottInversion"](registrationName="Descent", Input=target, Iterations=2, BatchSize=1,
                             NumberOfSteps=300, SeedPatchSize=10, LearningRate=0.001)


def outputs():
    return {name: t.output(FindSource(name)) for name in ("Landscape", "Fit", "Curves", "Descent")}


def main():
    args = t.parse_args()
    ns = globals()
    t.load_plugin(args.plugin, ns)
    smtrace.start_trace()
    session(ns)
    script = smtrace.stop_trace()
    before = outputs()
    print(script)

    ResetSession()
    LoadPlugin(args.plugin, remote=False, ns=ns)
    replay = dict(ns)
    exec(script, replay)
    after = outputs()
    t.check(t.same_bits(before["Landscape"], after["Landscape"], "logps") and
            t.same_bits(before["Landscape"], after["Landscape"], "residual"),
            "the replayed landscape equals the traced one, bitwise")
    est = [before["Fit"].GetValueByName(r, "estimate").ToDouble() for r in range(4)]
    est2 = [after["Fit"].GetValueByName(r, "estimate").ToDouble() for r in range(4)]
    t.check(len(est) == 4 and all(t.same_float(a, b) for a, b in zip(est, est2)),
            "the replayed residual fit (Du fixed) equals it: %s" % est2)
    t.check(before["Curves"].GetNumberOfPoints() == after["Curves"].GetNumberOfPoints() > 0,
            "the replayed curves equal them")
    loss = [before["Descent"].GetValueByName(r, "loss").ToDouble() for r in range(2)]
    loss2 = [after["Descent"].GetValueByName(r, "loss").ToDouble() for r in range(2)]
    t.check(loss == loss2, "the replayed descent equals it: %s" % loss2)


t.run(main)
