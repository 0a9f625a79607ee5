"""README's inversion picture: the three methods of the Gray-Scott Inversion filter on the
warped logps landscape over (F, k), with the bifurcation curves.

    pvbatch Scripts/inversion_picture.py --plugin <path/to/GrayScott.so> [--output Data/inversion.png]

The landscape is Scripts/landscape_picture.py's (64 x 64 cells, 10,000 steps, two initial
conditions, 25 x 25 points). The target is the truth after 10,000 steps from seed 0, and five
more consecutive frames for the residual fit. Gradient descent: the paper's start and SGD on
logps with the unrolled gradient, batch 2 (seeds 1, 2), 30 iterations: its path runs over the
plateau at the height of its loss. The residual fit of the frames lands on the truth; the
hybrid starts there and keeps it. Prints each method's estimate.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import landscape_picture as lp  # noqa: E402

from paraview import servermanager  # noqa: E402
from paraview.simple import Line, OutputPort, Render, SetActiveSource, Show, Transform  # noqa: E402

TRUTH = (0.16, 0.08, 0.035, 0.065)


def main():
    args = lp.parse_args("Data/inversion.png")
    ns, view = lp.start(args, [1400, 900])
    land, data = lp.make_landscape(ns, args.quick)
    scale = lp.show_landscape(ns, view, land, data, "Gray-Scott Inversion over the logps landscape\n"
                              "magenta: gradient descent (the paper's), on the surface at its loss\n"
                              "red pin: residual fit and hybrid, both at the truth")
    n, steps, iterations = (32, 1000, 5) if args.quick else (64, 10000, 30)
    SetActiveSource(None)
    target = ns["GrayScottPattern"](InitialState=None, Dimensions=[n, n, 1], NumberOfSteps=steps,
                                    SteadyStateTolerance=0.0)
    SetActiveSource(None)
    series = ns["GrayScottPattern"](InitialState=target, Dimensions=[n, n, 1], NumberOfSteps=5,
                                    SteadyStateTolerance=0.0, OutputInterval=1)
    on_surface = dict(XParameter="F", YParameter="k", ZParameter="Loss", ZScale=scale)
    runs = [
        ("gradient descent", target, (0.85, 0.1, 0.85), 10.0,
         dict(Method="Gradient", Iterations=iterations, BatchSize=2, Seed=1, NumberOfSteps=steps)),
        ("residual fit", series, (0.85, 0.1, 0.1), 30.0,
         dict(Method="ResidualFit", ResidualMethod="TimeSeries")),
        ("hybrid", series, (0.85, 0.1, 0.1), 30.0,
         dict(Method="Hybrid", ResidualMethod="TimeSeries", Iterations=3, BatchSize=2, Seed=1,
              NumberOfSteps=steps, LearningRate=1e-3)),
    ]
    for label, data, colour, size, properties in runs:
        data.UpdatePipeline()  # UArray's default (u, or None for v alone) comes from its arrays
        SetActiveSource(None)
        inversion = ns["GrayScottInversion"](Input=data, **properties, **on_surface)
        inversion.UpdatePipeline()
        table = servermanager.Fetch(inversion)
        last = table.GetNumberOfRows() - 1
        estimate = [table.GetValueByName(last, p).ToDouble() for p in ("Du", "Dv", "F", "k")]
        worst = max(abs(e - t) / t for e, t in zip(estimate, TRUTH))
        print("%s: %d rows, estimate %s, largest relative error %.2e" % (
            label, table.GetNumberOfRows(), " ".join("%.5g" % e for e in estimate), worst))
        trajectory = OutputPort(inversion, 1)
        if label != "gradient descent":
            # A closed-form estimate has no path: a pin over it, above the plateau.
            lifted = Transform(Input=trajectory)
            lifted.Transform.Translate = [0.0, 0.0, 1.08 * lp.HEIGHT]
            trajectory = lifted
            SetActiveSource(None)
            pin = Show(Line(Point1=[estimate[2], estimate[3], 0.0],
                            Point2=[estimate[2], estimate[3], 1.08 * lp.HEIGHT]), view)
            pin.AmbientColor = pin.DiffuseColor = list(colour)
            pin.LineWidth = 3.0
        path = Show(trajectory, view)
        path.ColorArrayName = ["POINTS", ""]
        path.AmbientColor = path.DiffuseColor = list(colour)
        path.LineWidth = 6.0
        path.RenderLinesAsTubes = 1
        path.PointSize = size
        path.RenderPointsAsSpheres = 1
        path.Representation = "Surface" if label == "gradient descent" else "Points"
    Render(view)
    lp.save(view, args.output)


if __name__ == "__main__":
    main()
