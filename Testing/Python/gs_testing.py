"""Shared helpers of the plugin tests (run under pvpython/pvbatch, without numpy).

Every test script takes --plugin <path to GrayScott.so>, records failed checks with
`check`, and ends with `finish()`, which exits 1 when any check failed: a test fails rather
than skips when something is missing.
"""

import argparse
import contextlib
import math
import sys
import traceback

from paraview import servermanager
from paraview.simple import LoadPlugin, SetActiveSource
from vtkmodules.util.misc import calldata_type
from vtkmodules.util.vtkConstants import VTK_STRING

_failures = []


def parse_args(extra=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--plugin", required=True)
    if extra:
        extra(parser)
    return parser.parse_args()


def load_plugin(path, ns):
    LoadPlugin(path, remote=False, ns=ns)
    if "GrayScottPattern" not in ns:
        fail("the plugin %s did not define GrayScottPattern()" % path)
        finish()


def check(condition, message):
    if condition:
        print("ok   " + message)
    else:
        print("FAIL " + message)
        _failures.append(message)
    return condition


def fail(message):
    check(False, message)


def finish():
    if _failures:
        print("%d check(s) failed:" % len(_failures))
        for f in _failures:
            print("  - " + f)
        sys.exit(1)
    # Success returns instead of sys.exit(0): under MPI, pvbatch must finalize MPI itself,
    # and an explicit exit skips that and fails the run.
    print("all checks passed")


def run(main):
    """Runs main(); an exception is a failure, not a crash without a verdict."""
    try:
        main()
    except SystemExit:
        raise
    except Exception:
        traceback.print_exc()
        fail("unexpected exception")
    finish()


def gui_report(command, env, report_path, stale, program, writer):
    """Runs the ParaView GUI `command` (its `program`, for the messages) on a virtual X server
    with `env`, after removing the `stale` outputs of an earlier run, and returns the JSON
    report its script (`writer`) wrote to `report_path`, or None when it wrote none. Checks the
    exit status and that the report exists."""
    import json
    import os
    from gs_scripts import run_with_display
    for path in stale:
        if os.path.exists(path):
            os.remove(path)
    print("running: " + " ".join(command))
    status, _ = run_with_display(command, env)
    check(status == 0, "%s exited with 0 (%d)" % (program, status))
    check(os.path.exists(report_path), "%s wrote its report" % writer)
    if not os.path.exists(report_path):
        return None
    with open(report_path) as f:
        return json.load(f)


def python_name(label):
    """paraview.simple's name for a proxy or property: its XML label without non-word characters."""
    import re
    return re.sub(r"\W", "", label)


def new_pattern(ns, **properties):
    """A Gray-Scott Pattern with no InitialState: paraview.simple would otherwise connect the
    active source to it."""
    SetActiveSource(None)
    properties.setdefault("InitialState", None)
    return ns["GrayScottPattern"](**properties)


class Messages:
    """Errors and warnings of one VTK object, captured in-process (observers also keep them
    out of the output window)."""

    def __init__(self, proxy):
        self.errors = []
        self.warnings = []
        self.failures = []  # the executive's "returned failure for request" reports
        self.algorithm = proxy.GetClientSideObject()

        @calldata_type(VTK_STRING)
        def on_error(obj, event, text):
            self.errors.append(text)

        @calldata_type(VTK_STRING)
        def on_warning(obj, event, text):
            self.warnings.append(text)

        @calldata_type(VTK_STRING)
        def on_failure(obj, event, text):
            # The executive's other messages are shown as they would be without the observer.
            if "returned failure" in text:
                self.failures.append(text)
            else:
                print(text.strip())

        self._callbacks = (on_error, on_warning, on_failure)
        self.algorithm.AddObserver("ErrorEvent", on_error)
        self.algorithm.AddObserver("WarningEvent", on_warning)
        self.algorithm.GetExecutive().AddObserver("ErrorEvent", on_failure)

    def clear(self):
        del self.errors[:]
        del self.warnings[:]
        del self.failures[:]


def output(proxy, time=None):
    """Updates the proxy (at `time`) and returns a copy of its local output."""
    if time is None:
        proxy.UpdatePipeline()
    else:
        proxy.UpdatePipeline(time)
    data = proxy.GetClientSideObject().GetOutputDataObject(0)
    copy = data.NewInstance()
    copy.DeepCopy(data)
    return copy


def fetch(proxy):
    """The output through servermanager.Fetch, as a client would get it."""
    return servermanager.Fetch(proxy)


def steps_computed(proxy):
    proxy.UpdatePropertyInformation()
    return int(proxy.GetPropertyValue("NumberOfStepsComputed"))


def field(data, name):
    array = data.GetFieldData().GetAbstractArray(name)
    if array is None:
        return None
    if array.GetNumberOfComponents() > 1:
        return [array.GetComponent(0, i) for i in range(array.GetNumberOfComponents())]
    value = array.GetVariantValue(0)
    if array.IsA("vtkStringArray"):
        return value.ToString()
    return value.ToDouble() if array.IsA("vtkDoubleArray") else value.ToTypeInt64()


def values(data, name):
    array = data.GetPointData().GetArray(name)
    return [array.GetValue(i) for i in range(array.GetNumberOfTuples())]


def same_bits(a, b, name):
    """Bitwise equality of a point array in two outputs."""
    x = a.GetPointData().GetArray(name)
    y = b.GetPointData().GetArray(name)
    if x is None or y is None or x.GetNumberOfTuples() != y.GetNumberOfTuples():
        return False
    return bytes(memoryview(x)) == bytes(memoryview(y))


def is_empty(data):
    """No points, cells, rows or arrays: what a refused request outputs."""
    if data.IsA("vtkTable"):
        return data.GetNumberOfRows() == 0 and data.GetNumberOfColumns() == 0 and \
            data.GetFieldData().GetNumberOfArrays() == 0
    return (data.GetNumberOfPoints() == 0 and data.GetNumberOfCells() == 0 and
            data.GetPointData().GetNumberOfArrays() == 0 and data.GetCellData().GetNumberOfArrays() == 0 and
            data.GetFieldData().GetNumberOfArrays() == 0)


def outputs(proxy, time=None):
    """Updates the proxy and returns copies of all its outputs."""
    if time is None:
        proxy.UpdatePipeline()
    else:
        proxy.UpdatePipeline(time)
    algorithm = proxy.GetClientSideObject()
    copies = []
    for port in range(algorithm.GetNumberOfOutputPorts()):
        data = algorithm.GetOutputDataObject(port)
        copy = data.NewInstance()
        copy.DeepCopy(data)
        copies.append(copy)
    return copies


@contextlib.contextmanager
def aborting_at(proxy, fraction):
    """Within the block, the proxy's algorithm asks to abort once its progress reaches
    `fraction`; yields the algorithm. The abort flag is left as the run leaves it."""
    algorithm = proxy.GetClientSideObject()

    def stop(obj, event):
        if obj.GetProgress() >= fraction:
            obj.SetAbortExecute(1)

    tag = algorithm.AddObserver("ProgressEvent", stop)
    try:
        yield algorithm
    finally:
        algorithm.RemoveObserver(tag)


def check_bad_input(proxy, bad, expected, same, time=None):
    """The bad-input protocol of every proxy of ours. `proxy` is a working setup; `bad` maps
    property names to bad values. The good run has non-empty outputs and no error; with `bad`
    set there is exactly one error, matching the regular expression `expected`, the executive
    reports the failure, and every output is empty; restored, the outputs are
    `same(before, after)` as the good ones. A bad value may be an input that fails itself: then
    the error and the failure are the input's, and the filter, as VTK's pipeline does, does not
    run (its outputs stay as they were)."""
    import re
    messages = Messages(proxy)
    good = outputs(proxy, time)
    check(not is_empty(good[0]) and not messages.errors and not messages.failures,
          "the good setup runs")
    saved = {}
    for name in bad:
        value = proxy.GetPropertyValue(name)
        # Vector properties come back as live views: keep a copy of the values.
        saved[name] = list(value) if hasattr(value, "__len__") and not isinstance(value, str) else value
    inputs = [Messages(v) for v in bad.values() if hasattr(v, "GetClientSideObject")]
    for name, value in bad.items():
        proxy.SetPropertyWithName(name, value)
    messages.clear()
    refused = outputs(proxy, time)
    failed_input = any(m.failures for m in inputs)
    errors = messages.errors + [e for m in inputs for e in m.errors]
    failures = messages.failures + [f for m in inputs for f in m.failures]
    check(len(errors) == 1, "exactly one error (%d)" % len(errors))
    check(any("returned failure" in f for f in failures),
          "the %s returned failure, and the executive reported it"
          % ("input" if failed_input else "filter"))
    text = " ".join(errors)
    print("error text: " + text.strip().splitlines()[-1] if text else "error text: (none)")
    check(re.search(expected, text) is not None, "the error names the problem /%s/" % expected)
    if failed_input:
        check(not messages.errors and same(good, refused),
              "the filter did not run on the failed input")
    else:
        check(all(is_empty(d) for d in refused), "every output is empty, without arrays")

    # Still alive, and fine again once the input is fixed.
    for name, value in saved.items():
        proxy.SetPropertyWithName(name, value)
    messages.clear()
    again = outputs(proxy)
    check(not messages.errors and not messages.failures and same(good, again),
          "fixed, it gives the same outputs as before")


def main_with_cases(cases, ns, main_checks, case_check, extra=None):
    """The main of a test script with a table of bad inputs: --case NAME runs one
    (`case_check(ns, name)`), --expect-cases "a;b" checks that CMake lists them all, and
    without either `main_checks(ns, args)` runs."""
    def options(parser):
        parser.add_argument("--case", choices=sorted(cases))
        parser.add_argument("--expect-cases")
        if extra:
            extra(parser)

    args = parse_args(options)
    if args.expect_cases is not None:
        listed = set(args.expect_cases.split(";"))
        check(listed == set(cases), "CMake runs every case: missing %s, unknown %s" % (
            sorted(set(cases) - listed), sorted(listed - set(cases))))
        return
    load_plugin(args.plugin, ns)
    if args.case:
        case_check(ns, args.case)
    else:
        main_checks(ns, args)


def same_float(a, b):
    """Bitwise equality of two floats (NaN with the same bits counts as equal)."""
    import struct
    return struct.pack("<d", a) == struct.pack("<d", b)


def max_abs_difference(a, b, name):
    x, y = values(a, name), values(b, name)
    return max(abs(p - q) for p, q in zip(x, y)) if x else 0.0


def is_finite_list(xs):
    return all(math.isfinite(x) for x in xs)
