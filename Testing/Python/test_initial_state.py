"""Gray-Scott Pattern from an InitialState: continuing a run equals one longer run bitwise,
input changes drop the cache, and float inputs are read."""

import gs_testing as t
from paraview.simple import Calculator


def main():
    args = t.parse_args()
    ns = globals()
    t.load_plugin(args.plugin, ns)
    common = dict(Dimensions=[64, 64, 1], SteadyStateTolerance=0.0)

    first = t.new_pattern(ns, NumberOfSteps=1000, **common)
    second = ns["GrayScottPattern"](InitialState=first, NumberOfSteps=1000, **common)
    messages = t.Messages(second)
    longer = t.new_pattern(ns, NumberOfSteps=2000, **common)

    continued = t.output(second)
    reference = t.output(longer)
    t.check(t.same_bits(continued, reference, "u") and t.same_bits(continued, reference, "v"),
            "1000 steps from a 1000-step InitialState == 2000 steps, bitwise")
    t.check(t.field(continued, "StepsTaken") == 1000, "StepsTaken counts steps from the InitialState")
    t.check(t.steps_computed(second) == 1000, "the second source computed 1000 steps")

    # The seeded initial condition is unused with an InitialState.
    second.Seed = 5
    reseeded = t.output(second)
    t.check(t.same_bits(reseeded, continued, "v"), "Seed does not matter with an InitialState")

    # Changing the input drops the cache; changing it back gives the original again.
    first.Seed = 3
    other = t.output(second)
    t.check(not t.same_bits(other, continued, "v"), "a changed InitialState gives another result")
    first.Seed = 0
    back = t.output(second)
    t.check(t.same_bits(back, continued, "v"), "and the original InitialState the original result")

    # Continuing as a time series: frame t of the continuation == frame 1000 + t of one run.
    second.OutputInterval = 250
    second.UpdatePipelineInformation()
    mid = t.output(second, 500.0)
    longer.NumberOfSteps = 1500
    t.check(t.same_bits(mid, t.output(longer), "v"), "time series from an InitialState continues the run")

    # An InitialState of float arrays (as a Calculator makes) is read as well.
    float_u = Calculator(Input=first, ResultArrayName="u", Function="u", ResultArrayType="Float")
    float_uv = Calculator(Input=float_u, ResultArrayName="v", Function="v", ResultArrayType="Float")
    from_float = ns["GrayScottPattern"](InitialState=float_uv, NumberOfSteps=0, **common)
    data = t.output(from_float)
    source = t.output(first)
    u0 = t.values(source, "u")
    u1 = t.values(data, "u")
    t.check(len(u1) == len(u0) and max(abs(a - b) for a, b in zip(u0, u1)) < 1e-6,
            "float u and v are converted (0 steps reproduce the input to float precision)")

    t.check(not messages.errors and not messages.warnings, "no errors or warnings")


t.run(main)
