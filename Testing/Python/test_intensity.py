"""Gray-Scott Residual Fit of an 8-bit image: v of a steady pattern written as a grey-level PNG
by ParaView's PNG writer (grey = round(255 (v - min) / (max - min))), read back by its PNG
reader, fitted with Observation Intensity (the grey level a v + b, a and b unknown) and one
parameter fixed; with none fixed the verdict names the steady state's scale symmetry; a
constant image is refused. The Inversion takes the image too (ResidualFit, Hybrid)."""

import os
import tempfile

import gs_testing as t
from paraview.simple import (Calculator, PassArrays, PNGSeriesReader, PythonCalculator, SaveData,
                             SetActiveSource)

TRUTH = [0.16, 0.08, 0.035, 0.065]
NAMES = ("Du", "Dv", "F", "k")


def fit(ns, source, **properties):
    source.UpdatePipeline()
    SetActiveSource(None)
    return ns["GrayScottResidualFit"](Input=source, UArray="None", VArray="PNGImage",
                                      Observation="Intensity", Method="Steady", **properties)


def estimates(proxy):
    table = t.output(proxy)
    out = {}
    for r in range(table.GetNumberOfRows()):
        name = table.GetValueByName(r, "parameter").ToString()
        out[name] = table.GetValueByName(r, "estimate").ToDouble()
    return out, table


def grey_png(ns, folder, name, function_of_v):
    """v of a steady 48 x 48 pattern mapped by `function_of_v` to unsigned char, saved as PNG
    and read back."""
    pattern = t.new_pattern(ns, Dimensions=[48, 48, 1], Seed=1, NoiseAmplitude=0.02, SeedPatchSize=16,
                            NumberOfSteps=200000, SteadyStateTolerance=1e-10)
    v = t.values(t.output(pattern), "v")
    lo, hi = min(v), max(v)
    SetActiveSource(None)
    grey = Calculator(Input=pattern, ResultArrayName="grey", ResultArrayType="Unsigned Char",
                      Function=function_of_v(lo, hi))
    only = PassArrays(Input=grey, PointDataArrays=["grey"])
    path = os.path.join(folder, name)
    SaveData(path, proxy=only)
    t.check(os.path.getsize(path) > 0, "ParaView's PNG writer wrote %s" % name)
    SetActiveSource(None)
    return PNGSeriesReader(FileNames=[path]), lo, hi


def main_checks(ns):
    folder = tempfile.mkdtemp(prefix="gs_intensity_")
    image, lo, hi = grey_png(ns, folder, "spots.png",
                             lambda lo, hi: "floor(255 * (v - %r) / %r + 0.5)" % (lo, hi - lo))
    data = t.output(image)
    grey = t.values(data, "PNGImage")
    t.check(len(grey) == 48 * 48 and min(grey) == 0 and max(grey) == 255,
            "the PNG reads back as 48 x 48 grey levels 0 to 255")

    # Dv known: the scale follows, and the rest.
    est, table = estimates(fit(ns, image, FixedParameters=["Dv"], FixedValues=TRUTH, NoiseVariance=-1))
    worst = max(abs(est[n] - v) / v for n, v in zip(NAMES, TRUTH))
    scale, offset = t.field(table, "IntensityScale"), t.field(table, "IntensityOffset")
    print("8-bit PNG, Dv fixed: worst relative error %.3g; a = %.6g (true %.6g), b = %.6g (true %.6g); %s"
          % (worst, scale, 255 / (hi - lo), offset, -255 * lo / (hi - lo), t.field(table, "Verdict")))
    t.check(worst < 0.1, "an 8-bit PNG with Dv fixed gives Du, F, k within 10%% (worst %.3g)" % worst)
    t.check(abs(scale * (hi - lo) / 255 - 1) < 0.1, "the scale a within 10%")

    # Nothing fixed: not determined, the reason named.
    est, table = estimates(fit(ns, image, NoiseVariance=-1))
    verdict = t.field(table, "Verdict")
    t.check(all(est[n] != est[n] for n in NAMES), "with nothing fixed no parameter is claimed")
    t.check("does not fix the scale a" in verdict, "the verdict names the scale symmetry: " + verdict)

    # The Inversion: the residual fit with Dv known, then Hybrid's descent on the concentrations
    # the fit's map gives; the paper's descent alone cannot take an intensity.
    image.UpdatePipeline()
    SetActiveSource(None)
    inv = ns["GrayScottInversion"](Input=image, UArray="None", VArray="PNGImage",
                                   Observation="Intensity", Method="ResidualFit",
                                   ResidualMethod="Steady", FitParameters=["Du", "F", "k"],
                                   InitialGuess=TRUTH, NumberOfSteps=2000)
    history = t.output(inv)
    estimate = t.field(history, "Estimate")
    worst = max(abs(e - v) / v for e, v in zip(estimate, TRUTH))
    print("Inversion ResidualFit of the PNG, Dv fixed: worst relative error %.3g, a = %.6g" % (
        worst, t.field(history, "IntensityScale")))
    t.check(worst < 0.1, "the Inversion's residual fit of the PNG within 10%% (worst %.3g)" % worst)
    t.check(abs(t.field(history, "IntensityScale") * (hi - lo) / 255 - 1) < 0.1,
            "the Inversion's history carries the scale a")
    SetActiveSource(None)
    hybrid = ns["GrayScottInversion"](Input=image, UArray="None", VArray="PNGImage",
                                      Observation="Intensity", Method="Hybrid",
                                      ResidualMethod="Steady", FitParameters=["Du", "F", "k"],
                                      InitialGuess=TRUTH, NumberOfSteps=2000, Iterations=2,
                                      BatchSize=1)
    rows = t.output(hybrid).GetNumberOfRows()
    t.check(rows >= 2, "Hybrid descends on the mapped concentrations (%d history rows)" % rows)
    SetActiveSource(None)
    gradient = ns["GrayScottInversion"](Input=image, UArray="None", VArray="PNGImage",
                                        Observation="Intensity", Method="Gradient", Iterations=2)
    messages = t.Messages(gradient)
    gradient.UpdatePipeline()
    t.check(any("Method Gradient with an intensity (Observation)" in m for m in messages.errors),
            "the descent alone refuses an intensity, naming Method and Observation (%r)"
            % messages.errors)
    t.check(t.is_empty(t.output(gradient)), "and the output is empty")

    # A constant image: an error naming the property, empty outputs.
    flat, _, _ = grey_png(ns, folder, "flat.png", lambda lo, hi: "128")
    bad = fit(ns, flat, FixedParameters=["Dv"], FixedValues=TRUTH)
    messages = t.Messages(bad)
    bad.UpdatePipeline()
    t.check(any("Observation Intensity: the image is constant" in m for m in messages.errors),
            "a constant image is refused naming Observation (%r)" % messages.errors)
    t.check(t.is_empty(t.output(bad)), "and the output is empty")

    # Intensities that are not finite (the brightest cells divided by zero): refused, named.
    pattern = t.new_pattern(ns, Dimensions=[16, 16, 1], NumberOfSteps=10)
    SetActiveSource(None)
    holed = PythonCalculator(Input=pattern, ArrayName="grey",
                             Expression="where(v == max(v), v / 0.0, v)")
    holed.UpdatePipeline()
    SetActiveSource(None)
    bad = ns["GrayScottResidualFit"](Input=holed, UArray="None", VArray="grey",
                                     Observation="Intensity", Method="Steady",
                                     FixedParameters=["Dv"], FixedValues=TRUTH)
    messages = t.Messages(bad)
    bad.UpdatePipeline()
    t.check(any("cells of the image are not finite (NaN or infinite)" in m
                for m in messages.errors),
            "infinite or NaN intensities are refused naming Observation (%r)" % messages.errors)
    t.check(t.is_empty(t.output(bad)), "and the output is empty")


def main():
    args = t.parse_args()
    t.load_plugin(args.plugin, globals())
    main_checks(globals())


t.run(main)
