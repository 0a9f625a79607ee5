"""Property fuzzer: for every source and filter of the plugin, N seeded random combinations of
property values (NaN, infinities, negatives, zero, huge sizes, inverted ranges, wrong or missing
inputs and arrays), each updated in this process. Every update must end within a time bound
with either a non-empty output and no error, or empty outputs and an error message (of the
filter, or of a failed input: the failure is reported where it happens); the process
must survive. A failure prints the seed and combination, to replay with --seed and --only."""

import math
import random
import time

import gs_testing as t
from paraview.simple import Calculator, Delete, SetActiveSource, Wavelet

NAN, INF = float("nan"), float("inf")
BOUND = 20.0  # seconds per update: sizes below keep every good case far under it

# Values per property name; a property not listed keeps its default. Sizes and step counts
# stay small when valid (a huge valid run is a long run, not a fault), and reach huge or
# invalid values to test the guards.
SCALARS = [NAN, INF, -INF, -1.0, 0.0, 1e300, 1e-300]
PARAMETER = [0.16, 0.08, 0.035, 0.065, 0.3] + SCALARS
VALUES = {
    "Du": PARAMETER, "Dv": PARAMETER, "F": PARAMETER, "k": PARAMETER,
    "Dimensions": [[16, 16, 1], [8, 8, 8], [0, 16, 1], [-3, 16, 1], [16, 16, 0], [10 ** 6, 10 ** 6, 10 ** 3], [1, 1, 1]],
    "Spacing": [[1, 1, 1], [0, 1, 1], [-1, 1, 1], [NAN, 1, 1], [0.5, 0.5, 1], [1e300, 1, 1]],
    "TimeStep": [1.0, 0.5] + SCALARS,
    "NumberOfSteps": [0, 1, 50, 200, -1, -10 ** 9],
    "SteadyStateTolerance": [0.0, 1e-4] + SCALARS,
    "Seed": [0, 1, 12345, -1],
    "NoiseAmplitude": [0.02, 0.5] + SCALARS,
    "SeedPatchSize": [0, 6, 1000, -1],
    "OutputInterval": [0, 1, 7, -1], "Scheme": [0, 1, -1, 5],
    "Loss": [0, 1, 2, 3, 4, -1, 9], "GradientLoss": [0, 1, 4, -1, 9],
    "Routing": [0, 1, 2, -1, 5], "TruncationSteps": [0, 10, -1], "CheckpointMemory": [64.0, 1.0] + SCALARS,
    "TileSize": [16, 4, 1, 0, -1, 10 ** 6], "IncludeU": [0, 1],
    "XParameter": [0, 1, 2, 3, 4, -1, 7], "YParameter": [0, 1, 2, 3, 4, -1, 7], "ZParameter": [0, 1, 2, 3, 4, 5, -1, 9],
    "XRange": [[0.03, 0.04], [0.04, 0.03], [NAN, 0.04], [0.0, INF], [0.05, 0.05], [-1.0, 1.0]],
    "YRange": [[0.06, 0.065], [0.065, 0.06], [NAN, 0.065], [0.0, 1e300]],
    "ZRange": [[0.1, 0.2], [0.2, 0.1], [INF, 0.2]],
    "XResolution": [1, 2, 3, 0, -1, 10 ** 9], "YResolution": [1, 2, 0, -5, 10 ** 9], "ZResolution": [1, 2, 0, 10 ** 9],
    "TrueParameters": [[0.16, 0.08, 0.035, 0.065], [NAN, 0.08, 0.035, 0.065], [0.16, -1, 0.035, 0.065], [1.0, 1.0, 1.0, 1.0]],
    "NumberOfInitialConditions": [1, 2, 0, -1],
    "ComputeGradient": [0, 1],
    "Losses": [["logps"], ["pixel", "gram"], [], ["residual"], ["logps", "residual"]],
    "CacheFile": ["", "/nonexistent/x.gslc", "/tmp"],
    "FRange": [[0.0, 0.1], [0.1, 0.0], [NAN, 0.1], [-1.0, 0.1], [0.05, 0.05]],
    "KRange": [[0.0, 0.08], [0.08, 0.0], [0.0, INF]],
    "Samples": [2, 50, 1, 0, -1, 2 ** 31 - 1], "Elevation": [0.0, NAN, INF, -1.0],
    "Method": [0, 1, 2, 3, -1, 7], "TimeDifference": [0, 1, -1, 4],
    "UArray": ["u", "v", "nope", ""], "VArray": ["v", "u", "nope", ""], "ValidArray": ["", "nope", "v"],
    "FixedParameters": [[], ["Du"], ["Du", "Dv", "F", "k"]], "FitParameters": [["F", "k"], [], ["Du", "Dv", "F", "k"]],
    "FixedValues": [[0.16, 0.08, 0.035, 0.065], [NAN, 0.08, 0.035, 0.065]],
    "InitialGuess": [[0.127, 0.127, 0.05, 0.05], [0.16, 0.08, 0.035, 0.065], [NAN, 0.1, 0.05, 0.05], [0.4, 0.1, 0.05, 0.05], [-1, 0.1, 0.05, 0.05]],
    "TestFunctionSize": [0, 4, -1, 10 ** 6], "TestFunctionsPerAxis": [0, 2, -1, 10 ** 6],
    "FrameStride": [1, 2, 0, -1], "Completion": [0, 1, 2, -1, 3], "CompletionSmoothing": [0.01, 0.0] + SCALARS,
    "CompletionOrder": [1, 3, 0, 5], "NoiseVariance": [0.0, -1.0, -0.5, NAN, 1e-4],
    "Iterations": [0, 1, 2, -1], "LearningRate": [0.01, 0.0, NAN, -1.0, 1e300], "Optimizer": [0, 1, -1, 3],
    "WeightDecay": [5e-4, NAN, -1.0], "Reparameterise": [0, 1], "BatchSize": [1, 2, 0, -1],
    "ResidualMethod": [0, 1, 2, -1, 3], "ZScale": [1.0, NAN, INF],
    "NeuralFieldIterations": [1, 5, 0, -1], "NeuralFieldFeatures": [4, 0, 2000], "NeuralFieldFeatureScale": [0.0, 2.0, NAN, -1.0],
    "NeuralFieldWidth": [4, 0], "NeuralFieldLayers": [1, 0, 9], "NeuralFieldLearningRate": [0.005, 0.0, NAN, 2.0],
    "NeuralFieldSeed": [0, 7, -1], "PINNResidualWeight": [1.0, 0.0, NAN, -1.0], "PINNParameterLearningRate": [0.05, 0.0, INF],
}
PROXIES = ["GrayScottPattern", "GrayScottLossGradient", "GrayScottLossLandscape",
           "GrayScottBifurcationCurves", "GrayScottResidualFit", "GrayScottInversion"]
# Small, fast defaults for every run (the fuzzed values replace them).
SMALL = {
    "GrayScottPattern": dict(InitialState=None, Dimensions=[16, 16, 1], NumberOfSteps=50),
    "GrayScottLossGradient": dict(InitialState=None, NumberOfSteps=50, SeedPatchSize=6),
    "GrayScottLossLandscape": dict(Target=None, Dimensions=[16, 16, 1], NumberOfSteps=50,
                                   XResolution=2, YResolution=2, NumberOfInitialConditions=1,
                                   SeedPatchSize=6, Losses=["logps"]),
    "GrayScottBifurcationCurves": dict(Samples=50),
    "GrayScottResidualFit": dict(NeuralFieldIterations=20),
    "GrayScottInversion": dict(Iterations=1, BatchSize=1, NumberOfSteps=50, SeedPatchSize=6,
                               NeuralFieldIterations=20),
}
INPUTS = {"GrayScottPattern": "InitialState", "GrayScottLossGradient": "Target",
          "GrayScottLossLandscape": "Target", "GrayScottResidualFit": "Input", "GrayScottInversion": "Input"}


def empty(data):
    return t.is_empty(data)


def valid(data):
    """A result: points or cells, or a table with its columns (0 iterations give 0 rows)."""
    return data.GetNumberOfColumns() > 0 if data.IsA("vtkTable") else not t.is_empty(data)


def main():
    def extra(parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--count", type=int, default=300)
        parser.add_argument("--only", help="one proxy")

    args = t.parse_args(extra)
    ns = globals()
    t.load_plugin(args.plugin, ns)
    # Inputs to choose from: a good pattern, its time series, one without u and v, a failed one.
    SetActiveSource(None)
    good = ns["GrayScottPattern"](InitialState=None, Dimensions=[16, 16, 1], NumberOfSteps=200, SeedPatchSize=6)
    SetActiveSource(None)
    series = ns["GrayScottPattern"](InitialState=good, Dimensions=[16, 16, 1], NumberOfSteps=3,
                                    SteadyStateTolerance=0.0, OutputInterval=1)
    SetActiveSource(None)
    wavelet = Wavelet(WholeExtent=[0, 15, 0, 15, 0, 0])
    SetActiveSource(None)
    failed = ns["GrayScottPattern"](InitialState=None, Dimensions=[16, 16, 1], Du=NAN)
    SetActiveSource(None)
    vector_v = Calculator(Input=wavelet, ResultArrayName="v", Function="iHat")
    inputs = [good, series, wavelet, failed, vector_v]
    # A failed input is refused where it fails: its executive reports the failure, and the
    # filter downstream does not run.
    upstream = [t.Messages(p) for p in inputs]

    total = findings = 0
    slowest = 0.0
    for name in PROXIES if not args.only else [args.only]:
        rng = random.Random("%d:%s" % (args.seed, name))
        SetActiveSource(None)
        required = name in ("GrayScottLossGradient", "GrayScottResidualFit", "GrayScottInversion")
        default_input = {INPUTS[name]: good} if required else {}
        proxy = ns[name](**SMALL[name], **default_input)
        messages = t.Messages(proxy)
        names = [n for n in proxy.ListProperties() if n in VALUES]
        defaults = {}
        for n in names:
            value = proxy.GetPropertyValue(n)
            defaults[n] = list(value) if hasattr(value, "__len__") and not isinstance(value, str) else value
        for case in range(args.count):
            chosen = rng.sample(names, min(len(names), rng.randint(1, 4)))
            combination = {n: rng.choice(VALUES[n]) for n in chosen}
            if name in INPUTS and rng.random() < 0.3:
                combination[INPUTS[name]] = rng.choice(inputs + ([] if required else [None]))
            label = "%s case %d %s" % (name, case, {k: (v.GetXMLLabel() if hasattr(v, "GetXMLLabel") else v)
                                                    for k, v in combination.items()})
            # Each case starts from the small defaults, not from the last case.
            for key, value in list(defaults.items()) + list(SMALL[name].items()) + list(default_input.items()):
                proxy.SetPropertyWithName(key, value)
            try:
                for key, value in combination.items():
                    proxy.SetPropertyWithName(key, value)
            except Exception as e:  # paraview.simple refusing a value is a clear answer too
                print("refused by the proxy: %s (%s)" % (label, e))
                continue
            messages.clear()
            for m in upstream:
                m.clear()
            proxy.GetClientSideObject().Modified()  # every case runs, even one equal to the last
            proxy.SMProxy.MarkModified(proxy.SMProxy)
            began = time.time()
            outputs = t.outputs(proxy)
            elapsed = time.time() - began
            slowest = max(slowest, elapsed)
            total += 1
            ok_output = valid(outputs[0]) and not messages.errors
            reported = messages.errors or any(m.errors or m.failures for m in upstream)
            refused = all(empty(d) for d in outputs) and reported
            if elapsed > BOUND or not (ok_output or refused):
                findings += 1
                t.fail("%s: %.1f s, errors %s, outputs %s" % (
                    label, elapsed, messages.errors[:1], [(d.GetClassName(), empty(d)) for d in outputs]))
        Delete(proxy)
    print("fuzzer: %d updates, %d findings, slowest %.2f s (seed %d)" % (total, findings, slowest, args.seed))
    t.check(total >= 300 * (1 if args.only else len(PROXIES)) * 0.9, "at least 90%% of the combinations ran (%d)" % total)


t.run(main)
