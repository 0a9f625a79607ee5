"""Gray-Scott Loss Landscape with one bad input (--case NAME): a VTK error that names the
problem, an empty output, no crash, and a good run again once the input is fixed.
`--expect-cases "a;b;..."` checks that CMake lists every case defined here."""

import math

import gs_testing as t
from paraview.simple import Calculator, SetActiveSource, Wavelet

GOOD = dict(Target=None, Dimensions=[16, 16, 1], NumberOfSteps=50, NumberOfInitialConditions=1,
            SeedPatchSize=6, XRange=[0.03, 0.04], XResolution=2, YRange=[0.06, 0.065],
            YResolution=2, ZParameter="None")
NAN = float("nan")


def pattern_without_v(ns):
    SetActiveSource(None)
    return {"Target": Wavelet(WholeExtent=[0, 15, 0, 15, 0, 0])}


def pattern_with_vector_v(ns):
    SetActiveSource(None)
    return {"Target": Calculator(Input=Wavelet(WholeExtent=[0, 15, 0, 15, 0, 0]),
                                 ResultArrayName="v", Function="iHat")}


def failed_pattern(ns):
    return {"Target": t.new_pattern(ns, Dimensions=[16, 16, 1], NumberOfSteps=10, Du=NAN)}


def target_v_as_u(ns):
    return {"Target": t.new_pattern(ns, Dimensions=[16, 16, 1], NumberOfSteps=10), "IncludeU": 1,
            "UArray": "v"}


# name: (properties to set, or a function making them from the namespace; pattern the error must match)
CASES = {
    "x_parameter_none": ({"XParameter": 4}, r"XParameter must be 0 \(Du\), 1 \(Dv\), 2 \(F\) or 3 \(k\), got 4"),
    "y_parameter_unknown": ({"YParameter": 9}, r"YParameter must be .* 4 \(None\) or 5 \(Horizon\), got 9"),
    "same_parameter_twice": ({"YParameter": 2}, r"Axes X and Y sweep the same parameter"),
    "x_range_inverted": ({"XRange": [0.04, 0.03]},
                         r"XRange \(0\.04, 0\.03\) must have min < max when XResolution > 1"),
    "y_range_nan": ({"YRange": [NAN, 0.065]}, r"YRange must be finite"),
    "z_range_infinite": ({"ZParameter": 0, "ZRange": [0.1, math.inf], "ZResolution": 2},
                         r"ZRange must be finite"),
    "resolution_zero": ({"YResolution": 0}, r"YResolution must be at least 1, got 0"),
    "resolution_too_large": ({"ZParameter": 0, "ZRange": [0.1, 0.2], "XResolution": 100000,
                              "YResolution": 100000, "ZResolution": 100000},
                             r"Not enough memory for the landscape's output arrays.*MiB"),
    "no_initial_conditions": ({"NumberOfInitialConditions": 0},
                              r"NumberOfInitialConditions must be at least 1, got 0"),
    "no_losses": ({"Losses": []}, r"Losses: select at least one loss"),
    "true_parameters_nan": ({"TrueParameters": [0.16, 0.08, NAN, 0.065]},
                            r"TrueParameters: F must be finite and >= 0"),
    "true_parameters_unstable": ({"TrueParameters": [0.3, 0.08, 0.035, 0.065]},
                                 r"Unstable explicit step"),
    "steps_negative": ({"NumberOfSteps": -5}, r"NumberOfSteps must be non-negative \(got -5\)"),
    "timestep_zero": ({"TimeStep": 0.0}, r"TimeStep must be finite and positive \(got 0\)"),
    "dimensions_zero": ({"Dimensions": [16, 0, 1]}, r"Dimensions must be at least 1"),
    "seed_negative": ({"Seed": -1}, r"Seed must be non-negative \(got -1\)"),
    "horizon_negative": ({"Horizon": -2}, r"Horizon must be 0 \(none\) or at least 1 step, got -2"),
    "horizon_axis_zero": ({"ZParameter": 5, "ZRange": [0, 100], "ZResolution": 3},
                          r"ZRange \(0, 100\) of the horizon must be at least 1 step"),
    "horizon_on_x": ({"XParameter": 5}, r"XParameter must be 0 \(Du\), 1 \(Dv\), 2 \(F\) or 3 \(k\), got 5"),
    "time_steps_unknown": ({"TimeSteps": 3}, r"TimeSteps must be 0 \(None\), 1 \(Horizon\) or 2 \(Steps\), got 3"),
    "time_steps_with_horizon_axis": ({"TimeSteps": 1, "Horizon": 10, "ZParameter": 5, "ZRange": [1, 100], "ZResolution": 3},
                                     r"TimeSteps cannot sweep time while an axis sweeps the horizon"),
    "time_steps_horizon_zero": ({"TimeSteps": 1}, r"Horizon must be at least 2 to sweep it in time, got 0"),
    "time_steps_steps_with_horizon": ({"TimeSteps": 2, "Horizon": 10}, r"TimeSteps Steps needs the paper's protocol"),
    "time_steps_count_one": ({"TimeSteps": 2, "NumberOfTimeSteps": 1}, r"NumberOfTimeSteps must be at least 2, got 1"),
    "tile_size_zero": ({"TileSize": 0}, r"TileSize must be at least 1, got 0"),
    "gradient_loss_unknown": ({"ComputeGradient": 1, "GradientLoss": 7},
                              r"GradientLoss must be 0 \(pixel\), 1 \(logps\), 2 \(logps_windowed\), 3 \(logps_radial\) or 4 \(gram\), got 7"),
    "routing_unknown": ({"ComputeGradient": 1, "Routing": 5}, r"Routing must be 0 \(unrolled\)"),
    "checkpoint_memory_zero": ({"ComputeGradient": 1, "CheckpointMemory": 0.0},
                               r"CheckpointMemory must be positive"),
    "cache_file_unwritable": ({"CacheFile": "/nonexistent-folder/landscape.gslc"},
                              r"Cannot open the landscape cache file '/nonexistent-folder/landscape\.gslc'"),
    "cache_file_folder": ({"CacheFile": "/tmp"}, r"Cannot open the landscape cache file '/tmp': Is a directory"),
    "target_without_v": (pattern_without_v, r"The Target has no point array 'v'"),
    "target_vector_v": (pattern_with_vector_v, r"The Target's array 'v' must have one component"),
    "target_v_as_u": (target_v_as_u, r"UArrayName and VArrayName both name the point array 'v'"),
    "target_empty": (failed_pattern, r"Parameter Du must be finite"),
}


def case_check(ns, case):
    bad, expected = CASES[case]
    SetActiveSource(None)
    landscape = ns["GrayScottLossLandscape"](**GOOD)
    bad = bad(ns) if callable(bad) else bad
    t.check_bad_input(landscape, bad, expected, lambda a, b: t.same_bits(a[0], b[0], "logps"))


t.run(lambda: t.main_with_cases(CASES, globals(), lambda ns, args: t.fail("no --case given"),
                                 case_check))
