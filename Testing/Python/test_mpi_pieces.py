"""Under `mpiexec -n 2 pvbatch --symmetric`: every rank outputs its own piece of the grid, the pieces cover
it, and each piece equals the same points of a serial whole-grid run (every rank runs the
whole, deterministic simulation and cuts its piece out)."""

import gs_testing as t
from vtkmodules.vtkCommonCore import vtkIntArray
from vtkmodules.vtkParallelCore import vtkMultiProcessController


def main():
    args = t.parse_args()
    ns = globals()
    t.load_plugin(args.plugin, ns)
    controller = vtkMultiProcessController.GetGlobalController()
    rank, ranks = controller.GetLocalProcessId(), controller.GetNumberOfProcesses()
    label = "rank %d of %d: " % (rank, ranks)
    t.check(ranks == 2, label + "running on 2 ranks")

    setup = dict(Dimensions=[64, 48, 1], NumberOfSteps=800, SteadyStateTolerance=0.0)
    src = t.new_pattern(ns, **setup)
    src.UpdatePipeline()
    piece = src.GetClientSideObject().GetOutputDataObject(0)
    # Every rank's extent, to see that the pieces cover the grid.
    mine, everyone = vtkIntArray(), vtkIntArray()
    for value in piece.GetExtent():
        mine.InsertNextValue(value)
    controller.AllGather(mine, everyone)
    covered = set()
    for r in range(everyone.GetNumberOfTuples() // 6):
        x0, x1, y0, y1 = (everyone.GetValue(6 * r + i) for i in range(4))
        covered.update((x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1))

    # The serial reference: the whole grid on this rank, straight from the VTK algorithm.
    whole_src = t.new_pattern(ns, **setup)
    whole_src.UpdatePipeline()
    algorithm = whole_src.GetClientSideObject()
    algorithm.UpdatePiece(0, 1, 0)
    whole = algorithm.GetOutputDataObject(0)

    e = piece.GetExtent()
    t.check(0 < piece.GetNumberOfPoints() < 64 * 48, label + "a proper, non-empty piece %s" % (e,))
    t.check(len(covered) == 64 * 48, label + "the pieces cover the grid (%d of %d points)" % (
        len(covered), 64 * 48))
    pv, wv = t.values(piece, "v"), t.values(whole, "v")
    same = True
    i = 0
    for y in range(e[2], e[3] + 1):
        for x in range(e[0], e[1] + 1):
            same = same and pv[i] == wv[x + 64 * y]
            i += 1
    t.check(same, label + "the piece equals the serial run at the same points")
    t.check(t.field(piece, "StepsTaken") == 800, label + "field data on every piece")


t.run(main)
