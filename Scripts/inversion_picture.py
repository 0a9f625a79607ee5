"""README's inversion picture: the three methods of the Gray-Scott Inversion filter over the
logps landscape (F, k), a heat map seen from above with the bifurcation curves and the truth.

    pvbatch Scripts/inversion_picture.py --plugin <path/to/GrayScott.so> [--output Data/inversion.png]

The landscape is Scripts/landscape_picture.py's (64 x 64 cells, 10,000 steps, two initial
conditions, 25 x 25 points). The target is the truth after 10,000 steps from seed 0, and five
more consecutive frames for the residual fit. Gradient descent: the paper's start and SGD on
logps with the unrolled gradient, batch 2 (seeds 1, 2), 30 iterations: its path, clipped to the
window, wanders over the plateau. The residual fit of the frames lands on the truth; the
hybrid starts there and keeps it. Prints each method's estimate.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gs_figures as gf  # noqa: E402
import landscape_picture as lp  # noqa: E402

from paraview import servermanager  # noqa: E402
from paraview.simple import OutputPort, SetActiveSource  # noqa: E402

TRUTH = lp.TRUTH
DESCENT, FIT, HYBRID = (1.0, 0.2, 1.0), (0.95, 0.1, 0.1), (1.0, 0.6, 0.0)


def main():
    args = lp.parse_args("Data/inversion.png")
    ns, view = lp.start(args, lp.PANEL)
    land, _ = lp.make_landscape(ns, args.quick)
    lp.heat_map(ns, view, land, None, "Gray-Scott Inversion over the logps landscape")
    n, steps, iterations = (32, 1000, 5) if args.quick else (64, 10000, 30)
    SetActiveSource(None)
    target = ns["GrayScottPattern"](InitialState=None, Dimensions=[n, n, 1], NumberOfSteps=steps,
                                    SteadyStateTolerance=0.0)
    SetActiveSource(None)
    series = ns["GrayScottPattern"](InitialState=target, Dimensions=[n, n, 1], NumberOfSteps=5,
                                    SteadyStateTolerance=0.0, OutputInterval=1)
    runs = [
        ("gradient descent", target, DESCENT,
         dict(Method="Gradient", Iterations=iterations, BatchSize=2, Seed=1, NumberOfSteps=steps)),
        ("residual fit", series, FIT, dict(Method="ResidualFit", ResidualMethod="TimeSeries")),
        ("hybrid", series, HYBRID,
         dict(Method="Hybrid", ResidualMethod="TimeSeries", Iterations=3, BatchSize=2, Seed=1,
              NumberOfSteps=steps, LearningRate=1e-3)),
    ]
    for label, data, colour, properties in runs:
        data.UpdatePipeline()  # UArray's default (u, or None for v alone) comes from its arrays
        SetActiveSource(None)
        inversion = ns["GrayScottInversion"](Input=data, XParameter="F", YParameter="k",
                                             **properties)
        inversion.UpdatePipeline()
        table = servermanager.Fetch(inversion)
        last = table.GetNumberOfRows() - 1
        estimate = [table.GetValueByName(last, p).ToDouble() for p in ("Du", "Dv", "F", "k")]
        worst = max(abs(e - t) / t for e, t in zip(estimate, TRUTH))
        print("%s: %d rows, estimate %s, largest relative error %.2e" % (
            label, table.GetNumberOfRows(), " ".join("%.5g" % e for e in estimate), worst))
        if label == "gradient descent":
            gf.path(view, OutputPort(inversion, 1), lp.WINDOW, colour)
        else:
            # A closed-form estimate has no path: a marker at it, the hybrid's smaller on top.
            gf.marker(view, lp.WINDOW, estimate[2], estimate[3], colour,
                      size=0.02 if label == "residual fit" else 0.01)
    gf.note(view, "magenta: gradient descent from the paper's start, clipped to the window\n"
            "red: residual fit; orange: hybrid, both at the truth\n" + gf.CURVE_LEGEND)
    gf.save_grid([view], args.output, lp.PANEL)


if __name__ == "__main__":
    main()
