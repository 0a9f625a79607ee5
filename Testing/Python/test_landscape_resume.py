"""Gray-Scott Loss Landscape resume: a sweep with a cache file is killed (SIGKILL) part way;
a rerun computes only the missing points, skips a record cut short, and gives the image of
an uninterrupted sweep, bitwise."""

import os
import signal
import subprocess
import tempfile
import time

import gs_testing as t
from paraview.simple import SetActiveSource

POINTS = 20
SWEEP = dict(Target=None, Dimensions=[128, 128, 1], NumberOfSteps=10000, NumberOfInitialConditions=1,
             XParameter="F", XRange=[0.03, 0.07], XResolution=5, YParameter="k",
             YRange=[0.053, 0.068], YResolution=4, ZParameter="None", Losses=["logps"])
# magic, fingerprint, index, count, 1 loss + 8 values, checksum
RECORD_BYTES = 8 * (4 + 1 + 8 + 1)


def landscape(ns, **changes):
    SetActiveSource(None)
    properties = dict(SWEEP)
    properties.update(changes)
    return ns["GrayScottLossLandscape"](**properties)


def child(ns, cache):
    """The sweep that gets killed."""
    landscape(ns, CacheFile=cache).UpdatePipeline()


def main():
    def extra(parser):
        parser.add_argument("--child")
        parser.add_argument("--pvpython")

    args = t.parse_args(extra)
    ns = globals()
    t.load_plugin(args.plugin, ns)
    if args.child:
        child(ns, args.child)
        return

    folder = tempfile.mkdtemp(prefix="gs-resume-")
    cache = os.path.join(folder, "landscape.gslc")
    proc = subprocess.Popen([args.pvpython, os.path.abspath(__file__), "--plugin", args.plugin,
                             "--child", cache], stdout=subprocess.DEVNULL)
    # Kill it once a few points are stored, long before the last.
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        if os.path.exists(cache) and os.path.getsize(cache) >= 3 * RECORD_BYTES:
            break
        time.sleep(0.005)
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    size = os.path.getsize(cache) if os.path.exists(cache) else 0
    stored = size // RECORD_BYTES
    t.check(killed, "the sweep was killed while running")
    t.check(size % RECORD_BYTES == 0 and 3 <= stored < POINTS,
            "the cache holds %d whole points of %d (%d bytes)" % (stored, POINTS, size))
    # A kill in the middle of a write leaves part of a record; the rerun must skip it.
    with open(cache, "rb") as f:
        first = f.read(RECORD_BYTES)
    with open(cache, "ab") as f:
        f.write(first[:RECORD_BYTES // 2])

    resumed = landscape(ns, CacheFile=cache)
    messages = t.Messages(resumed)
    image = t.output(resumed)
    resumed.UpdatePropertyInformation()
    from_cache = int(resumed.GetPropertyValue("NumberOfPointsFromCache"))
    computed = int(resumed.GetPropertyValue("NumberOfPointsComputed"))
    t.check(from_cache == stored, "the rerun read the %d stored points (%d)" % (stored, from_cache))
    t.check(computed == POINTS - stored, "and computed only the %d missing ones (%d)" % (
        POINTS - stored, computed))
    t.check(not messages.errors, "no errors")

    fresh = t.output(landscape(ns))
    for name in ("logps", "steps", "converged", "pattern_class", "mean_v"):
        t.check(t.same_bits(image, fresh, name), "%s equals an uninterrupted sweep, bitwise" % name)

    again = landscape(ns, CacheFile=cache)
    image2 = t.output(again)
    again.UpdatePropertyInformation()
    t.check(int(again.GetPropertyValue("NumberOfPointsComputed")) == 0 and
            int(again.GetPropertyValue("NumberOfPointsFromCache")) == POINTS,
            "a third run takes every point from the cache")
    t.check(t.same_bits(image2, fresh, "logps"), "and gives the same image")
    os.remove(cache)
    os.rmdir(folder)


t.run(main)
