"""Gray-Scott Pattern: output layout, field data, values, determinism, progress, pieces and
the paper's defaults."""

import time

import gs_testing as t


def check_layout(data, dims, label):
    t.check(data is not None and data.IsA("vtkImageData"), label + ": output is vtkImageData")
    t.check(tuple(data.GetDimensions()) == tuple(dims),
            label + ": dimensions %s == %s" % (data.GetDimensions(), dims))
    t.check(tuple(data.GetOrigin()) == (0.0, 0.0, 0.0), label + ": origin 0")
    t.check(tuple(data.GetExtent()) == (0, dims[0] - 1, 0, dims[1] - 1, 0, dims[2] - 1),
            label + ": extent 0..n-1")
    pd = data.GetPointData()
    for name in ("u", "v"):
        array = pd.GetArray(name)
        t.check(array is not None and array.GetDataTypeAsString() == "double"
                and array.GetNumberOfComponents() == 1,
                label + ": point array %s is one-component double" % name)
    t.check(pd.GetScalars() is not None and pd.GetScalars().GetName() == "v",
            label + ": v is the active scalars")


def check_values(data, label):
    u, v = t.values(data, "u"), t.values(data, "v")
    t.check(t.is_finite_list(u) and min(u) >= 0.0 and max(u) <= 1.5,
            label + ": u in [0, 1.5] (%g, %g)" % (min(u), max(u)))
    t.check(t.is_finite_list(v) and min(v) >= 0.0 and max(v) <= 1.0,
            label + ": v in [0, 1] (%g, %g)" % (min(v), max(v)))
    return u, v


def main():
    args = t.parse_args()
    ns = globals()
    t.load_plugin(args.plugin, ns)

    # A small run of exactly 2000 steps.
    small = t.new_pattern(ns, Dimensions=[64, 64, 1], NumberOfSteps=2000, SteadyStateTolerance=0.0,
                          Spacing=[1.0, 1.0, 1.0])
    messages = t.Messages(small)
    small.UpdatePipeline()
    data = t.fetch(small)
    check_layout(data, (64, 64, 1), "fetched 64x64")
    t.check(tuple(data.GetSpacing()) == (1.0, 1.0, 1.0), "spacing 1")
    u, v = check_values(data, "64x64, 2000 steps")
    t.check(max(v) > 0.1, "the seed patch grew a pattern (max v %g > 0.1)" % max(v))
    t.check(t.field(data, "StepsTaken") == 2000, "StepsTaken == 2000 (%s)" % t.field(data, "StepsTaken"))
    t.check(t.field(data, "Converged") == 0, "Converged == 0 without a tolerance")
    t.check(t.field(data, "BlowUp") == 0, "BlowUp == 0")
    t.check(t.field(data, "Status") == "finished", "Status == finished (%s)" % t.field(data, "Status"))
    t.check(t.field(data, "Parameters") == [0.16, 0.08, 0.035, 0.065],
            "Parameters == paper truth (%s)" % t.field(data, "Parameters"))
    names = data.GetFieldData().GetArray("Parameters")
    t.check([names.GetComponentName(i) for i in range(4)] == ["Du", "Dv", "F", "k"],
            "Parameters components are named Du, Dv, F, k")
    t.check(t.steps_computed(small) == 2000, "NumberOfStepsComputed == 2000")
    t.check(not messages.errors and not messages.warnings, "no errors or warnings on a good run")

    # Same properties, same bits; another seed, another pattern; spacing is the output's.
    twin = t.new_pattern(ns, Dimensions=[64, 64, 1], NumberOfSteps=2000, SteadyStateTolerance=0.0)
    twin_data = t.output(twin)
    t.check(t.same_bits(data, twin_data, "u") and t.same_bits(data, twin_data, "v"),
            "two sources with the same properties give bitwise the same fields")
    twin.Seed = 7
    other = t.output(twin)
    t.check(not t.same_bits(data, other, "v"), "another seed gives another pattern")
    twin.Seed = 0
    twin.Spacing = [1.5, 1.5, 1.0]
    spaced = t.output(twin)
    t.check(tuple(spaced.GetSpacing()) == (1.5, 1.5, 1.0), "output spacing follows Spacing")
    t.check(not t.same_bits(data, spaced, "v"), "Spacing changes the dynamics")
    twin.Spacing = [1.0, 1.0, 1.0]
    twin.NumberOfSteps = 0
    initial = t.output(twin)
    t.check(t.field(initial, "StepsTaken") == 0, "NumberOfSteps = 0 outputs the initial state")
    iv = t.values(initial, "v")
    t.check(abs(iv[32 + 64 * 32] - 0.25) < 1e-12 and abs(t.values(initial, "u")[32 + 64 * 32] - 0.5) < 1e-12,
            "the initial state has the seed patch (u, v) = (0.5, 0.25) at the centre")

    # 3D: a 7-point grid with nz > 1.
    cube = t.new_pattern(ns, Dimensions=[16, 12, 10], NumberOfSteps=200, SteadyStateTolerance=0.0,
                         Du=0.08, Dv=0.04, SeedPatchSize=6)
    cube_data = t.output(cube)
    check_layout(cube_data, (16, 12, 10), "3D 16x12x10")
    check_values(cube_data, "3D")

    # Progress: reported in [0, 1], increasing, ending at 1.
    progress = []
    algorithm = small.GetClientSideObject()
    tag = algorithm.AddObserver("ProgressEvent", lambda obj, event: progress.append(obj.GetProgress()))
    small.NumberOfSteps = 3000
    small.UpdatePipeline()
    algorithm.RemoveObserver(tag)
    t.check(len(progress) >= 3, "progress was reported (%d events)" % len(progress))
    t.check(all(0.0 <= p <= 1.0 for p in progress) and progress == sorted(progress),
            "progress values are in [0, 1] and do not go back")
    t.check(progress and progress[-1] == 1.0, "progress ends at 1")

    # Pieces (parallel): every piece is its part of the whole grid.
    whole = t.output(small)
    pieces = []
    for piece in range(3):
        algorithm.UpdatePiece(piece, 3, 0)
        out = algorithm.GetOutputDataObject(0)
        copy = out.NewInstance()
        copy.DeepCopy(out)
        pieces.append(copy)
    t.check(sum(p.GetNumberOfPoints() for p in pieces) >= whole.GetNumberOfPoints()
            and all(p.GetNumberOfPoints() < whole.GetNumberOfPoints() for p in pieces),
            "3 pieces are proper parts that cover the grid")
    wv = t.values(whole, "v")
    good = True
    for p in pieces:
        e = p.GetExtent()
        pv = t.values(p, "v")
        i = 0
        for y in range(e[2], e[3] + 1):
            for x in range(e[0], e[1] + 1):
                good = good and pv[i] == wv[x + 64 * y]
                i += 1
    t.check(good, "every piece's values equal the whole grid's at the same points")
    t.check(t.steps_computed(small) == 2000 + 3000, "pieces come from the cache (no new steps)")

    # The paper's defaults: 128x128, up to 40000 steps, tolerance 1e-4.
    paper = t.new_pattern(ns)
    for name, expected in (("Du", 0.16), ("Dv", 0.08), ("F", 0.035), ("k", 0.065),
                           ("NumberOfSteps", 40000), ("SteadyStateTolerance", 1e-4),
                           ("NoiseAmplitude", 0.02), ("SeedPatchSize", 20), ("Seed", 0),
                           ("OutputInterval", 0), ("TimeStep", 1.0)):
        t.check(paper.GetPropertyValue(name) == expected, "default %s == %s" % (name, expected))
    t.check(list(paper.Dimensions) == [128, 128, 1] and list(paper.Spacing) == [1.0, 1.0, 1.0],
            "default grid 128 x 128 x 1, spacing 1")
    start = time.time()
    paper_data = t.fetch(paper)
    elapsed = time.time() - start
    check_layout(paper_data, (128, 128, 1), "paper defaults")
    u, v = check_values(paper_data, "paper defaults")
    steps = t.field(paper_data, "StepsTaken")
    t.check(t.field(paper_data, "Converged") == 1 and 0 < steps < 40000,
            "the paper's run reaches steady state before the cap (%s steps)" % steps)
    t.check(t.field(paper_data, "Status") == "converged", "Status == converged")
    t.check(0.0 < t.field(paper_data, "LastChange") < 1e-4, "LastChange below the tolerance")
    t.check(max(v) > 0.3 and min(v) < 0.01, "spots: v spans (%g, %g)" % (min(v), max(v)))
    t.check(elapsed < 10.0, "the paper's run takes %.2f s (< 10 s)" % elapsed)


t.run(main)
