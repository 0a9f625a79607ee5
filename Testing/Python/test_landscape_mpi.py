"""Gray-Scott Loss Landscape under `mpiexec -n 2 pvbatch --symmetric`: each rank computes its
own piece of parameter space, the pieces cover it, and each equals the same points of a
whole-grid run bitwise. With --output, the distributed image is also saved (.pvti) for
test_landscape_serial.py to compare with a serial process. With --horizon, the sweep is a
horizon landscape, (F, k, log10 K), from targets simulated at the truth (simulated) or from a
Target with u and v (observed); with --cache, the distributed sweep also stores its points in
that file, both ranks appending to it."""

import os

import gs_testing as t
from gs_scripts import save_data
from paraview.simple import SetActiveSource
from vtkmodules.vtkCommonCore import vtkIntArray
from vtkmodules.vtkParallelCore import vtkMultiProcessController

ARRAYS = ["logps", "pixel", "steps", "converged", "pattern_class", "mean_v", "gradient",
          "gradient_norm"]
# Shared with test_landscape_serial.py.
SWEEP = dict(Target=None, Dimensions=[32, 32, 1], NumberOfSteps=400, NumberOfInitialConditions=2,
             Seed=3, SeedPatchSize=10, XParameter="F", XRange=[0.03, 0.05], XResolution=5,
             YParameter="k", YRange=[0.055, 0.065], YResolution=4, ZParameter="None",
             Losses=["logps", "pixel"], ComputeGradient=1)
# K = 1, 6, 40 along z. Without the gradient: test_horizon_pieces.py covers it.
HORIZON_SWEEP = dict(Target=None, Dimensions=[24, 24, 1], NumberOfSteps=200, NumberOfInitialConditions=2,
                     Seed=3, SeedPatchSize=8, XParameter="F", XRange=[0.03, 0.05], XResolution=5,
                     YParameter="k", YRange=[0.055, 0.065], YResolution=4, ZParameter="Horizon",
                     ZRange=[1, 40], ZResolution=3, IncludeU=1, Losses=["logps", "pixel"])
HORIZON_ARRAYS = ["logps", "pixel", "steps", "converged", "pattern_class", "mean_v"]
HORIZONS = ["simulated", "observed"]


def sweep(horizon):
    return HORIZON_SWEEP if horizon else SWEEP


def arrays(horizon):
    return HORIZON_ARRAYS if horizon else ARRAYS


def dimensions(horizon):
    return (5, 4, 3) if horizon else (5, 4, 1)


def landscape(ns, horizon=None, **changes):
    properties = dict(sweep(horizon))
    if horizon == "observed":
        # The whole Target on every rank, whatever piece of parameter space the rank computes.
        properties["Target"] = t.new_pattern(ns, Dimensions=[24, 24, 1], NumberOfSteps=300, SeedPatchSize=8)
    properties.update(changes)
    SetActiveSource(None)
    return ns["GrayScottLossLandscape"](**properties)


def main():
    def extra(parser):
        parser.add_argument("--output")
        parser.add_argument("--horizon", choices=HORIZONS)
        parser.add_argument("--cache")

    args = t.parse_args(extra)
    ns = globals()
    t.load_plugin(args.plugin, ns)
    controller = vtkMultiProcessController.GetGlobalController()
    rank, ranks = controller.GetLocalProcessId(), controller.GetNumberOfProcesses()
    label = "rank %d of %d: " % (rank, ranks)
    t.check(ranks == 2, label + "running on 2 ranks")
    nx, ny, nz = dimensions(args.horizon)
    total = nx * ny * nz

    cached = {}
    if args.cache:
        # A file left by an earlier run would hold the points already.
        if rank == 0:
            os.makedirs(os.path.dirname(os.path.abspath(args.cache)), exist_ok=True)
            if os.path.exists(args.cache):
                os.remove(args.cache)
        controller.Barrier()
        cached["CacheFile"] = args.cache
    land = landscape(ns, args.horizon, **cached)
    land.UpdatePipeline()
    piece = land.GetClientSideObject().GetOutputDataObject(0)
    land.UpdatePropertyInformation()
    computed = int(land.GetPropertyValue("NumberOfPointsComputed"))
    from_cache = int(land.GetPropertyValue("NumberOfPointsFromCache"))
    mine, everyone = vtkIntArray(), vtkIntArray()
    for value in piece.GetExtent():
        mine.InsertNextValue(value)
    controller.AllGather(mine, everyone)
    covered = []
    for r in range(everyone.GetNumberOfTuples() // 6):
        x0, x1, y0, y1, z0, z1 = (everyone.GetValue(6 * r + i) for i in range(6))
        covered += [(x, y, z) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1) for z in range(z0, z1 + 1)]
    e = piece.GetExtent()
    t.check(0 < piece.GetNumberOfPoints() < total, label + "a proper piece %s" % (e,))
    if args.cache:
        # A shared boundary point the other rank stored before this one opened the file is read.
        t.check(computed + from_cache == piece.GetNumberOfPoints(),
                label + "computed (%d) or read from the file (%d) only its own points" % (computed, from_cache))
    else:
        t.check(computed == piece.GetNumberOfPoints(), label + "computed only its own %d points" % computed)
    # Neighbouring image pieces share their boundary layer of points, as VTK splits them.
    t.check(set(covered) == set((x, y, z) for x in range(nx) for y in range(ny) for z in range(nz)),
            label + "the pieces cover the %d x %d%s grid" % (nx, ny, " x %d" % nz if nz > 1 else ""))

    whole_proxy = landscape(ns, args.horizon)
    whole_proxy.UpdatePipeline()
    algorithm = whole_proxy.GetClientSideObject()
    algorithm.UpdatePiece(0, 1, 0)
    whole = algorithm.GetOutputDataObject(0)
    t.check(whole.GetNumberOfPoints() == total, label + "the whole-grid run")
    for name in arrays(args.horizon):
        a, w = piece.GetPointData().GetArray(name), whole.GetPointData().GetArray(name)
        c = a.GetNumberOfComponents()
        ok = True
        i = 0
        for z in range(e[4], e[5] + 1):
            for y in range(e[2], e[3] + 1):
                for x in range(e[0], e[1] + 1):
                    for comp in range(c):
                        ok = ok and t.same_float(a.GetComponent(i, comp),
                                                 w.GetComponent(x + nx * (y + ny * z), comp))
                    i += 1
        t.check(ok, label + "%s equals the whole-grid run at the same points, bitwise" % name)
    t.check(t.field(piece, "NumberOfSteps") == sweep(args.horizon)["NumberOfSteps"],
            label + "field data on every piece")
    if args.horizon == "observed":
        t.check(t.field(piece, "Dimensions") == [24.0, 24.0, 1.0],
                label + "the whole Target's grid, 24 x 24 (%s)" % t.field(piece, "Dimensions"))
    if args.horizon:
        t.check(t.field(piece, "Target") == ("observed" if args.horizon == "observed"
                                             else "simulated at TrueParameters"),
                label + "the targets: %s" % t.field(piece, "Target"))
    if args.output:
        save_data(args.output, land)


if __name__ == "__main__":
    t.run(main)
