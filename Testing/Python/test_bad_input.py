"""Gray-Scott Pattern with one bad input (--case NAME): a VTK error that names the problem,
an empty output, no crash, and a good run again once the input is fixed.

Every case is its own CTest test; `--expect-cases "a;b;..."` checks that CMake lists every
case defined here (and no other)."""

import math
import os
import tempfile

import gs_testing as t
import ready_files
from gs_scripts import save_data
from paraview.simple import Calculator, Wavelet

GOOD = dict(Dimensions=[32, 32, 1], Spacing=[1.0, 1.0, 1.0], NumberOfSteps=200,
            SteadyStateTolerance=0.0, TimeStep=1.0, OutputInterval=0)
NAN = float("nan")

# name: (properties to set, or a function making them from the namespace; pattern the error must match)
CASES = {
    "du_nan": ({"Du": NAN}, r"Parameter Du must be finite and non-negative \(got nan\)"),
    "du_negative": ({"Du": -0.16}, r"Parameter Du must be finite and non-negative \(got -0\.16\)"),
    "dv_negative": ({"Dv": -0.01}, r"Parameter Dv must be finite and non-negative"),
    "dv_infinite": ({"Dv": math.inf}, r"Parameter Dv must be finite and non-negative"),
    "f_negative": ({"F": -0.035}, r"Parameter F must be finite and non-negative"),
    "f_nan": ({"F": NAN}, r"Parameter F must be finite and non-negative"),
    "k_negative": ({"k": -1.0}, r"Parameter k must be finite and non-negative"),
    "k_nan": ({"k": NAN}, r"Parameter k must be finite and non-negative"),
    "dimensions_zero": ({"Dimensions": [0, 32, 1]},
                        r"Dimensions must be at least 1 in every axis \(got 0 x 32 x 1\)"),
    "dimensions_negative": ({"Dimensions": [32, -4, 1]},
                            r"Dimensions must be at least 1 in every axis \(got 32 x -4 x 1\)"),
    "dimensions_zero_z": ({"Dimensions": [32, 32, 0]}, r"Dimensions must be at least 1"),
    "grid_too_large": ({"Dimensions": [100000, 100000, 1000]},
                       r"Not enough memory for the fields u and v.*needs about .* MiB"),
    "time_cache_too_large": ({"Dimensions": [512, 512, 1], "OutputInterval": 1,
                              "NumberOfSteps": 2000000000},
                             r"Not enough memory for the 2000000001 cached time steps.*"
                             r"a larger OutputInterval caches fewer"),
    "spacing_zero": ({"Spacing": [1.0, 0.0, 1.0]}, r"Spacing must be finite and positive"),
    "spacing_negative": ({"Spacing": [-1.0, 1.0, 1.0]}, r"Spacing must be finite and positive"),
    "spacing_nan": ({"Spacing": [1.0, 1.0, NAN]}, r"Spacing must be finite and positive"),
    "timestep_zero": ({"TimeStep": 0.0}, r"TimeStep must be finite and positive \(got 0\)"),
    "timestep_negative": ({"TimeStep": -1.0}, r"TimeStep must be finite and positive \(got -1\)"),
    "timestep_nan": ({"TimeStep": NAN}, r"TimeStep must be finite and positive"),
    "unstable_step": ({"TimeStep": 5.0},
                      r"Unstable explicit step.*Du and Dv must be <= 0\.05 \(got Du = 0\.16\)"),
    "unstable_diffusion": ({"Dv": 0.3}, r"Unstable explicit step.*must be <= 0\.25 \(got Dv = 0\.3\)"),
    "unstable_spacing": ({"Spacing": [0.5, 0.5, 1.0]}, r"Unstable explicit step"),
    "steps_negative": ({"NumberOfSteps": -1}, r"NumberOfSteps must be non-negative \(got -1\)"),
    "tolerance_negative": ({"SteadyStateTolerance": -1e-4},
                           r"SteadyStateTolerance must be finite and non-negative"),
    "tolerance_nan": ({"SteadyStateTolerance": NAN},
                      r"SteadyStateTolerance must be finite and non-negative"),
    "noise_negative": ({"NoiseAmplitude": -0.02},
                       r"NoiseAmplitude must be finite and non-negative"),
    "noise_nan": ({"NoiseAmplitude": NAN}, r"NoiseAmplitude must be finite and non-negative"),
    "patch_negative": ({"SeedPatchSize": -1}, r"SeedPatchSize must be non-negative \(got -1\)"),
    "seed_negative": ({"Seed": -3}, r"Seed must be non-negative \(got -3\)"),
    "interval_negative": ({"OutputInterval": -10},
                          r"OutputInterval must be non-negative \(got -10\)"),
    "scheme_unknown": ({"Scheme": 7}, r"Scheme must be 0 \(Euler\) or 1 \(Spectral\), got 7"),
    "scheme_spectral_3d": ({"Scheme": "Spectral", "Dimensions": [16, 16, 16]},
                           r"Scheme Spectral runs on 2D grids"),
    # Spectral works in about 30 pairs of fields: 190 GB here, where Euler would need 19 GB.
    "scheme_spectral_too_large": ({"Scheme": "Spectral", "Dimensions": [20000, 20000, 1]},
                                  r"Not enough memory for the fields u and v, the solver's work"),
    "initial_state_without_u": (
        lambda ns: {"InitialState": Wavelet(WholeExtent=[0, 31, 0, 31, 0, 0])},
        r"InitialState has no point array 'u'"),
    "initial_state_without_v": (
        lambda ns: {"InitialState": Calculator(Input=Wavelet(WholeExtent=[0, 31, 0, 31, 0, 0]),
                                               ResultArrayName="u", Function="1")},
        r"InitialState has no point array 'v'"),
    "initial_state_vector_u": (
        lambda ns: {"InitialState": Calculator(
            Input=Calculator(Input=Wavelet(WholeExtent=[0, 31, 0, 31, 0, 0]),
                             ResultArrayName="v", Function="0"),
            ResultArrayName="u", Function="iHat")},
        r"InitialState's point array 'u' has 3 components; it must have one"),
    "initial_state_other_dimensions": (
        lambda ns: {"InitialState": t.new_pattern(ns, Dimensions=[16, 16, 1], NumberOfSteps=10)},
        r"InitialState has dimensions 16 x 16 x 1, but Dimensions is 32 x 32 x 1; they must be equal"),
    "initial_state_empty": (
        lambda ns: {"InitialState": t.new_pattern(ns, Dimensions=[32, 32, 1], NumberOfSteps=10,
                                                  Du=NAN)},
        r"Parameter Du must be finite"),
    "ready_file_missing": ({"ReadyFile": "/nonexistent/pattern.vti"},
                           r"ReadyFile: .*/nonexistent/pattern\.vti"),
    "ready_file_not_ready": (lambda ns: {"ReadyFile": plain_vti(ns)},
                             r"ReadyFile '.*plain\.vti' is not a Ready file: it has no <RD> element"),
    "ready_file_not_gray_scott": (
        lambda ns: {"ReadyFile": ready_vti("brusselator.vti", ready_files.rule(
            "formula", "K", formula="delta_a = 1.0 - (D_a+1.0)*a + a*a*b; delta_b = D_a*a - a*a*b;"))},
        r"ReadyFile: The Ready file '.*brusselator\.vti': The Ready rule's formula is not Ready's "
        r"Gray-Scott formula"),
    "ready_file_no_kill_rate": (
        lambda ns: {"ReadyFile": ready_vti("no_k.vti", ready_files.rule("inbuilt", "k", {"k": None}))},
        r"The Ready rule has no parameter 'k'"),
    "ready_file_with_initial_state": (
        lambda ns: {"ReadyFile": ready_vti("good.vti", ready_files.rule("inbuilt", "k")),
                    "InitialState": t.new_pattern(ns, Dimensions=[32, 32, 1], NumberOfSteps=10)},
        r"ReadyFile and InitialState are both given"),
}


def ready_vti(name, rd):
    """A Ready file in the temporary folder, 32 x 32 with a state."""
    cells = 32 * 32
    return ready_files.write(os.path.join(tempfile.gettempdir(), "gs-bad-input-" + name),
                             [32, 32, 1], [1.0] * cells, [0.01 * (i % 7) for i in range(cells)], rd)


def plain_vti(ns):
    path = os.path.join(tempfile.gettempdir(), "gs-bad-input-plain.vti")
    save_data(path, t.new_pattern(ns, Dimensions=[32, 32, 1], NumberOfSteps=10))
    return path


def case_check(ns, case):
    bad, expected = CASES[case]
    src = t.new_pattern(ns, **GOOD)
    bad = bad(ns) if callable(bad) else bad
    t.check_bad_input(src, bad, expected, lambda a, b: t.same_bits(a[0], b[0], "v"),
                      time=1.0 if bad.get("OutputInterval", 0) > 0 else None)


t.run(lambda: t.main_with_cases(CASES, globals(), lambda ns, args: t.fail("no --case given"),
                                 case_check))
