"""The landscape saved by test_landscape_mpi.py from two MPI ranks (--input, .pvti) equals a
serial run in this process, bitwise, in every array."""

import gs_testing as t
import test_landscape_mpi as mpi
from paraview.simple import OpenDataFile


def main():
    def extra(parser):
        parser.add_argument("--input", required=True)

    args = t.parse_args(extra)
    ns = globals()
    t.load_plugin(args.plugin, ns)
    saved = t.output(OpenDataFile(args.input))
    serial = t.output(mpi.landscape(ns))
    t.check(saved.GetDimensions() == serial.GetDimensions() == (5, 4, 1),
            "the saved image has the whole grid %s" % (saved.GetDimensions(),))
    t.check(saved.GetOrigin() == serial.GetOrigin(), "and the same origin")
    for name in mpi.ARRAYS:
        t.check(t.same_bits(saved, serial, name), "%s from 2 ranks equals the serial run, bitwise" % name)


t.run(main)
