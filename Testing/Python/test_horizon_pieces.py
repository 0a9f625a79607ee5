"""Gray-Scott Loss Landscape over the horizon, piece by piece: sub-extents of a (F, k, log10 K)
volume from an observed Target with u and v, of an (F, log10 K) image with simulated targets
and of a fixed Horizon, each asked alone, and the pieces a serial pipeline splits the image
into, equal the whole run at the same points, bitwise, in every array; a piece computes only
its own points, and the whole after some pieces only the rest."""

import gs_testing as t
from paraview.simple import SetActiveSource

# K = 1, 4, 14, 50 along z; the gradient too, so that its arrays are compared.
OBSERVED = dict(XParameter="F", XRange=[0.03, 0.04], XResolution=3, YParameter="k",
                YRange=[0.06, 0.065], YResolution=3, ZParameter="Horizon", ZRange=[1, 50],
                ZResolution=4, IncludeU=1, Losses=["pixel", "logps"], ComputeGradient=1)
# Targets simulated at the truth from two initial conditions; the horizon along y.
SIMULATED = dict(Target=None, Dimensions=[24, 24, 1], NumberOfSteps=200, NumberOfInitialConditions=2,
                 Seed=5, SeedPatchSize=8, XParameter="F", XRange=[0.03, 0.04], XResolution=4,
                 YParameter="Horizon", YRange=[1, 40], YResolution=3, ZParameter="None",
                 IncludeU=1, Losses=["pixel", "logps"])
FIXED = dict(SIMULATED, YParameter="k", YRange=[0.06, 0.065], YResolution=3, Horizon=20)


def landscape(ns, settings):
    SetActiveSource(None)
    return ns["GrayScottLossLandscape"](**settings)


def computed(proxy):
    proxy.UpdatePropertyInformation()
    return int(proxy.GetPropertyValue("NumberOfPointsComputed"))


def array_names(data):
    pd = data.GetPointData()
    return [pd.GetArrayName(i) for i in range(pd.GetNumberOfArrays())]


def equals_whole(piece, whole):
    """The names of the arrays in which `piece` differs from `whole` at its points (bitwise),
    or that it lacks."""
    nx, ny, _ = whole.GetDimensions()
    e = piece.GetExtent()
    differ = []
    for name in array_names(whole):
        a, w = piece.GetPointData().GetArray(name), whole.GetPointData().GetArray(name)
        if a is None or a.GetNumberOfComponents() != w.GetNumberOfComponents():
            differ.append(name)
            continue
        i = 0
        ok = True
        for z in range(e[4], e[5] + 1):
            for y in range(e[2], e[3] + 1):
                for x in range(e[0], e[1] + 1):
                    p = x + nx * (y + ny * z)
                    ok = ok and all(t.same_float(a.GetComponent(i, c), w.GetComponent(p, c))
                                    for c in range(a.GetNumberOfComponents()))
                    i += 1
        if not ok:
            differ.append(name)
    return differ


def count(extent):
    return (extent[1] - extent[0] + 1) * (extent[3] - extent[2] + 1) * (extent[5] - extent[4] + 1)


def check_pieces(ns, settings, label, whole_extent, extents):
    whole_proxy = landscape(ns, settings)
    whole = t.output(whole_proxy)
    t.check(whole.GetExtent() == whole_extent, label + "the whole %s" % (whole.GetExtent(),))
    names = array_names(whole)
    t.check(all(n in names for n in ("pixel", "logps", "steps", "mean_v")), label + "arrays %s" % names)
    # Each sub-extent alone, on a landscape of its own (nothing in memory).
    for extent in extents:
        proxy = landscape(ns, settings)
        algorithm = proxy.GetClientSideObject()
        algorithm.UpdateExtent(list(extent))
        piece = algorithm.GetOutputDataObject(0)
        t.check(piece.GetExtent() == extent, label + "the sub-extent %s (%s)" % (extent, piece.GetExtent()))
        t.check(array_names(piece) == names, label + "%s: the same arrays" % (extent,))
        differ = equals_whole(piece, whole)
        t.check(not differ, label + "%s equals the whole at its points, bitwise (differ: %s)" % (extent, differ))
        t.check(computed(proxy) == count(extent),
                label + "%s computed only its %d points (%d)" % (extent, count(extent), computed(proxy)))

    # Pieces, then the whole on the same landscape: it computes only the points still missing.
    proxy = landscape(ns, settings)
    algorithm = proxy.GetClientSideObject()
    algorithm.UpdateExtent(list(extents[0]))
    algorithm.UpdateExtent(list(extents[1]))
    before = computed(proxy)
    proxy.SMProxy.MarkModified(proxy.SMProxy)
    again = t.output(proxy)
    total = count(whole_extent)
    t.check(computed(proxy) == total, label + "the whole after two pieces computed the other %d points "
            "(%d in all of %d)" % (total - before, computed(proxy), total))
    t.check(not equals_whole(again, whole), label + "and equals the whole run, bitwise")

    # The pieces a pipeline splits the image into (as under MPI), in one process.
    covered = set()
    for p in range(3):
        proxy = landscape(ns, settings)
        algorithm = proxy.GetClientSideObject()
        algorithm.UpdatePiece(p, 3, 0)
        piece = algorithm.GetOutputDataObject(0)
        e = piece.GetExtent()
        covered.update((x, y, z) for x in range(e[0], e[1] + 1) for y in range(e[2], e[3] + 1)
                       for z in range(e[4], e[5] + 1))
        t.check(t.field(piece, "Dimensions") == t.field(whole, "Dimensions"),
                label + "piece %d of 3 compared with the whole Target, grid %s (%s)" % (
                    p, t.field(whole, "Dimensions"), t.field(piece, "Dimensions")))
        differ = equals_whole(piece, whole)
        t.check(0 < piece.GetNumberOfPoints() < total and not differ,
                label + "piece %d of 3 %s equals the whole, bitwise (differ: %s)" % (p, e, differ))
    w = whole_extent
    t.check(covered == set((x, y, z) for x in range(w[0], w[1] + 1) for y in range(w[2], w[3] + 1)
                           for z in range(w[4], w[5] + 1)), label + "the 3 pieces cover the image")
    return whole


def main():
    args = t.parse_args()
    ns = globals()
    t.load_plugin(args.plugin, ns)

    target = t.new_pattern(ns, Dimensions=[24, 24, 1], NumberOfSteps=300, SeedPatchSize=8)
    observed = dict(OBSERVED, Target=target)
    volume = check_pieces(ns, observed, "observed target, (F, k, K): ", (0, 2, 0, 2, 0, 3),
                          [(1, 2, 0, 1, 1, 3), (0, 2, 0, 2, 2, 2), (2, 2, 2, 2, 3, 3), (0, 0, 1, 2, 0, 0)])
    # The gradient is over the swept parameters only: the horizon axis is not one.
    gradient = volume.GetPointData().GetArray("gradient")
    names = [gradient.GetComponentName(c) for c in range(gradient.GetNumberOfComponents())]
    t.check(names == ["F", "k"], "a horizon axis: the gradient's components are F, k (%s)" % names)
    steps = t.values(volume, "steps")
    t.check([steps[9 * z] for z in range(4)] == [1, 4, 14, 50], "steps = K per slice %s" % steps[::9])

    image = check_pieces(ns, SIMULATED, "simulated targets, (F, K): ", (0, 3, 0, 2, 0, 0),
                         [(1, 3, 1, 2, 0, 0), (0, 3, 2, 2, 0, 0), (2, 2, 0, 0, 0, 0)])
    t.check(t.field(image, "Target") == "simulated at TrueParameters", "the targets were simulated")

    fixed = check_pieces(ns, FIXED, "fixed Horizon = 20: ", (0, 3, 0, 2, 0, 0),
                         [(0, 1, 0, 2, 0, 0), (2, 3, 1, 1, 0, 0)])
    t.check(t.field(fixed, "Horizon") == 20 and set(t.values(fixed, "steps")) == {20},
            "the fixed horizon's steps are K = 20")


if __name__ == "__main__":
    t.run(main)
