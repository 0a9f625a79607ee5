"""The landscape saved by test_landscape_mpi.py from two MPI ranks (--input, .pvti) equals a
serial run in this process, bitwise, in every array. --horizon as there; with --cache, the file
the two ranks stored their points in gives a serial run all of them, and the same image."""

import gs_testing as t
import test_landscape_mpi as mpi
from paraview.simple import OpenDataFile


def main():
    def extra(parser):
        parser.add_argument("--input", required=True)
        parser.add_argument("--horizon", choices=mpi.HORIZONS)
        parser.add_argument("--cache")

    args = t.parse_args(extra)
    ns = globals()
    t.load_plugin(args.plugin, ns)
    saved = t.output(OpenDataFile(args.input))
    serial = t.output(mpi.landscape(ns, args.horizon))
    t.check(saved.GetDimensions() == serial.GetDimensions() == mpi.dimensions(args.horizon),
            "the saved image has the whole grid %s" % (saved.GetDimensions(),))
    t.check(saved.GetOrigin() == serial.GetOrigin(), "and the same origin")
    for name in mpi.arrays(args.horizon):
        t.check(t.same_bits(saved, serial, name), "%s from 2 ranks equals the serial run, bitwise" % name)
    if args.cache:
        nx, ny, nz = mpi.dimensions(args.horizon)
        cached = mpi.landscape(ns, args.horizon, CacheFile=args.cache)
        image = t.output(cached)
        cached.UpdatePropertyInformation()
        counts = (int(cached.GetPropertyValue("NumberOfPointsFromCache")),
                  int(cached.GetPropertyValue("NumberOfPointsComputed")))
        t.check(counts == (nx * ny * nz, 0),
                "the ranks' cache file holds every point: (read, computed) = %s" % (counts,))
        for name in mpi.arrays(args.horizon):
            t.check(t.same_bits(image, serial, name), "%s from the ranks' cache file, bitwise" % name)


t.run(main)
