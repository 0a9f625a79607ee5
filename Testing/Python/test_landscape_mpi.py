"""Gray-Scott Loss Landscape under `mpiexec -n 2 pvbatch --symmetric`: each rank computes its
own piece of parameter space, the pieces cover it, and each equals the same points of a
whole-grid run bitwise. With --output, the distributed image is also saved (.pvti) for
test_landscape_serial.py to compare with a serial process."""

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


def landscape(ns):
    SetActiveSource(None)
    return ns["GrayScottLossLandscape"](**SWEEP)


def main():
    def extra(parser):
        parser.add_argument("--output")

    args = t.parse_args(extra)
    ns = globals()
    t.load_plugin(args.plugin, ns)
    controller = vtkMultiProcessController.GetGlobalController()
    rank, ranks = controller.GetLocalProcessId(), controller.GetNumberOfProcesses()
    label = "rank %d of %d: " % (rank, ranks)
    t.check(ranks == 2, label + "running on 2 ranks")

    land = landscape(ns)
    land.UpdatePipeline()
    piece = land.GetClientSideObject().GetOutputDataObject(0)
    land.UpdatePropertyInformation()
    computed = int(land.GetPropertyValue("NumberOfPointsComputed"))
    mine, everyone = vtkIntArray(), vtkIntArray()
    for value in piece.GetExtent():
        mine.InsertNextValue(value)
    controller.AllGather(mine, everyone)
    covered = []
    for r in range(everyone.GetNumberOfTuples() // 6):
        x0, x1, y0, y1 = (everyone.GetValue(6 * r + i) for i in range(4))
        covered += [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    e = piece.GetExtent()
    t.check(0 < piece.GetNumberOfPoints() < 20, label + "a proper piece %s" % (e,))
    t.check(computed == piece.GetNumberOfPoints(), label + "computed only its own %d points" % computed)
    # Neighbouring image pieces share their boundary layer of points, as VTK splits them.
    t.check(set(covered) == set((x, y) for x in range(5) for y in range(4)),
            label + "the pieces cover the 5 x 4 grid")

    whole_proxy = landscape(ns)
    whole_proxy.UpdatePipeline()
    algorithm = whole_proxy.GetClientSideObject()
    algorithm.UpdatePiece(0, 1, 0)
    whole = algorithm.GetOutputDataObject(0)
    t.check(whole.GetNumberOfPoints() == 20, label + "the whole-grid run")
    for name in ARRAYS:
        a, w = piece.GetPointData().GetArray(name), whole.GetPointData().GetArray(name)
        c = a.GetNumberOfComponents()
        ok = True
        i = 0
        for y in range(e[2], e[3] + 1):
            for x in range(e[0], e[1] + 1):
                for comp in range(c):
                    ok = ok and t.same_float(a.GetComponent(i, comp), w.GetComponent(x + 5 * y, comp))
                i += 1
        t.check(ok, label + "%s equals the whole-grid run at the same points, bitwise" % name)
    t.check(t.field(piece, "NumberOfSteps") == 400, label + "field data on every piece")
    if args.output:
        save_data(args.output, land)


if __name__ == "__main__":
    t.run(main)
