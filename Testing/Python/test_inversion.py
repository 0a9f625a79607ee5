"""Gray-Scott Inversion, the paper's optimisation result at a reduced size: descent on logps
from the paper's start does not reach the truth (the loss stays on its plateau), the residual
fit of a time series recovers it, and the hybrid ends within 1% of it on a steady pattern from
other initial conditions. Also the history, trajectory and pattern outputs, Abort, and
(--case NAME) bad input."""

import math

import gs_testing as t
from paraview.simple import PassArrays, SetActiveSource, Wavelet

TRUTH = [0.16, 0.08, 0.035, 0.065]
NAMES = ["Du", "Dv", "F", "k"]
COLUMNS = ["iteration", "loss", "Du", "Dv", "F", "k", "gradient_norm", "learning_rate", "accepted"]


def history(proxy):
    table = t.output(proxy)
    rows = [{c: table.GetValueByName(r, c).ToDouble() for c in COLUMNS}
            for r in range(table.GetNumberOfRows())]
    return rows, table


def invert(ns, target, **properties):
    """An Inversion of `target`, updated first as the GUI's Apply does: the u array's default
    (u if the target has it, else None) comes from the target's arrays."""
    target.UpdatePipeline()
    SetActiveSource(None)
    return ns["GrayScottInversion"](Input=target, **properties)


def worst_error(row):
    return max(abs(row[n] - v) / v for n, v in zip(NAMES, TRUTH))


def main_checks(ns):
    # The paper's setting, reduced: 64 x 64, a 5,000-step cap with the paper's 5e-5 tolerance,
    # batch 2, 100 iterations of SGD on logps with the unrolled gradient, from Du = Dv = 0.1269,
    # F = k = 0.05.
    target = t.new_pattern(ns, Dimensions=[64, 64, 1], NumberOfSteps=5000, SteadyStateTolerance=0.0,
                           SeedPatchSize=16)
    descent = invert(ns, target, Method="Gradient", Iterations=100, BatchSize=2, NumberOfSteps=5000,
                     SeedPatchSize=16, Seed=1)
    rows, table = history(descent)
    t.check([table.GetColumnName(i) for i in range(table.GetNumberOfColumns())] == COLUMNS,
            "history columns %s" % COLUMNS)
    t.check(len(rows) == 100, "100 iterations (%d rows)" % len(rows))
    first, last = rows[0], rows[-1]
    print("descent: loss %.4f -> %.4f, worst parameter error %.1f%% -> %.1f%%, gradient norm %.2e" % (
        first["loss"], last["loss"], 100 * worst_error(first), 100 * worst_error(last),
        max(r["gradient_norm"] for r in rows)))
    t.check(worst_error(last) > 0.2, "gradient descent does not reach the truth (worst error %.0f%%)" % (
        100 * worst_error(last)))
    t.check(min(r["loss"] for r in rows[50:]) >= 0.95 * first["loss"],
            "no sustained decrease: the loss stays within 5%% of its start (%.3f .. %.3f)" % (
                min(r["loss"] for r in rows), max(r["loss"] for r in rows)))
    middle = rows[50]
    moved = max(abs(last[n] - middle[n]) / middle[n] for n in NAMES)
    t.check(moved < 0.01, "over the last 50 iterations the parameters drift by %.2e (relative)" % moved)

    # The trajectory: a polyline at (F, k, 0), one point per row.
    descent.UpdatePipeline()
    algorithm = descent.GetClientSideObject()
    path = algorithm.GetOutputDataObject(1)
    t.check(path.GetNumberOfPoints() == 100 and path.GetNumberOfLines() == 1, "a 100-point polyline")
    p = path.GetPoint(99)
    t.check(p == (last["F"], last["k"], 0.0), "its points are (F, k, 0) of the history %s" % (p,))
    pattern = algorithm.GetOutputDataObject(2)
    t.check(pattern.GetNumberOfPoints() == 64 * 64 and pattern.GetPointData().GetArray("v") is not None,
            "the pattern at the final estimate")
    descent.ZParameter = "Loss"
    descent.ZScale = 0.5
    descent.UpdatePipeline()
    t.check(algorithm.GetOutputDataObject(1).GetPoint(0)[2] == 0.5 * first["loss"], "z = ZScale * loss")

    # The residual fit of a time series of the same target: the truth to 1e-6.
    series = t.new_pattern(ns, InitialState=target, Dimensions=[64, 64, 1], NumberOfSteps=4,
                           SteadyStateTolerance=0.0, OutputInterval=1)
    fit, _ = history(invert(ns, series, Method="ResidualFit", ResidualMethod="TimeSeries"))
    t.check(len(fit) == 1 and worst_error(fit[0]) < 1e-6,
            "ResidualFit on a time series: one row, worst error %.1e" % worst_error(fit[0]) if fit else "no row")

    # Hybrid on a steady 12-spot pattern (48 x 48, seed 2, converged to 1e-10), descending from
    # other initial conditions (seed 3, which settles into the same spectrum at the truth): the
    # residual estimate, then 3 monotone refining steps, within 1% of the truth.
    steady = t.new_pattern(ns, Dimensions=[48, 48, 1], NumberOfSteps=300000, SteadyStateTolerance=1e-10,
                           SeedPatchSize=16, Seed=2)
    hybrid, table = history(invert(ns, steady, Method="Hybrid", ResidualMethod="Steady", Iterations=3,
                                   BatchSize=1, Seed=3, SeedPatchSize=16, LearningRate=1e-3,
                                   NumberOfSteps=200000, SteadyStateTolerance=1e-8))
    t.check(len(hybrid) == 4, "Hybrid: the residual row and 3 descent rows (%d)" % len(hybrid))
    print("hybrid: residual start worst error %.2e, end %.2e" % (worst_error(hybrid[0]), worst_error(hybrid[-1])))
    t.check(worst_error(hybrid[0]) < 1e-5, "the residual start is the truth to 1e-5")
    t.check(worst_error(hybrid[-1]) < 0.01, "Hybrid ends within 1%% of the truth (%.2e)" % worst_error(hybrid[-1]))

    # Shooting on the same steady pattern, from the paper's start: K = 1 is the residual's
    # quadratic (one Gauss-Newton step), then the horizon doubles up to 256 steps.
    shooting = invert(ns, steady, Method="Shooting", ResidualMethod="Steady", FinalHorizon=256)
    rows, table = history(shooting)
    horizon = table.GetColumnByName("horizon")
    t.check(horizon is not None and horizon.GetValue(0) == 1 and horizon.GetValue(len(rows) - 1) == 256,
            "Shooting: a horizon column from K = 1 to 256")
    print("shooting: %d rows, worst error %.2e" % (len(rows), worst_error(rows[-1])))
    t.check(worst_error(rows[-1]) < 1e-6, "Shooting keeps the truth to 1e-6 up to K = 256 (%.2e)" % worst_error(rows[-1]))
    message = table.GetFieldData().GetAbstractArray("Message").GetValue(0)
    t.check(message == "Every stage settled, up to K = 256.", "its message: %s" % message)

    # v alone (Pass Arrays keeps v): UArray defaults to None and the residual fit takes the
    # latent u of the steady u equation.
    SetActiveSource(None)
    v_only = PassArrays(Input=steady, PointDataArrays=["v"])
    latent = invert(ns, v_only, Method="ResidualFit", ResidualMethod="Steady")
    t.check(latent.GetPropertyValue("UArrayName") == "None",
            "with no array named u the u array defaults to None (%r)" % latent.GetPropertyValue("UArrayName"))
    rows, _ = history(latent)
    t.check(len(rows) == 1 and worst_error(rows[0]) < 1e-6,
            "the residual fit from v alone: the truth to 1e-6 (%.2e)" % worst_error(rows[0]))
    # Shooting from v alone: each start's u is the latent u at the candidate's (Du, F).
    shooting = invert(ns, v_only, Method="Shooting", ResidualMethod="Steady", FinalHorizon=256)
    rows, table = history(shooting)
    message = table.GetFieldData().GetAbstractArray("Message").GetValue(0)
    print("shooting from v alone: %d rows, worst error %.2e; %s" % (len(rows), worst_error(rows[-1]), message))
    t.check(worst_error(rows[-1]) < 1e-6 and message == "Every stage settled, up to K = 256.",
            "Shooting from v alone keeps the truth to 1e-6 up to K = 256 (%.2e)" % worst_error(rows[-1]))

    # The joint PINN on the same steady pattern, from the paper's start: one row per training
    # step and one at the estimate, within 2% of the truth.
    steps = 2000
    pinn = invert(ns, steady, Method="PINN", NeuralFieldIterations=steps, NeuralFieldFeatureScale=4.0)
    rows, table = history(pinn)
    t.check(len(rows) == steps + 1, "PINN: %d rows for %d steps" % (len(rows), steps))
    print("PINN: loss %.3e -> %.3e, worst error %.1f%% -> %.2f%%" % (
        rows[0]["loss"], rows[-1]["loss"], 100 * worst_error(rows[0]), 100 * worst_error(rows[-1])))
    t.check(rows[-1]["loss"] < rows[0]["loss"] / 100, "the PINN's loss falls by more than 100x")
    t.check(worst_error(rows[-1]) < 0.02, "PINN ends within 2%% of the truth (%.2f%%)" % (100 * worst_error(rows[-1])))
    pinn.UpdatePipeline()
    path = pinn.GetClientSideObject().GetOutputDataObject(1)
    t.check(path.GetNumberOfPoints() == steps + 1 and path.GetPoint(steps) == (rows[-1]["F"], rows[-1]["k"], 0.0),
            "the PINN's trajectory ends at its estimate")

    # Abort of the PINN keeps its history so far.
    aborting = invert(ns, steady, Method="PINN", NeuralFieldIterations=100000)
    with t.aborting_at(aborting, 0.001):
        rows, _ = history(aborting)
    t.check(0 < len(rows) < 1000, "Abort of the PINN: the %d steps so far" % len(rows))

    # The estimate's pattern (port 2) is simulated with progress, and Abort stops it too: the
    # residual fit's single row is kept, port 2 is empty, a warning says why.
    aborting = invert(ns, steady, Method="ResidualFit", NumberOfSteps=2000000, SteadyStateTolerance=0.0)
    messages = t.Messages(aborting)
    fractions = []
    aborting.GetClientSideObject().AddObserver(
        "ProgressEvent", lambda obj, event: fractions.append(obj.GetProgress()))
    with t.aborting_at(aborting, 0.5):
        outputs = t.outputs(aborting)
    t.check(outputs[0].GetNumberOfRows() == 1 and outputs[2].GetNumberOfPoints() == 0 and
            any("simulating the estimate's pattern" in w for w in messages.warnings),
            "Abort while simulating the estimate's pattern: the fit kept, port 2 empty, a warning")
    t.check(len([f for f in fractions if 0.01 < f < 0.5]) >= 3,
            "that simulation reports progress (%d reports between 1%% and 50%%)" % len(
                [f for f in fractions if 0.01 < f < 0.5]))

    # Abort keeps the history so far.
    aborting = invert(ns, target, Method="Gradient", Iterations=50, BatchSize=1, NumberOfSteps=5000,
                      SteadyStateTolerance=0.0, SeedPatchSize=16, Seed=1)
    messages = t.Messages(aborting)
    with t.aborting_at(aborting, 0.3):
        rows, _ = history(aborting)
    t.check(0 < len(rows) < 50 and any("Aborted" in w for w in messages.warnings),
            "Abort: the %d iterations so far and a warning" % len(rows))


NAN = float("nan")
CASES = {
    "method_unknown": ({"Method": 5}, r"Method must be 0 \(Gradient\), 1 \(ResidualFit\), 2 \(Hybrid\), 3 \(PINN\) or 4 \(Shooting\), got 5"),
    "final_horizon_zero": ({"Method": "Shooting", "FinalHorizon": 0}, r"FinalHorizon must be at least 1 step \(got 0\)"),
    "horizon_growth_one": ({"Method": "Shooting", "HorizonGrowth": 1.0}, r"HorizonGrowth must be finite and greater than 1 \(got 1\)"),
    "stage_iterations_zero": ({"Method": "Shooting", "StageIterations": 0}, r"StageIterations must be at least 1 \(got 0\)"),
    "shooting_intensity": ({"Method": "Shooting", "UArray": "None", "Observation": "Intensity"},
                           r"Method Shooting with an intensity \(Observation\)"),
    "pinn_weight_negative": ({"Method": "PINN", "PINNResidualWeight": -1.0}, r"PINNResidualWeight must be finite and >= 0"),
    "pinn_rate_zero": ({"Method": "PINN", "PINNParameterLearningRate": 0.0}, r"PINNParameterLearningRate must be in \(0, 1\]"),
    "pinn_layers_zero": ({"Method": "PINN", "NeuralFieldLayers": 0}, r"NeuralFieldLayers must be 1 to 8, got 0"),
    "pinn_guess_zero": ({"Method": "PINN", "InitialGuess": [0.1, 0.1, 0.0, 0.05]},
                        r"the initial guess of each fitted parameter must be positive"),
    "batch_zero": ({"BatchSize": 0}, r"BatchSize must be at least 1 \(got 0\)"),
    "learning_rate_zero": ({"LearningRate": 0.0}, r"LearningRate must be finite and positive"),
    "learning_rate_nan": ({"LearningRate": NAN}, r"LearningRate must be finite and positive"),
    "iterations_negative": ({"Iterations": -1}, r"Iterations must be non-negative \(got -1\)"),
    "no_parameters": ({"FitParameters": []}, r"FitParameters: choose at least one parameter to fit"),
    "guess_negative": ({"InitialGuess": [0.1, -0.1, 0.05, 0.05]}, r"InitialGuess: Dv must be finite and non-negative"),
    "guess_unstable": ({"InitialGuess": [0.4, 0.1, 0.05, 0.05]}, r"Unstable explicit step"),
    "z_axis_unknown": ({"ZParameter": 9}, r"ZParameter must be 0 \(Du\), 1 \(Dv\), 2 \(F\), 3 \(k\), 4 \(None\) or 5 \(Loss\), got 9"),
    "optimizer_unknown": ({"Optimizer": 3}, r"Optimizer must be 0 \(sgd\) or 1 \(adam\)"),
    "pinn_spectral": ({"Method": "PINN", "Discretisation": "Spectral"},
                      r"Discretisation Spectral is for the residual fit; the PINN's residual"),
    "same_array": ({"UArray": "v"}, r"UArrayName and VArrayName both name the point array 'v'"),
    "pinn_same_array": ({"Method": "PINN", "UArray": "v"},
                        r"UArrayName and VArrayName both name the point array 'v'"),
    "pinn_intensity": ({"Method": "PINN", "UArray": "None", "Observation": "Intensity"},
                       r"Method PINN with an intensity \(Observation\)"),
    "u_none_time_series": ({"Method": "ResidualFit", "ResidualMethod": "TimeSeries", "UArray": "None"},
                           r"a time series with v alone \(UArrayName\) needs at least 3 \(got 1\)"),
    "input_without_u": (lambda: {"Input": Wavelet(WholeExtent=[0, 15, 0, 15, 0, 0])},
                        r"The input has no point array 'u'"),
}


def same_history(a, b):
    x, y = a[0].GetColumnByName("loss"), b[0].GetColumnByName("loss")
    return x is not None and y is not None and x.GetNumberOfTuples() == y.GetNumberOfTuples() and all(
        t.same_float(x.GetValue(i), y.GetValue(i)) for i in range(x.GetNumberOfTuples()))


def case_check(ns, case):
    bad, expected = CASES[case]
    target = t.new_pattern(ns, Dimensions=[16, 16, 1], NumberOfSteps=200, SteadyStateTolerance=0.0,
                           SeedPatchSize=6)
    proxy = invert(ns, target, Method="Gradient", Iterations=2, BatchSize=1, NumberOfSteps=100,
                   SeedPatchSize=6)
    if callable(bad):
        SetActiveSource(None)
        bad = bad()
    t.check_bad_input(proxy, bad, expected, same_history)


t.run(lambda: t.main_with_cases(CASES, globals(), lambda ns, args: main_checks(ns), case_check))
