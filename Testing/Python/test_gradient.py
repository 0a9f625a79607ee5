"""Gray-Scott Loss Gradient: the one-row table, the gradient against finite differences of the
filter's own loss column, the routings, and bad input (error, empty table, no crash)."""

import math

import gs_testing as t
from paraview.simple import SetActiveSource, Wavelet


def row(proxy):
    table = t.output(proxy)
    if table.GetNumberOfRows() != 1:
        return None, table
    return {table.GetColumnName(i): table.GetValue(0, i).ToDouble()
            for i in range(table.GetNumberOfColumns())}, table


def main():
    args = t.parse_args()
    ns = globals()
    t.load_plugin(args.plugin, ns)
    target = t.new_pattern(ns, Dimensions=[32, 32, 1], NumberOfSteps=300,
                           SteadyStateTolerance=0.0, Seed=1)
    SetActiveSource(None)
    grad = ns["GrayScottLossGradient"](Target=target, InitialState=None, Seed=2,
                                       NumberOfSteps=200, SteadyStateTolerance=0.0)
    messages = t.Messages(grad)
    r, table = row(grad)
    t.check(r is not None, "one row")
    t.check(set(r) == {"loss", "dL_dDu", "dL_dDv", "dL_dF", "dL_dk", "steps"}, "columns %s" % sorted(r))
    t.check(r["steps"] == 200 and r["loss"] > 0 and all(math.isfinite(v) for v in r.values()),
            "finite loss and gradient after 200 steps")
    t.check(t.field(table, "Valid") == 1 and t.field(table, "Status") == "valid", "valid")

    # Central differences of the loss column in k, Richardson-extrapolated. The log spectrum
    # bends sharply in the parameters, so the step is small (as in the Core tests).
    def loss_at(k):
        grad.k = k
        return row(grad)[0]["loss"]
    h, k0 = 1e-7, 0.065
    d1 = (loss_at(k0 + h) - loss_at(k0 - h)) / (2 * h)
    d2 = (loss_at(k0 + h / 2) - loss_at(k0 - h / 2)) / h
    fd = (4 * d2 - d1) / 3
    grad.k = k0
    t.check(abs(fd - r["dL_dk"]) < 1e-5 * abs(fd), "dL/dk %r vs finite difference %r" % (r["dL_dk"], fd))

    # Truncated through every step equals unrolled; implicit needs a steady state.
    grad.Routing = "truncated"
    grad.TruncationSteps = 200
    same, _ = row(grad)
    t.check(same["dL_dF"] == r["dL_dF"], "truncated with K = N equals unrolled")
    grad.Routing = "implicit"
    messages.clear()
    invalid, table = row(grad)
    t.check(invalid is not None and math.isnan(invalid["dL_dDu"]) and t.field(table, "Valid") == 0,
            "implicit without a steady state: NaN and Valid = 0")
    t.check(any("steady" in w for w in messages.warnings), "with a warning that says why")
    grad.Routing = "unrolled"

    # Bad input: an error naming the problem and an empty table.
    for prop, value, words in (("Du", float("nan"), "Du"), ("Du", 0.3, "Unstable"),
                               ("NumberOfSteps", -1, "NumberOfSteps")):
        old = grad.GetPropertyValue(prop)
        messages.clear()
        grad.SetPropertyWithName(prop, value)
        bad, table = row(grad)
        t.check(bad is None and table.GetNumberOfColumns() == 0, "%s = %r: empty table" % (prop, value))
        t.check(any(words in e for e in messages.errors), "%s = %r: error names it %s" % (prop, value, messages.errors))
        t.check(any("returned failure" in f for f in messages.failures),
                "%s = %r: the filter returned failure" % (prop, value))
        grad.SetPropertyWithName(prop, old)
    SetActiveSource(None)
    wavelet = Wavelet()
    grad.Target = wavelet
    messages.clear()
    bad, table = row(grad)
    t.check(bad is None and any("no point array 'v'" in e for e in messages.errors),
            "a Target without v: error and empty table")
    grad.Target = target
    other = t.new_pattern(ns, Dimensions=[16, 16, 1], NumberOfSteps=10)
    grad.InitialState = other
    messages.clear()
    bad, table = row(grad)
    t.check(bad is None and any("dimensions" in e for e in messages.errors),
            "an InitialState of other dimensions: error and empty table")
    grad.InitialState = None
    good, _ = row(grad)
    t.check(good is not None and good["loss"] == r["loss"], "recovers once the input is fixed")


t.run(main)
