"""Every source and filter gives bitwise the same output on one thread as on two, and on a
repeated run. The same script runs twice in child processes, once confined to one CPU
(taskset: TBB then uses one thread) and once free; each writes a digest of every output array's
bytes, and the digests must match (and match a repeat in the same process)."""

import hashlib
import json
import os
import subprocess
import sys

import gs_testing as t
from paraview.simple import SetActiveSource


def digest(data):
    """SHA-256 of every array of every attribute and of the points, by name."""
    h = hashlib.sha256()
    parts = []
    if data.IsA("vtkTable"):
        parts = [data.GetRowData()]
    else:
        parts = [data.GetPointData(), data.GetCellData()]
        if data.IsA("vtkPointSet") and data.GetPoints() is not None:
            h.update(bytes(memoryview(data.GetPoints().GetData())))
    for attributes in parts:
        for i in range(attributes.GetNumberOfArrays()):
            array = attributes.GetAbstractArray(i)
            h.update(array.GetName().encode())
            if array.IsA("vtkStringArray"):
                h.update("|".join(array.GetValue(j) for j in range(array.GetNumberOfValues())).encode())
            else:
                h.update(bytes(memoryview(array)))
    return h.hexdigest()


def outputs(ns):
    """Every proxy's outputs on a small setting, as digests."""
    SetActiveSource(None)
    target = ns["GrayScottPattern"](InitialState=None, Dimensions=[128, 128, 1], NumberOfSteps=600,
                                    SteadyStateTolerance=0.0, SeedPatchSize=20)
    SetActiveSource(None)
    series = ns["GrayScottPattern"](InitialState=target, Dimensions=[128, 128, 1], NumberOfSteps=3,
                                    SteadyStateTolerance=0.0, OutputInterval=1)
    # Updated first, as the GUI's Apply does: the fits' u array defaults to u only when the
    # input's arrays are known (else None, v alone).
    target.UpdatePipeline()
    series.UpdatePipeline()
    proxies = {"pattern": target}
    SetActiveSource(None)
    proxies["gradient"] = ns["GrayScottLossGradient"](Target=target, InitialState=None, Seed=1,
                                                      NumberOfSteps=200, SeedPatchSize=20)
    SetActiveSource(None)
    proxies["landscape"] = ns["GrayScottLossLandscape"](
        Target=None, Dimensions=[48, 48, 1], NumberOfSteps=400, NumberOfInitialConditions=2,
        SeedPatchSize=12, XResolution=3, YResolution=3, ComputeGradient=1)
    SetActiveSource(None)
    proxies["curves"] = ns["GrayScottBifurcationCurves"]()
    SetActiveSource(None)
    proxies["residual"] = ns["GrayScottResidualFit"](Input=series, Method="WeakForm")
    SetActiveSource(None)
    proxies["inversion"] = ns["GrayScottInversion"](Input=target, Iterations=2, BatchSize=2,
                                                    NumberOfSteps=200, SeedPatchSize=20)
    # The neural field and the PINN: 128 x 128 cells, 30 Adam steps (64 blocks of samples).
    SetActiveSource(None)
    proxies["neural_field"] = ns["GrayScottResidualFit"](Input=target, Method="WeakForm", Completion="NeuralField",
                                                         NeuralFieldIterations=30)
    SetActiveSource(None)
    proxies["pinn"] = ns["GrayScottInversion"](Input=target, Method="PINN", NeuralFieldIterations=30,
                                               NumberOfSteps=200)
    digests = {}
    for name, p in proxies.items():
        data = t.outputs(p)
        first = data[0]
        size = first.GetNumberOfRows() if first.IsA("vtkTable") else first.GetNumberOfPoints()
        t.check(size > 0, "%s gives an output (%d rows or points): its digest is of data" % (name, size))
        digests[name] = [digest(d) for d in data]
    return digests


def main():
    def extra(parser):
        parser.add_argument("--child")
        parser.add_argument("--pvpython")

    args = t.parse_args(extra)
    ns = globals()
    t.load_plugin(args.plugin, ns)
    if args.child:
        first = outputs(ns)
        with open(args.child, "w") as f:
            json.dump({"first": first, "repeat": outputs(ns)}, f)
        return

    results = {}
    for label, prefix in (("one CPU", ["taskset", "-c", "0"]), ("all CPUs", [])):
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "gs-determinism-%d-%s.json" % (
            os.getpid(), "1" if prefix else "n"))
        command = prefix + [args.pvpython, os.path.abspath(__file__), "--plugin", args.plugin,
                            "--child", path]
        run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        t.check(run.returncode == 0, "%s: the child ran (%d)" % (label, run.returncode))
        if run.returncode != 0:
            print(run.stdout[-2000:])
            return
        with open(path) as f:
            results[label] = json.load(f)
        os.remove(path)
        t.check(results[label]["first"] == results[label]["repeat"], "%s: a repeated run is identical" % label)
    one, two = results["one CPU"]["first"], results["all CPUs"]["first"]
    for name in sorted(one):
        t.check(one[name] == two[name], "%s: one thread and two give the same bits" % name)


t.run(main)
