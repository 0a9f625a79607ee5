"""The paper's landscape picture on a reduced but faithful setting (64 x 64 cells, 10,000
steps, two initial conditions, 9 x 9 points over the paper's kind of (F, k) window): the loss
is 0 at the truth, every dead candidate sits on one plateau value, and the largest jumps
between neighbouring points are where the pattern class changes (cliffs on bifurcations)."""

import gs_testing as t
from paraview.simple import SetActiveSource

N = 9


def axis(lo, hi, i):
    return lo + (hi - lo) * i / (N - 1)  # the filter's formula, same order of operations


def main():
    args = t.parse_args()
    ns = globals()
    t.load_plugin(args.plugin, ns)
    F_truth, k_truth = axis(0.03, 0.07, 1), axis(0.05, 0.07, 6)  # 0.035, 0.065 to round-off
    SetActiveSource(None)
    land = ns["GrayScottLossLandscape"](
        Target=None, Dimensions=[64, 64, 1], NumberOfSteps=10000, NumberOfInitialConditions=2,
        XParameter="F", XRange=[0.03, 0.07], XResolution=N, YParameter="k", YRange=[0.05, 0.07],
        YResolution=N, ZParameter="None", TrueParameters=[0.16, 0.08, F_truth, k_truth])
    data = t.output(land)
    t.check(data.GetNumberOfPoints() == N * N, "a %d x %d landscape" % (N, N))
    logps = t.values(data, "logps")
    classes = t.values(data, "pattern_class")
    truth = 1 + N * 6
    for name in ("pixel", "logps", "logps_windowed", "logps_radial", "gram"):
        t.check(t.values(data, name)[truth] == 0.0, "%s is 0 at the truth" % name)
    t.check(classes[truth] in (2, 5), "the truth makes spots (class %d)" % classes[truth])

    dead = [logps[p] for p in range(N * N) if classes[p] == 0]
    t.check(len(dead) >= 5, "%d dead candidates" % len(dead))
    t.check(all(t.same_float(x, dead[0]) for x in dead),
            "every dead candidate has the same logps, bitwise: a plateau at %r" % (dead[0] if dead else None))
    others = [logps[p] for p in range(N * N) if classes[p] not in (0, 1)]
    t.check(others and max(others) < dead[0], "patterned candidates sit below the plateau (max %r)" % (
        max(others) if others else None))

    jumps = []
    for j in range(N):
        for i in range(N):
            for (a, b) in ((i + 1, j), (i, j + 1)):
                if a < N and b < N:
                    p, q = i + N * j, a + N * b
                    jumps.append((abs(logps[p] - logps[q]), classes[p] != classes[q]))
    jumps.sort(reverse=True)
    largest = jumps[0][0]
    same_class = max(d for d, changed in jumps if not changed)
    print("largest jump %.3f; largest jump within one class %.3f" % (largest, same_class))
    t.check(all(changed for d, changed in jumps[:10]), "the 10 largest jumps cross a class change")
    t.check(same_class < 0.5 * largest,
            "every jump within one class (at most %.3f) is under half the largest (%.3f)" % (
                same_class, largest))


t.run(main)
