"""Gray-Scott Loss Landscape over the horizon with a Cache File: a second landscape with the same
settings reads every point from the file and gives the same image bit for bit (a piece of it
too); Horizon, the horizon axis's range and the Target's values are part of the key; a sweep
aborted part way resumes from the file (skipping a record cut short) and equals an uninterrupted
one; with TimeSteps = "Horizon", going back to a time step reads it from the file."""

import os
import shutil
import tempfile

import gs_testing as t
from paraview.simple import SetActiveSource

# K = 1, 5, 30 along z: 3 x 2 x 3 = 18 points. NumberOfSteps only matters to the paper's
# protocol (Horizon = 0 below).
VOLUME = dict(XParameter="F", XRange=[0.03, 0.04], XResolution=3, YParameter="k",
              YRange=[0.06, 0.065], YResolution=2, ZParameter="Horizon", ZRange=[1, 30],
              ZResolution=3, IncludeU=1, Losses=["pixel", "logps"], NumberOfSteps=50,
              NumberOfInitialConditions=1)
POINTS = 18
SLICE = 6
FIXED = dict(VOLUME, ZParameter="None", ZResolution=1, Horizon=5)
# magic, fingerprint, index, count, 2 losses + 8 values, checksum
RECORD_BYTES = 8 * (4 + 2 + 8 + 1)
ARRAYS = ["pixel", "logps", "steps", "converged", "pattern_class", "mean_v"]


def landscape(ns, settings, **changes):
    SetActiveSource(None)
    properties = dict(settings)
    properties.update(changes)
    return ns["GrayScottLossLandscape"](**properties)


def counts(proxy):
    """(points read from the file by the last update, points computed since creation)."""
    proxy.UpdatePropertyInformation()
    return (int(proxy.GetPropertyValue("NumberOfPointsFromCache")),
            int(proxy.GetPropertyValue("NumberOfPointsComputed")))


def same_image(a, b):
    return a.GetExtent() == b.GetExtent() and all(t.same_bits(a, b, name) for name in ARRAYS)


def slice_of(volume, z):
    return [volume.GetPointData().GetArray("pixel").GetValue(SLICE * z + i) for i in range(SLICE)]


def main():
    args = t.parse_args()
    ns = globals()
    t.load_plugin(args.plugin, ns)
    folder = tempfile.mkdtemp(prefix="gs-horizon-cache-")
    cache = os.path.join(folder, "horizon.gslc")

    target = t.new_pattern(ns, Dimensions=[24, 24, 1], NumberOfSteps=300, SeedPatchSize=8)
    volume = dict(VOLUME, Target=target)
    fixed = dict(FIXED, Target=target)
    reference = t.output(landscape(ns, volume))

    # The first landscape computes and stores every point; the second reads them all.
    first = landscape(ns, volume, CacheFile=cache)
    image = t.output(first)
    t.check(counts(first) == (0, POINTS), "the first run computed all %d points %s" % (POINTS, counts(first)))
    t.check(os.path.getsize(cache) == POINTS * RECORD_BYTES,
            "and stored them (%d bytes)" % os.path.getsize(cache))
    t.check(same_image(image, reference), "the same image as without a cache file, bitwise")
    second = landscape(ns, volume, CacheFile=cache)
    again = t.output(second)
    t.check(counts(second) == (POINTS, 0), "a second landscape read every point from the file %s" % (
        counts(second),))
    t.check(same_image(again, reference), "and gives the same image, bitwise")
    t.check(os.path.getsize(cache) == POINTS * RECORD_BYTES, "and stored nothing more")
    piece_proxy = landscape(ns, volume, CacheFile=cache)
    algorithm = piece_proxy.GetClientSideObject()
    algorithm.UpdateExtent([1, 2, 0, 1, 1, 2])
    piece = algorithm.GetOutputDataObject(0)
    t.check(counts(piece_proxy) == (8, 0), "a piece read its 8 points from the file %s" % (
        counts(piece_proxy),))
    t.check(piece.GetExtent() == (1, 2, 0, 1, 1, 2) and all(
        t.same_float(t.values(piece, "pixel")[(x - 1) + 2 * y + 4 * (z - 1)],
                     t.values(reference, "pixel")[x + 3 * y + SLICE * z])
        for x in (1, 2) for y in (0, 1) for z in (1, 2)), "and equals the whole there, bitwise")

    # Horizon is part of the key: the slice K = 5 as a fixed Horizon has the same values as the
    # volume's, but is another sweep.
    fixed5 = landscape(ns, fixed, CacheFile=cache)
    k5 = t.output(fixed5)
    t.check(counts(fixed5) == (0, SLICE), "Horizon = 5 computed its %d points %s" % (SLICE, counts(fixed5)))
    t.check(t.values(k5, "pixel") == slice_of(reference, 1), "and equals the volume's K = 5 slice")
    fixed5.Horizon = 12
    k12 = t.output(fixed5)
    t.check(counts(fixed5) == (0, 2 * SLICE), "Horizon 5 -> 12 computed again %s" % (counts(fixed5),))
    t.check(t.values(k12, "steps") == [12] * SLICE and t.values(k12, "pixel") != t.values(k5, "pixel"),
            "at K = 12")
    for k, expected in ((5, k5), (12, k12)):
        proxy = landscape(ns, fixed, CacheFile=cache, Horizon=k)
        got = t.output(proxy)
        t.check(counts(proxy) == (SLICE, 0) and same_image(got, expected),
                "Horizon = %d read from the file, the same image bitwise %s" % (k, counts(proxy)))
    # The paper's protocol (Horizon = 0) and another horizon range are other sweeps too.
    paper = landscape(ns, fixed, CacheFile=cache, Horizon=0)
    t.output(paper)
    t.check(counts(paper) == (0, SLICE), "Horizon = 0 (the paper's) computed again %s" % (counts(paper),))
    longer = landscape(ns, volume, CacheFile=cache, ZRange=[1, 31])
    t.output(longer)
    t.check(counts(longer) == (0, POINTS), "ZRange [1, 31] computed again %s" % (counts(longer),))

    # So are the Target's values: another target, the same settings.
    other = t.new_pattern(ns, Dimensions=[24, 24, 1], NumberOfSteps=300, SeedPatchSize=8, Seed=7)
    moved = landscape(ns, volume, CacheFile=cache, Target=other)
    moved_image = t.output(moved)
    t.check(counts(moved) == (0, POINTS), "another Target computed again %s" % (counts(moved),))
    t.check(not t.same_bits(moved_image, reference, "pixel"), "with other values")
    before = os.path.getsize(cache)
    same_target = landscape(ns, volume, CacheFile=cache)
    t.output(same_target)
    t.check(counts(same_target) == (POINTS, 0) and os.path.getsize(cache) == before,
            "the first Target's points are still read from the file %s" % (counts(same_target),))

    # Resume: a sweep aborted half way has stored its finished points; a record cut short (a
    # kill during a write) is skipped; a new landscape computes only the rest.
    resume_file = os.path.join(folder, "resume.gslc")
    aborted = landscape(ns, volume, CacheFile=resume_file)
    abort_messages = t.Messages(aborted)
    with t.aborting_at(aborted, 0.5):
        empty = t.output(aborted)
    stored = os.path.getsize(resume_file) // RECORD_BYTES
    t.check(any("Aborted" in w for w in abort_messages.warnings), "the sweep was aborted")
    t.check(empty.GetNumberOfPoints() == 0 and 0 < stored < POINTS and
            os.path.getsize(resume_file) == stored * RECORD_BYTES,
            "the aborted sweep stored %d whole points of %d" % (stored, POINTS))
    with open(resume_file, "rb") as f:
        record = f.read(RECORD_BYTES)
    with open(resume_file, "ab") as f:
        f.write(record[:RECORD_BYTES // 2])
    resumed = landscape(ns, volume, CacheFile=resume_file)
    messages = t.Messages(resumed)
    image = t.output(resumed)
    t.check(counts(resumed) == (stored, POINTS - stored),
            "the rerun read the %d stored points and computed the other %d %s" % (
                stored, POINTS - stored, counts(resumed)))
    t.check(same_image(image, reference) and not messages.errors,
            "and equals an uninterrupted sweep, bitwise")

    # The horizon as time steps, K = 1, 5, 30, with the file: K = 5 was stored by the fixed
    # Horizon = 5 above (the same sweep); going back reads from the file.
    timed_settings = dict(fixed, Horizon=30, TimeSteps="Horizon", NumberOfTimeSteps=3, CacheFile=cache)
    timed = landscape(ns, timed_settings)
    timed.UpdatePipelineInformation()
    times = list(timed.TimestepValues)
    t.check(times == [1.0, 5.0, 30.0], "time steps K = 1, 5, 30: %s" % times)
    seen = {}
    for k, expected in ((1.0, (0, SLICE)), (5.0, (SLICE, SLICE)), (30.0, (0, 2 * SLICE)),
                        (1.0, (SLICE, 2 * SLICE)), (5.0, (SLICE, 2 * SLICE))):
        got = t.output(timed, k)
        t.check(counts(timed) == expected, "time %g: (from the file, computed) = %s, expected %s" % (
            k, counts(timed), expected))
        t.check(t.values(got, "pixel") == slice_of(reference, [1.0, 5.0, 30.0].index(k)),
                "time %g is the volume's K = %g slice, bitwise" % (k, k))
        if k in seen:
            t.check(same_image(got, seen[k]), "back at time %g: the same image, bitwise" % k)
        seen[k] = got
    fresh = landscape(ns, timed_settings)
    for k in times:
        got = t.output(fresh, k)
        t.check(counts(fresh) == (SLICE, 0) and same_image(got, seen[k]),
                "a new landscape reads time %g from the file %s" % (k, counts(fresh)))

    shutil.rmtree(folder)


t.run(main)
