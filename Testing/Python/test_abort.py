"""Gray-Scott Pattern abort: an aborted run stops early, gives an empty output and a warning,
keeps nothing partial, and the next run is complete and correct."""

import gs_testing as t


def main():
    args = t.parse_args()
    ns = globals()
    t.load_plugin(args.plugin, ns)

    for interval in (0, 1000):
        label = "OutputInterval %d: " % interval
        src = t.new_pattern(ns, Dimensions=[64, 64, 1], NumberOfSteps=20000,
                            SteadyStateTolerance=0.0, OutputInterval=interval)
        messages = t.Messages(src)
        with t.aborting_at(src, 0.4) as algorithm:
            data = t.output(src, 20000.0 if interval else None)
        computed = t.steps_computed(src)
        t.check(data.GetNumberOfPoints() == 0, label + "an aborted run gives an empty output")
        t.check(any("Aborted" in w for w in messages.warnings),
                label + "and a warning (%s)" % messages.warnings)
        t.check(not messages.errors, label + "and no error")
        t.check(7000 <= computed < 10000, label + "it stopped at about 40%% (%d of 20000 steps)" % computed)

        # The next update runs to the end; the result equals an uninterrupted run.
        messages.clear()
        # In VTK 9.2 whoever requests an abort clears the flag; the executive does not.
        algorithm.SetAbortExecute(0)
        # ParaView updates a proxy only when it thinks something changed.
        src.SMProxy.MarkModified(src.SMProxy)
        complete = t.output(src, 20000.0 if interval else None)
        t.check(t.field(complete, "StepsTaken") == 20000, label + "the next update completes 20000 steps")
        reference = t.output(t.new_pattern(ns, Dimensions=[64, 64, 1], NumberOfSteps=20000,
                                           SteadyStateTolerance=0.0))
        t.check(t.same_bits(complete, reference, "v") and t.same_bits(complete, reference, "u"),
                label + "equal to an uninterrupted run")
        again = t.steps_computed(src) - computed
        if interval:
            # Frames finished before the abort (every 1000 steps) were kept; the partial one was not.
            t.check(20000 - computed <= again <= 20000 - computed + 1000,
                    label + "the rerun reused the frames finished before the abort (%d new steps)" % again)
        else:
            t.check(again == 20000, label + "the rerun started over (%d new steps)" % again)
        t.check(not messages.errors and not messages.warnings, label + "no errors or warnings on the rerun")


t.run(main)
