"""The main job: the whole story of the Gray-Scott ParaView plugin, with pvbatch.

    pvbatch Scripts/main_job.py --plugin <path/to/GrayScott.so> [--output <folder>] [--quick]

1. The paper's target: the Gray-Scott Pattern source at its defaults (Du, Dv, F, k = 0.16,
   0.08, 0.035, 0.065 on 128 x 128, up to 40,000 steps, steady at 1e-4).
2. The paper's (F, k) loss landscape (its protocol at 64 x 64, 10,000 steps, two initial
   conditions, 25 x 25 points; logps and the residual) with the bifurcation curves, and
   gradient descent as the paper runs it (30 iterations, batch 2): it fails.
3. The residual fit of the one frame with u and v (with 95% intervals), the hybrid's descent
   from it, the fit of v alone (u latent), and the fits of ten frames another solver made
   (the Pattern source's Scheme Spectral) with the stencil's and the spectral derivatives.
4. The horizon family: the pixel loss after K = 1, 10, 100, 1,000 steps from the observed state
   (the target run on until steady to 1e-8 a step), and the shooting inversion by continuation
   from K = 1 to 1,000 on the paper's target and on the steady one.
5. A summary table (method, what it observed, estimate, largest relative error, 95% interval,
   time) and, in the output folder (default ./output): gray_scott_target.vti/.png,
   steady_target.vti, landscape.vti, horizon_landscape.vti, curves.vtp; per method
   <method>_history.csv, <method>_trajectory.vtp, <method>_pattern.vti; landscapes.png (heat
   maps of logps and the residual with the curves, the truth and the descent), horizon.png
   (the horizon family with the shooting path) and patterns.png (the target and each
   method's pattern with its error).
--quick shrinks the landscapes, the descent and the horizons, to check the job. Exits non-zero
on failure.
"""

import argparse
import os
import sys
import time
from collections import deque

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gs_scripts import ensure_display, open_view, save_data  # noqa: E402
import gs_figures as gf  # noqa: E402
import landscape_picture as lp  # noqa: E402

from paraview.simple import (ColorBy, Delete, ExtractSubset, LoadPlugin, OutputPort,  # noqa: E402
                             PassArrays, SaveScreenshot, SetActiveSource, Show)
from paraview import servermanager  # noqa: E402

TRUTH = (0.16, 0.08, 0.035, 0.065)
PARAMETERS = ("Du", "Dv", "F", "k")
PATH_COLOUR = (1.0, 0.2, 1.0)
LABELS = {"gradient": "gradient descent", "residual_fit": "residual fit, u and v",
          "hybrid": "hybrid", "v_only": "residual fit, v alone",
          "other_solver_stencil": "another solver, Stencil",
          "other_solver_spectral": "another solver, Spectral",
          "shooting_paper": "shooting, paper's target", "shooting_steady": "shooting, steady"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", required=True, help="path to the built GrayScott plugin")
    parser.add_argument("--output", default="output", help="output folder (default ./output)")
    parser.add_argument("--quick", action="store_true",
                        help="small landscapes, descent and horizons")
    return parser.parse_args()


def count_spots(data, threshold=0.2):
    """Regions of v > threshold, face-connected across the periodic boundaries (2D slices
    are stacked in 3D). Only for the summary: a plain flood fill on a small grid."""
    nx, ny, nz = data.GetDimensions()
    v = data.GetPointData().GetArray("v")
    above = [v.GetValue(i) > threshold for i in range(v.GetNumberOfTuples())]
    seen = [False] * len(above)
    regions = 0
    for start in range(len(above)):
        if not above[start] or seen[start]:
            continue
        regions += 1
        seen[start] = True
        queue = deque([start])
        while queue:
            i = queue.popleft()
            x, y, z = i % nx, (i // nx) % ny, i // (nx * ny)
            neighbours = [((x + 1) % nx, y, z), ((x - 1) % nx, y, z),
                          (x, (y + 1) % ny, z), (x, (y - 1) % ny, z)]
            if nz > 1:
                neighbours += [(x, y, (z + 1) % nz), (x, y, (z - 1) % nz)]
            for (a, b, c) in neighbours:
                j = a + nx * (b + ny * c)
                if above[j] and not seen[j]:
                    seen[j] = True
                    queue.append(j)
    return regions


def field_value(data, name):
    array = data.GetFieldData().GetAbstractArray(name)
    return array.GetVariantValue(0).ToString() if array else None


def show_pattern(view, source, data):
    """v of an image in `view`, from straight above, the grid filling the view."""
    display = Show(source, view)
    display.Representation = "Slice"
    ColorBy(display, ("POINTS", "v"))
    gf.colour_bar(view, "v", "v", (0.0, 0.5))
    display.SetScalarBarVisibility(view, False)
    x0, x1, y0, y1, _, _ = data.GetBounds()
    gf.place_camera(view, (x0, x1), (y0, y1), (0.0, 0.0, 0.0, 0.0))


def relative_error(estimate):
    return max(abs(e - t) / t for e, t in zip(estimate, TRUTH))


def timed_filter(ns, proxy_name, data, **properties):
    """A new filter of the plugin on `data`, updated: (the filter, its table, seconds)."""
    SetActiveSource(None)
    proxy = ns[proxy_name](Input=data, **properties)
    began = time.time()
    proxy.UpdatePipeline()
    elapsed = time.time() - began
    return proxy, servermanager.Fetch(proxy), elapsed


def invert(ns, out, name, data, **properties):
    """One Gray-Scott Inversion of `data`, its history, trajectory and pattern saved as
    <name>_*; returns a row of the summary."""
    inversion, table, elapsed = timed_filter(ns, "GrayScottInversion", data, **properties)
    last = table.GetNumberOfRows() - 1
    estimate = [table.GetValueByName(last, p).ToDouble() for p in PARAMETERS]
    save_data(os.path.join(out, name + "_history.csv"), OutputPort(inversion, 0))
    save_data(os.path.join(out, name + "_trajectory.vtp"), OutputPort(inversion, 1))
    save_data(os.path.join(out, name + "_pattern.vti"), OutputPort(inversion, 2))
    return dict(name=name, inversion=inversion, estimate=estimate, time=elapsed,
                rows=table.GetNumberOfRows(), interval=None)


def fit_interval(ns, data, **properties):
    """The Residual Fit filter on `data`: (estimate, 95% half-widths 1.96 standard_error, time,
    the filter)."""
    fit, table, elapsed = timed_filter(ns, "GrayScottResidualFit", data, **properties)
    rows = {table.GetValueByName(r, "parameter").ToString(): r for r in range(table.GetNumberOfRows())}
    estimate = [table.GetValueByName(rows[p], "estimate").ToDouble() for p in PARAMETERS]
    half = [1.96 * table.GetValueByName(rows[p], "standard_error").ToDouble() for p in PARAMETERS]
    return estimate, half, elapsed, fit


def fit_row(ns, out, name, data, **properties):
    """A row of the summary from the Residual Fit filter alone (no simulation, no pattern):
    its table saved as <name>_fit.csv."""
    estimate, half, elapsed, fit = fit_interval(ns, data, **properties)
    save_data(os.path.join(out, name + "_fit.csv"), fit)
    return dict(name=name, inversion=None, estimate=estimate, time=elapsed, rows=1,
                interval=half)


def interval_text(row):
    """The 95% intervals as half-widths in the order Du, Dv, F, k, and whether they hold the
    truth; "-" for a method that gives none."""
    if row["interval"] is None:
        return "-"
    half = row["interval"]
    if any(h != h for h in half):  # NaN: the fit claims no interval
        return "none claimed"
    missed = [p for p, e, h, t in zip(PARAMETERS, row["estimate"], half, TRUTH) if abs(e - t) > h]
    return "+- %s (%s)" % (", ".join("%.1e" % h for h in half),
                           "holds the truth" if not missed else "misses " + ", ".join(missed))


def horizon_summary(data, horizons):
    """Per horizon K: the loss's range, the grid minimum, and the share of neighbours along F
    whose loss differs by less than 1e-3 of the slice's range (flat: no slope to follow)."""
    nx, ny, nz = data.GetDimensions()
    x0, y0, _ = data.GetOrigin()
    dx, dy, _ = data.GetSpacing()
    loss = data.GetPointData().GetArray("pixel")
    lines = []
    for z, K in zip(range(nz), horizons):
        values = [loss.GetValue(i + nx * (j + ny * z)) for j in range(ny) for i in range(nx)]
        lo, hi = min(values), max(values)
        best = values.index(lo)
        flat = sum(abs(values[j * nx + i + 1] - values[j * nx + i]) < 1e-3 * (hi - lo)
                   for j in range(ny) for i in range(nx - 1))
        lines.append("| %s | %.2e to %.2e | F %.4f, k %.4f | %.0f%% |" % (
            "{:,}".format(K), lo, hi, x0 + dx * (best % nx), y0 + dy * (best // nx),
            100.0 * flat / (ny * (nx - 1))))
    return lines


def story(ns, args, target):
    """The paper's landscape and descent; the residual fit with u and v, with v alone; the
    horizon family; the summary table and the pictures."""
    out = args.output
    window = (lp.F_RANGE, lp.K_RANGE)
    rows = []

    # The paper's landscape, and its descent, which fails.
    land, data = lp.make_landscape(ns, args.quick, losses=("logps", "residual"))
    save_data(os.path.join(out, "landscape.vti"), land)
    SetActiveSource(None)
    curves = ns["GrayScottBifurcationCurves"](FRange=list(lp.F_RANGE), KRange=list(lp.K_RANGE))
    save_data(os.path.join(out, "curves.vtp"), OutputPort(curves, 0))
    target.UpdatePipeline()  # UArray's default (u, or None for v alone) comes from its arrays
    rows.append(invert(ns, out, "gradient", target, Method="Gradient",
                       Iterations=3 if args.quick else 30, BatchSize=2, Seed=1))
    rows[-1]["observed"] = "v of one frame, as logps (2 runs a step)"

    # The residual fit: u and v, then the hybrid's descent from it; then v alone.
    rows.append(invert(ns, out, "residual_fit", target, Method="ResidualFit", ResidualMethod="Steady"))
    rows[-1]["observed"] = "u and v, one frame"
    rows[-1]["estimate"], rows[-1]["interval"], _, _ = fit_interval(ns, target, Method="Steady")
    rows.append(invert(ns, out, "hybrid", target, Method="Hybrid", ResidualMethod="Steady",
                       Iterations=1 if args.quick else 2, BatchSize=1, Seed=1, LearningRate=1e-3))
    rows[-1]["observed"] = "u and v, one frame"
    v_alone = PassArrays(registrationName="VAlone", Input=target, PointDataArrays=["v"])
    v_alone.UpdatePipeline()  # no array u: UArray defaults to None, v alone
    rows.append(invert(ns, out, "v_only", v_alone, Method="ResidualFit", ResidualMethod="Steady"))
    rows[-1]["observed"] = "v alone, one frame (u latent)"
    rows[-1]["estimate"], rows[-1]["interval"], _, _ = fit_interval(ns, v_alone, Method="Steady",
                                                                     UArray="None")

    # Frames from another solver: the Pattern source's Scheme Spectral (ETDRK4 with Fourier
    # derivatives, as The Well's frames) grown from the paper's patch, then ten frames one time
    # unit apart, fitted by the Residual Fit filter with central time differences (the forward
    # difference is exact only for Euler's own frames). The Stencil fit inherits the 5-point
    # Laplacian's bias, and its intervals miss the truth; Discretisation Spectral takes the
    # continuum's derivatives.
    n, growth = (64, 300) if args.quick else (128, 2000)
    SetActiveSource(None)
    grown = ns["GrayScottPattern"](registrationName="OtherSolverGrown", InitialState=None,
                                   Scheme="Spectral", Dimensions=[n, n, 1], NumberOfSteps=growth,
                                   SteadyStateTolerance=0.0)
    SetActiveSource(None)
    frames = ns["GrayScottPattern"](registrationName="OtherSolverFrames", InitialState=grown,
                                    Scheme="Spectral", Dimensions=[n, n, 1], TimeStep=0.25,
                                    NumberOfSteps=36, OutputInterval=4, SteadyStateTolerance=0.0)
    began = time.time()
    frames.UpdatePipeline(9.0)
    print("another solver's frames: %d x %d, %d time units of growth, 10 frames in %.1f s" % (
        n, n, growth, time.time() - began))
    for name, discretisation in (("other_solver_stencil", "Stencil"),
                                 ("other_solver_spectral", "Spectral")):
        rows.append(fit_row(ns, out, name, frames, Method="TimeSeries", TimeDifference="central",
                            Discretisation=discretisation))
        rows[-1]["observed"] = "u and v, 10 frames of another solver, %s derivatives" % (
            "stencil" if discretisation == "Stencil" else "spectral")

    # The horizon family: K steps of the scheme from the observed state, from one step (the
    # residual) towards the paper's unroll. The target must be steady over the horizon: the
    # paper's is steady to 1e-4 per step, so run it on to 1e-8 first.
    SetActiveSource(None)
    steady = ns["GrayScottPattern"](registrationName="SteadyTarget", InitialState=target,
                                    NumberOfSteps=400000,
                                    SteadyStateTolerance=1e-6 if args.quick else 1e-8)
    began = time.time()
    steady.UpdatePipeline()
    steady_data = servermanager.Fetch(steady)
    save_data(os.path.join(out, "steady_target.vti"), steady)
    print("steady target: %s more steps to %g per step in %.1f s" % (
        field_value(steady_data, "StepsTaken"), steady.SteadyStateTolerance, time.time() - began))
    k_max = 100 if args.quick else 1000
    horizons = [1, 10, 100] if args.quick else [1, 10, 100, 1000]
    SetActiveSource(None)
    family = ns["GrayScottLossLandscape"](
        registrationName="HorizonFamily", Target=steady, XParameter="F", XRange=list(lp.F_RANGE),
        YParameter="k", YRange=list(lp.K_RANGE), XResolution=5 if args.quick else lp.RESOLUTION,
        YResolution=5 if args.quick else lp.RESOLUTION, ZParameter="Horizon", ZRange=[1, k_max],
        ZResolution=len(horizons), Losses=["pixel"], IncludeU=1)
    began = time.time()
    family.UpdatePipeline()
    family_data = servermanager.Fetch(family)
    save_data(os.path.join(out, "horizon_landscape.vti"), family)
    print("horizon family: %d points in %.1f s" % (family_data.GetNumberOfPoints(), time.time() - began))
    for name, data, observed in (
            ("shooting_paper", target, "u and v, one frame steady to 1e-4 a step"),
            ("shooting_steady", steady, "u and v, one frame steady to 1e-8 a step")):
        rows.append(invert(ns, out, name, data, Method="Shooting", FinalHorizon=k_max))
        rows[-1]["observed"] = observed

    print()
    print("The horizon family on the steady target (pixel loss on u and v after K steps from the"
          " observed state):")
    print("| horizon K | loss over the window | grid minimum | flat along F |")
    print("|---|---|---|---|")
    for line in horizon_summary(family_data, horizons):
        print(line)
    print()
    print("Which parameters made the target? (truth Du, Dv, F, k = %s)" % ", ".join(map(str, TRUTH)))
    print("| method | observed | Du | Dv | F | k | largest relative error | 95% interval | time |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("| truth | - | %s | - | - | - |" % " | ".join("%.5g" % t for t in TRUTH))
    for row in rows:
        print("| %s | %s | %s | %.2e | %s | %.1f s |" % (
            row["name"], row["observed"], " | ".join("%.5g" % e for e in row["estimate"]),
            relative_error(row["estimate"]), interval_text(row), row["time"]))

    pictures(ns, args, target, land, family, horizons, rows, window)
    print("  wrote       : landscape.vti, curves.vtp, steady_target.vti, horizon_landscape.vti,"
          " *_history.csv, *_trajectory.vtp, *_pattern.vti, landscapes.png, horizon.png,"
          " patterns.png")


def pictures(ns, args, target, land, family, horizons, rows, window):
    """landscapes.png, horizon.png and patterns.png: heat maps seen from above with the
    curves, the truth and the paths on top; the target and each method's pattern."""
    out = args.output
    by_name = {row["name"]: row for row in rows}
    truth = (TRUTH[2], TRUTH[3])
    panel = [900, 520]
    land.UpdatePipeline()

    # (a) the paper's loss and its descent; (b) the residual over the same window.
    views = [open_view(panel), open_view(panel)]
    gf.heat_map(views[0], land, "logps", window, "logps")
    gf.title(views[0], "a", "logps, the paper's loss (10,000 steps), and its descent")
    gf.path(views[0], OutputPort(by_name["gradient"]["inversion"], 1), window, PATH_COLOUR)
    gf.heat_map(views[1], land, "residual", window, "residual\n(log scale)", log=True)
    gf.title(views[1], "b", "the residual over the same window: one bowl, no simulation")
    for view in views:
        gf.curves(ns, view, window)
        gf.marker(view, window, *truth, (1.0, 1.0, 1.0))
    gf.note(views[0], "white: truth; magenta: the descent from the paper's start, clipped to "
            "the window\n" + gf.CURVE_LEGEND)
    fits = [by_name[n]["estimate"] for n in ("residual_fit", "v_only", "hybrid")]
    gf.note(views[1], "white: truth; the fits of u and v, of v alone and the hybrid land within "
            "%.0e of it\n" % max(relative_error(e) for e in fits) + gf.CURVE_LEGEND)
    gf.save_grid(views, os.path.join(out, "landscapes.png"), panel)

    # The horizon family: one panel per K, one colour scale, the shooting path on each.
    family.UpdatePipeline()
    lo, hi = family.PointData["pixel"].GetRange()
    extent = family.GetDataInformation().GetExtent()
    views = []
    letters = "cdef"
    for i, K in enumerate(horizons):
        view = open_view(panel)
        layer = ExtractSubset(Input=family, VOI=list(extent[:4]) + [i, i])
        layer.UpdatePipeline()
        z = layer.GetDataInformation().GetBounds()[4]
        gf.heat_map(view, layer, "pixel", window, "pixel loss\n(log scale)", log=True,
                    preset="Inferno (matplotlib)", value_range=(lo, hi), z=z)
        what = "1 step: the residual's bowl" if K == 1 else "{:,} steps".format(K)
        gf.title(view, letters[i], "pixel loss after K = %s" % what)
        gf.curves(ns, view, window)
        gf.path(view, OutputPort(by_name["shooting_steady"]["inversion"], 1), window, PATH_COLOUR)
        gf.marker(view, window, *truth, (1.0, 1.0, 1.0))
        gf.note(view, "white: truth; magenta: shooting from the paper's start, K = 1 doubling "
                "to {:,}\n".format(horizons[-1]) + gf.CURVE_LEGEND)
        views.append(view)
    gf.save_grid(views, os.path.join(out, "horizon.png"), panel, columns=2)

    # The target, then the pattern each estimate makes, each labelled with its error.
    target_data = servermanager.Fetch(target)
    bounds = target_data.GetBounds()
    strip = [400, 470]
    view = open_view(strip)
    gf.pattern_panel(view, target, bounds, "target (truth)", bar=True)
    views = [view]
    for row in (r for r in rows if r["inversion"] is not None):  # fits of the target
        view = open_view(strip)
        gf.pattern_panel(view, OutputPort(row["inversion"], 2), bounds, "%s\nerror %.1e" % (
            LABELS[row["name"]], relative_error(row["estimate"])))
        views.append(view)
    gf.save_grid(views, os.path.join(out, "patterns.png"), strip)


def main():
    args = parse_args()
    ensure_display()
    os.makedirs(args.output, exist_ok=True)
    vti_path = os.path.join(args.output, "gray_scott_target.vti")
    png_path = os.path.join(args.output, "gray_scott_target.png")

    ns = globals()
    LoadPlugin(args.plugin, remote=False, ns=ns)
    view = open_view([800, 800])
    # No active source, so the pattern does not take one as its InitialState.
    SetActiveSource(None)
    start = time.time()
    pattern = GrayScottPattern(registrationName="GrayScottTarget")  # noqa: F821 (from the plugin)
    pattern.UpdatePipeline()
    elapsed = time.time() - start

    data = servermanager.Fetch(pattern)
    if data is None or data.GetNumberOfPoints() == 0:
        print("main_job: the Gray-Scott source produced no data (see the error above).",
              file=sys.stderr)
        return 1

    save_data(vti_path, pattern)
    show_pattern(view, pattern, data)
    SaveScreenshot(png_path, view, ImageResolution=[800, 800])
    # A render view still alive at sys.exit() dies with an X error (GLXBadContext) and exit
    # status 1 on this ParaView; delete it while the X connection is open.
    Delete(view)
    del view

    v_range = data.GetPointData().GetArray("v").GetRange()
    u_range = data.GetPointData().GetArray("u").GetRange()
    print("Gray-Scott target pattern (Du, Dv, F, k) = (%s, %s, %s, %s) on %d x %d x %d" % (
        pattern.Du, pattern.Dv, pattern.F, pattern.k, *data.GetDimensions()))
    print("  steps taken : %s (cap %d, tolerance %g)" % (
        field_value(data, "StepsTaken"), pattern.NumberOfSteps, pattern.SteadyStateTolerance))
    print("  status      : %s (converged %s)" % (
        field_value(data, "Status"), field_value(data, "Converged")))
    print("  v range     : [%.4f, %.4f]   u range: [%.4f, %.4f]" % (*v_range, *u_range))
    print("  spots       : %d (periodic regions of v > 0.2)" % count_spots(data))
    print("  time        : %.2f s" % elapsed)
    print("  wrote       : %s, %s" % (vti_path, png_path))
    if field_value(data, "BlowUp") != "0":
        return 1
    story(ns, args, pattern)
    print("  total time  : %.1f s" % (time.time() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
