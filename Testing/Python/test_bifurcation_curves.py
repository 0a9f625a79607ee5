"""Gray-Scott Bifurcation Curves.

Without options: the curves satisfy their defining equations (checked here from the formulas,
not through Core), saddle-node and Hopf meet at F = k = 1/16, clipping to the ranges, the
swapped axes, Elevation, Du and Dv, the curve/curve_id cell data, Pearson's classes with
labels, and abort.
--xml PATH: the XML and the class agree (documented, ranged, grouped, wired to the setters).
--case NAME: one bad input: one error naming it, two empty outputs, and a good run again once
fixed. `--expect-cases "a;b;..."` checks that CMake lists every case defined here."""

import math
import re
import xml.etree.ElementTree as ET

import gs_testing as t
from paraview.simple import SetActiveSource
from vtkmodules.vtkCommonCore import vtkIdList

NAN = float("nan")
TIP = 1.0 / 16
CURVE_IDS = {"saddle-node": 0, "hopf": 1, "turing": 2}
# Pearson (1993), as ../shared/docs/science.md lists them.
PEARSON = {"alpha": (0.010, 0.047), "beta": (0.014, 0.039), "gamma": (0.022, 0.051),
           "delta": (0.030, 0.055), "epsilon": (0.018, 0.055), "zeta": (0.022, 0.061),
           "eta": (0.034, 0.063), "theta": (0.030, 0.057), "iota": (0.046, 0.0594),
           "kappa": (0.050, 0.063), "lambda": (0.026, 0.061), "mu": (0.046, 0.065)}
# Defining equations hold to this (the Core unit test's tolerance).
EQUATION_TOLERANCE = 1e-10
# The Hopf curve's end at k = 1/16 is F = hopfF(1/16), a double root of a quadratic: Core
# documents it as exact to the square root of round-off and tests it to 1e-7
# (Testing/Core/TestBifurcation.cpp). The saddle-node tip is an exact vertex.
TIP_TOLERANCE = 1e-7


def new_curves(ns, **properties):
    SetActiveSource(None)
    return ns["GrayScottBifurcationCurves"](**properties)


def outputs(proxy):
    return t.outputs(proxy)


def polylines(data):
    """[(curve, curve_id, [(x, y, z), ...]), ...], one per cell."""
    names = data.GetCellData().GetAbstractArray("curve")
    ids = data.GetCellData().GetArray("curve_id")
    result = []
    cell = vtkIdList()
    for c in range(data.GetNumberOfCells()):
        data.GetCellPoints(c, cell)
        points = [data.GetPoint(cell.GetId(i)) for i in range(cell.GetNumberOfIds())]
        result.append((names.GetValue(c) if names else None, ids.GetValue(c) if ids else None, points))
    return result


def fk(point, x_is_f=True):
    return (point[0], point[1]) if x_is_f else (point[1], point[0])


def upper_v(F, k):
    return (F + math.sqrt(max(0.0, F * F - 4 * F * (F + k) ** 2))) / (2 * (F + k))


def equation_error(name, F, k, Du, Dv):
    """How far (F, k) is from the curve `name`; None when a side condition fails."""
    if name == "saddle-node":
        return abs(F - 4 * (F + k) ** 2)
    if name == "hopf":
        return abs((F + k) ** 2 - F * math.sqrt(k)) if F <= k else None
    if name == "turing":
        v = upper_v(F, k)
        h = Du * (F + k) - Dv * (v * v + F)
        det = (F + k) * (v * v - F)
        if not h > 0:
            return None
        return max(abs(h * h - 4 * Du * Dv * det), abs(h - 2 * math.sqrt(Du * Dv * max(det, 0.0))))
    return None


def check_curves(data, label, franges, kranges, Du=0.16, Dv=0.08, elevation=0.0, x_is_f=True):
    """Every point on its curve, inside the ranges, at the elevation; curve/curve_id agree."""
    lines = polylines(data)
    t.check(data.GetNumberOfCells() == data.GetNumberOfLines() and lines,
            label + "only polylines (%d)" % data.GetNumberOfLines())
    t.check(data.GetPoints() is not None and data.GetPoints().GetDataType() == 11,
            label + "double precision points")
    worst = {}
    bad_side = []
    outside = 0
    for name, cid, points in lines:
        if CURVE_IDS.get(name) != cid:
            t.fail(label + "curve %r has curve_id %r" % (name, cid))
        t.check(len(points) >= 2, label + "%s piece has %d points" % (name, len(points)))
        for p in points:
            F, k = fk(p, x_is_f)
            if not (franges[0] <= F <= franges[1] and kranges[0] <= k <= kranges[1]) or p[2] != elevation:
                outside += 1
            e = equation_error(name, F, k, Du, Dv)
            if e is None:
                bad_side.append((name, F, k))
            else:
                worst[name] = max(worst.get(name, 0.0), e)
    t.check(outside == 0, label + "every point inside the ranges at z = %g (%d not)" % (elevation, outside))
    t.check(not bad_side, label + "side conditions hold (F <= k on hopf, h > 0 on turing): %s" % bad_side[:3])
    for name, e in sorted(worst.items()):
        t.check(e <= EQUATION_TOLERANCE, label + "%s satisfies its equation (worst %.2g)" % (name, e))
    return lines


def main_checks(ns):
    # Defaults: the whole picture.
    src = new_curves(ns)
    messages = t.Messages(src)
    curves, classes = outputs(src)
    t.check(not messages.errors and not messages.warnings, "defaults: no errors or warnings")
    lines = check_curves(curves, "defaults: ", (0.0, 0.1), (0.0, 0.08))
    names = [name for name, _, _ in lines]
    t.check(sorted(names) == ["hopf", "saddle-node", "turing"], "one piece of each curve: %s" % names)
    sizes = [len(p) for _, _, p in lines]
    t.check(all(n >= 399 for n in sizes), "about 400 points each: %s" % sizes)
    cell_scalars = curves.GetCellData().GetScalars()
    t.check(cell_scalars is not None and cell_scalars.GetName() == "curve_id",
            "curve_id is the active cell scalars (ParaView colours by it)")
    t.check(curves.GetCellData().GetAbstractArray("curve").IsA("vtkStringArray"), "curve is a string array")

    # Saddle-node and Hopf meet at F = k = 1/16: the tip is a vertex of the saddle-node
    # curve (its highest; the curve goes on beyond it) and the Hopf curve's end point.
    def tip_distance(p):
        return max(abs(p[0] - TIP), abs(p[1] - TIP))
    sn = [p for name, _, p in lines if name == "saddle-node"][0]
    hopf = [p for name, _, p in lines if name == "hopf"][0]
    t.check(any(tip_distance(p) == 0.0 for p in sn[1:-1]),
            "the tip (1/16, 1/16) is a vertex of the saddle-node curve")
    t.check(max(p[1] for p in sn) == TIP, "and its highest point")
    end = min(tip_distance(hopf[0]), tip_distance(hopf[-1]))
    t.check(end <= TIP_TOLERANCE, "the Hopf curve ends at the tip (%.2g)" % end)
    for samples in (2, 7):
        other = polylines(outputs(new_curves(ns, Samples=samples))[0])
        sn = [p for name, _, p in other if name == "saddle-node"][0]
        hopf = [p for name, _, p in other if name == "hopf"][0]
        t.check(len(sn) <= samples + 1 and len(hopf) <= samples,
                "Samples = %d: at most %d points per curve" % (samples, samples + 1))
        t.check(any(tip_distance(p) == 0.0 for p in sn) and tip_distance(hopf[-1]) <= TIP_TOLERANCE,
                "Samples = %d: the curves still meet at the tip" % samples)
    # With the F range ending at the tip, both curves end there.
    ending = polylines(outputs(new_curves(ns, FRange=[0.0, TIP]))[0])
    for name in ("saddle-node", "hopf"):
        pieces = [p for n, _, p in ending if n == name]
        ends = [tip_distance(q) for p in pieces for q in (p[0], p[-1])]
        t.check(pieces and min(ends) <= TIP_TOLERANCE,
                "FRange 0 - 1/16: the %s curve has an end point at the tip (%s)" % (name, ends and min(ends)))

    # Pearson's classes: all twelve inside the default ranges, with labels, one vertex each.
    labels = classes.GetPointData().GetAbstractArray("label")
    t.check(labels is not None and labels.IsA("vtkStringArray"), "Pearson classes have a string array label")
    found = {}
    for i in range(classes.GetNumberOfPoints() if labels else 0):
        found[labels.GetValue(i)] = classes.GetPoint(i)
    t.check(set(found) == set(PEARSON), "all of Pearson's classes: %s" % sorted(found))
    t.check(all(found[n] == (F, k, 0.0) for n, (F, k) in PEARSON.items() if n in found),
            "each at its published (F, k)")
    t.check(classes.GetNumberOfVerts() == len(PEARSON) == classes.GetNumberOfCells(), "one vertex per class")

    # XParameter = k swaps x and y exactly, in both outputs.
    swapped = new_curves(ns, XParameter="k")
    s_curves, s_classes = outputs(swapped)
    for a, b, what in ((curves, s_curves, "curves"), (classes, s_classes, "classes")):
        n = a.GetNumberOfPoints()
        same = n == b.GetNumberOfPoints() and all(
            b.GetPoint(i) == (a.GetPoint(i)[1], a.GetPoint(i)[0], a.GetPoint(i)[2]) for i in range(n))
        t.check(same, "XParameter k: the %s' x and y are exactly swapped" % what)
    t.check([(n, c, len(p)) for n, c, p in polylines(s_curves)] == [(n, c, len(p)) for n, c, p in lines],
            "XParameter k: the same polylines and cell data")
    check_curves(s_curves, "XParameter k: ", (0.0, 0.1), (0.0, 0.08), x_is_f=False)

    # Elevation sets z and nothing else.
    lifted = new_curves(ns, Elevation=0.25)
    l_curves, l_classes = outputs(lifted)
    for a, b, what in ((curves, l_curves, "curves"), (classes, l_classes, "classes")):
        n = a.GetNumberOfPoints()
        same = n == b.GetNumberOfPoints() and all(
            b.GetPoint(i) == (a.GetPoint(i)[0], a.GetPoint(i)[1], 0.25) for i in range(n))
        t.check(same, "Elevation 0.25: the %s are at z = 0.25, x and y unchanged" % what)

    # Clipping: the paper's landscape, and a k range the saddle-node curve leaves and re-enters.
    paper = new_curves(ns, FRange=[0.03, 0.07], KRange=[0.053, 0.068])
    p_curves, p_classes = outputs(paper)
    check_curves(p_curves, "paper's landscape: ", (0.03, 0.07), (0.053, 0.068))
    inside = {n for n, (F, k) in PEARSON.items() if 0.03 <= F <= 0.07 and 0.053 <= k <= 0.068}
    p_labels = p_classes.GetPointData().GetAbstractArray("label")
    got = {p_labels.GetValue(i) for i in range(p_classes.GetNumberOfPoints())}
    t.check(got == inside, "paper's landscape: the classes inside it only (%s)" % sorted(got))
    reentering = polylines(outputs(new_curves(ns, KRange=[0.0, 0.06]))[0])
    check_curves(outputs(new_curves(ns, KRange=[0.0, 0.06]))[0], "k <= 0.06: ", (0.0, 0.1), (0.0, 0.06))
    t.check(sum(1 for n, _, _ in reentering if n == "saddle-node") == 2,
            "k <= 0.06: the saddle-node curve leaves and re-enters the box: two polylines")

    # Du and Dv move the Turing curve only.
    diffusion = new_curves(ns, Du=0.2, Dv=0.05)
    d_curves, _ = outputs(diffusion)
    d_lines = check_curves(d_curves, "Du 0.2, Dv 0.05: ", (0.0, 0.1), (0.0, 0.08), Du=0.2, Dv=0.05)
    by_name = {n: p for n, _, p in lines}
    d_by_name = {n: p for n, _, p in d_lines}
    t.check(all(d_by_name.get(n) == by_name[n] for n in ("saddle-node", "hopf")),
            "Du 0.2, Dv 0.05: saddle-node and Hopf unchanged")
    t.check("turing" in d_by_name and d_by_name["turing"] != by_name["turing"],
            "Du 0.2, Dv 0.05: Turing moved")

    # Abort: empty outputs and a warning; the next update is complete.
    slow = new_curves(ns, Samples=40000)
    messages = t.Messages(slow)
    with t.aborting_at(slow, 0.3) as algorithm:
        a_curves, a_classes = outputs(slow)
    t.check(a_curves.GetNumberOfPoints() == 0 and a_classes.GetNumberOfPoints() == 0,
            "aborted: both outputs empty")
    t.check(any("Aborted" in w for w in messages.warnings) and not messages.errors,
            "aborted: a warning and no error (%s)" % messages.warnings)
    algorithm.SetAbortExecute(0)
    slow.SMProxy.MarkModified(slow.SMProxy)
    messages.clear()
    a_curves, a_classes = outputs(slow)
    t.check(a_curves.GetNumberOfPoints() > 3 * 39000 and a_classes.GetNumberOfPoints() == 12
            and not messages.warnings,
            "the next update is complete (%d points)" % a_curves.GetNumberOfPoints())


# Python name (from the label) -> XML name: the public API.
PUBLIC = {"FRange": "FRange", "KRange": "KRange", "Du": "Du", "Dv": "Dv", "Samples": "Samples",
          "XParameter": "XParameter", "Elevation": "Elevation"}
ADVANCED = {"Samples", "Elevation"}
PROBE = {"FRange": [0.0125, 0.0875], "KRange": [0.025, 0.0725], "Du": 0.125, "Dv": 0.0625,
         "Samples": 123, "Elevation": 0.5}
# (property, value, error expected): the XML minimums are the class's.
LIMITS = [("FRange", [-1e-3, 0.1], True), ("FRange", [0.0, 0.1], False),
          ("KRange", [-1e-3, 0.08], True), ("KRange", [0.0, 0.08], False),
          ("Du", -1e-3, True), ("Du", 0.0, False), ("Dv", -1e-3, True), ("Dv", 0.0, False),
          ("Samples", 1, True), ("Samples", 2, False)]


def xml_checks(ns, path):
    root = ET.parse(path).getroot()
    proxy_xml = root.find("ProxyGroup[@name='sources']/SourceProxy[@name='GrayScottBifurcationCurves']")
    t.check(proxy_xml is not None, "GrayScottBifurcationCurves is in the sources group of %s" % path)
    if proxy_xml is None:
        return
    t.check(proxy_xml.get("label") == "Gray-Scott Bifurcation Curves", "label Gray-Scott Bifurcation Curves")
    t.check(proxy_xml.get("class") == "vtkGrayScottBifurcationCurves", "class vtkGrayScottBifurcationCurves")
    # Menu, documentation (ports included), groups and domains: test_xml_docs.py, for every proxy.
    ports = proxy_xml.findall("OutputPort")
    t.check([p.get("index") for p in ports] == ["0", "1"], "two output ports declared")

    kinds = ("DoubleVectorProperty", "IntVectorProperty", "IdTypeVectorProperty", "StringVectorProperty")
    properties = [p for p in proxy_xml if p.tag in kinds]
    found = {}
    for p in properties:
        name = p.get("name")
        found[re.sub(r"\W", "", p.get("label") or name)] = name
        advanced = p.get("panel_visibility") == "advanced"
        t.check(advanced == (name in ADVANCED),
                "%s is %s" % (name, "advanced" if name in ADVANCED else "shown"))
    t.check(found == PUBLIC, "the Python names are the public API (%s)" % sorted(found))

    src = new_curves(ns, XParameter="k", **PROBE)
    t.check(src.SMProxy.GetNumberOfOutputPorts() == 2, "the proxy has two output ports")
    t.check("label" in (src.SMProxy.GetOutputPortDocumentation(1).GetDescription() or ""),
            "ParaView sees the documentation of port 1")
    src.UpdatePipeline()
    printed = str(src.GetClientSideObject())
    for line in ("FRange: (0.0125, 0.0875)", "KRange: (0.025, 0.0725)", "Du: 0.125", "Dv: 0.0625",
                 "Samples: 123", "XParameter: 1 (k)", "Elevation: 0.5"):
        t.check(line in printed, "PrintSelf shows '%s'" % line)

    checker = new_curves(ns, Samples=20)
    messages = t.Messages(checker)
    for name, value, expect_error in LIMITS:
        old = checker.GetPropertyValue(name)
        old = list(old) if hasattr(old, "__len__") else old
        checker.SetPropertyWithName(name, value)
        messages.clear()
        curves, _ = outputs(checker)
        got_error = bool(messages.errors) and curves.GetNumberOfPoints() == 0
        t.check(got_error == expect_error,
                "%s = %s: %s" % (name, value, "error" if expect_error else "accepted"))
        checker.SetPropertyWithName(name, old)


# name: (properties to set; pattern the error must match)
CASES = {
    "frange_nan": ({"FRange": [NAN, 0.1]}, r"FRange must be two finite numbers, min max \(got nan 0\.1\)"),
    "frange_infinite": ({"FRange": [0.0, math.inf]}, r"FRange must be two finite numbers.*\(got 0 inf\)"),
    "krange_nan": ({"KRange": [0.0, NAN]}, r"KRange must be two finite numbers.*\(got 0 nan\)"),
    "krange_infinite": ({"KRange": [-math.inf, 0.08]},
                        r"KRange must be two finite numbers.*\(got -inf 0\.08\)"),
    "frange_inverted": ({"FRange": [0.1, 0.0]},
                        r"FRange is inverted: min must be less than max \(got 0\.1 0\)"),
    "krange_inverted": ({"KRange": [0.08, 0.05]},
                        r"KRange is inverted: min must be less than max \(got 0\.08 0\.05\)"),
    "frange_empty": ({"FRange": [0.05, 0.05]},
                     r"FRange is empty: min must be less than max \(got 0\.05 0\.05\)"),
    "krange_empty": ({"KRange": [0.06, 0.06]},
                     r"KRange is empty: min must be less than max \(got 0\.06 0\.06\)"),
    "frange_negative": ({"FRange": [-0.01, 0.1]}, r"FRange must not go below 0: F is a non-negative rate"),
    "krange_negative": ({"KRange": [-0.02, 0.08]}, r"KRange must not go below 0: k is a non-negative rate"),
    "du_nan": ({"Du": NAN}, r"Du must be finite and non-negative \(got nan\)"),
    "du_negative": ({"Du": -0.16}, r"Du must be finite and non-negative \(got -0\.16\)"),
    "dv_negative": ({"Dv": -0.08}, r"Dv must be finite and non-negative \(got -0\.08\)"),
    "dv_infinite": ({"Dv": math.inf}, r"Dv must be finite and non-negative \(got inf\)"),
    "samples_one": ({"Samples": 1}, r"Samples must be at least 2 points per curve \(got 1\)"),
    "samples_zero": ({"Samples": 0}, r"Samples must be at least 2 points per curve \(got 0\)"),
    "samples_negative": ({"Samples": -5}, r"Samples must be at least 2 points per curve \(got -5\)"),
    "samples_too_large": ({"Samples": 2147483647},
                          r"Not enough memory for the curves at Samples = 2147483647 points each.*"
                          r"needs about .* MiB"),
    "elevation_nan": ({"Elevation": NAN}, r"Elevation must be finite \(got nan\)"),
    "elevation_infinite": ({"Elevation": -math.inf}, r"Elevation must be finite \(got -inf\)"),
    "x_parameter_unknown": ({"XParameter": 2}, r"XParameter must be 0 \(F\) or 1 \(k\), got 2"),
}


def same_points(before, after):
    return all(a.GetNumberOfPoints() == b.GetNumberOfPoints() and
               all(a.GetPoint(i) == b.GetPoint(i) for i in range(a.GetNumberOfPoints()))
               for a, b in zip(before, after))


def bad_input_case(ns, case):
    bad, expected = CASES[case]
    t.check_bad_input(new_curves(ns, Samples=100), bad, expected, same_points)


def checks(ns, args):
    if "GrayScottBifurcationCurves" not in ns:
        t.fail("the plugin defines GrayScottBifurcationCurves()")
    elif args.xml:
        xml_checks(ns, args.xml)
    else:
        main_checks(ns)


t.run(lambda: t.main_with_cases(CASES, globals(), checks, bad_input_case,
                                extra=lambda parser: parser.add_argument("--xml")))
