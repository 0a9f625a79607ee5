"""The paper's optimisation experiment at full size, and what the residual fit does instead.

    pvbatch Scripts/paper_inversion.py --plugin <path/to/GrayScott.so> [--iterations 100]

The target is the paper's: the truth (0.16, 0.08, 0.035, 0.065) on 128 x 128 from seed 0, run
to steady state (tolerance 1e-4, cap 40,000 steps). Gradient descent follows the paper: from
Du = Dv = softplus(-2), F = k = 0.05, SGD with weight decay 5e-4 and the trial-step safety on
the softplus/sigmoid values, logps, the unrolled adjoint, 4 simulations per iteration (seeds
1-4; the paper draws 8 targets from 512), the paper's training tolerance 5e-5 with a cap of
40,000 steps. Then the residual fit of the steady target and of a 5-frame time series after it,
and the hybrid. Prints a table: each method's estimate, its largest relative error, the loss
at the start and the end, and the time.
"""

import argparse
import time

from paraview import servermanager
from paraview.simple import LoadPlugin, SetActiveSource

TRUTH = (0.16, 0.08, 0.035, 0.065)
NAMES = ("Du", "Dv", "F", "k")


def rows(proxy):
    proxy.UpdatePipeline()
    table = servermanager.Fetch(proxy)
    return [{table.GetColumnName(c): table.GetValue(r, c).ToDouble()
             for c in range(table.GetNumberOfColumns())} for r in range(table.GetNumberOfRows())]


def worst(row):
    return max(abs(row[n] - v) / v for n, v in zip(NAMES, TRUTH))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--iterations", type=int, default=100)
    args = parser.parse_args()
    ns = globals()
    LoadPlugin(args.plugin, remote=False, ns=ns)

    SetActiveSource(None)
    target = ns["GrayScottPattern"](InitialState=None)  # the paper's target, steady at 1e-4
    SetActiveSource(None)
    series = ns["GrayScottPattern"](InitialState=target, NumberOfSteps=4, SteadyStateTolerance=0.0,
                                    OutputInterval=1)
    results = []

    def run(label, source, **properties):
        source.UpdatePipeline()  # UArray's default (u, or None for v alone) comes from its arrays
        SetActiveSource(None)
        proxy = ns["GrayScottInversion"](Input=source, **properties)
        start = time.time()
        history = rows(proxy)
        elapsed = time.time() - start
        results.append((label, history, elapsed))
        print("%s: %d rows in %.1f s" % (label, len(history), elapsed), flush=True)

    run("gradient descent (paper)", target, Method="Gradient", Iterations=args.iterations, BatchSize=4,
        Seed=1)
    run("residual fit, steady target", target, Method="ResidualFit", ResidualMethod="Steady")
    run("residual fit, 5-frame time series", series, Method="ResidualFit", ResidualMethod="TimeSeries")
    run("hybrid (steady residual, then 10 monotone steps)", target, Method="Hybrid",
        ResidualMethod="Steady", Iterations=10, BatchSize=4, Seed=1, LearningRate=1e-3)

    print()
    print("| method | Du | Dv | F | k | largest relative error | loss: first -> last | time |")
    print("|---|---|---|---|---|---|---|---|")
    for label, history, elapsed in results:
        last = history[-1]
        print("| %s | %.5g | %.5g | %.5g | %.5g | %.2e | %.4g -> %.4g | %.0f s |" % (
            label, last["Du"], last["Dv"], last["F"], last["k"], worst(last), history[0]["loss"],
            last["loss"], elapsed))
    descent = results[0][1]
    plateau = sum(1 for r in descent if r["loss"] > 0.9 * max(x["loss"] for x in descent))
    print()
    print("gradient descent: %d of %d iterations within 10%% of the highest loss (the plateau); "
          "largest gradient norm %.3g, smallest %.3g" % (
              plateau, len(descent), max(r["gradient_norm"] for r in descent),
              min(r["gradient_norm"] for r in descent)))


main()
