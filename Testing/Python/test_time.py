"""Gray-Scott Pattern time steps: the list, frames at each time, the frame cache (no
recomputation when scrubbing, continuation from the latest frame, invalidation) and frames
after steady state."""

import gs_testing as t


def frame(src, time):
    data = t.output(src, time)
    return data, t.field(data, "StepsTaken")


def main():
    args = t.parse_args()
    ns = globals()
    t.load_plugin(args.plugin, ns)

    common = dict(Dimensions=[64, 64, 1], SteadyStateTolerance=0.0)
    src = t.new_pattern(ns, NumberOfSteps=2100, OutputInterval=500, **common)
    messages = t.Messages(src)
    src.UpdatePipelineInformation()
    t.check(list(src.TimestepValues) == [0.0, 500.0, 1000.0, 1500.0, 2000.0, 2100.0],
            "time steps 0, 500, ..., 2000 and the last 2100 (%s)" % list(src.TimestepValues))
    src.TimeStep = 0.5
    src.UpdatePipelineInformation()
    t.check(list(src.TimestepValues) == [0.0, 250.0, 500.0, 750.0, 1000.0, 1050.0],
            "time steps are multiples of interval * dt (%s)" % list(src.TimestepValues))
    src.TimeStep = 1.0
    src.OutputInterval = 0
    src.UpdatePipelineInformation()
    t.check(len(src.TimestepValues) == 0, "OutputInterval 0: no time steps")
    src.OutputInterval = 500
    src.UpdatePipelineInformation()

    # Two time steps: different fields, StepsTaken = time / dt.
    f1000, s1000 = frame(src, 1000.0)
    t.check(s1000 == 1000, "frame at t = 1000 has StepsTaken 1000 (%s)" % s1000)
    t.check(t.steps_computed(src) == 1000, "1000 steps computed for the first frame")
    f1500, s1500 = frame(src, 1500.0)
    t.check(s1500 == 1500, "frame at t = 1500 has StepsTaken 1500 (%s)" % s1500)
    t.check(t.steps_computed(src) == 1500, "t = 1500 continued from the cached t = 1000 (+500 steps)")
    t.check(t.max_abs_difference(f1000, f1500, "v") > 1e-3, "the two frames differ")
    t.check(f1500.GetInformation().Get(f1500.DATA_TIME_STEP()) == 1500.0, "DATA_TIME_STEP is 1500")
    f2100, s2100 = frame(src, 2100.0)
    t.check(s2100 == 2100, "the last frame (not a multiple of the interval) has 2100 steps")
    t.check(t.steps_computed(src) == 2100, "2100 steps computed in total so far")

    # Scrubbing back: cached frames, not recomputed, equal to fresh computations.
    again, s_again = frame(src, 1000.0)
    t.check(t.steps_computed(src) == 2100, "going back to t = 1000 computes nothing")
    t.check(t.same_bits(again, f1000, "v") and s_again == 1000, "the cached frame is the same frame")
    between, s_between = frame(src, 1200.0)
    t.check(s_between == 1000 and t.same_bits(between, f1000, "u"),
            "a time between steps shows the frame before it")
    fresh = t.new_pattern(ns, NumberOfSteps=1000, **common)
    fresh_data = t.output(fresh)
    t.check(t.same_bits(again, fresh_data, "u") and t.same_bits(again, fresh_data, "v"),
            "the frame at t = 1000 equals a fresh 1000-step run bitwise")
    first, s_first = frame(src, 0.0)
    t.check(s_first == 0 and t.steps_computed(src) == 2100, "frame 0 is the cached initial state")
    frame(src, 1e9)
    t.check(t.steps_computed(src) == 2100, "a time past the end shows the last frame, cached")

    # Changing a property drops the cache; setting the same value does not.
    src.Seed = 0
    frame(src, 2000.0)
    t.check(t.steps_computed(src) == 2100, "setting a property to its current value keeps the cache")
    src.F = 0.036
    changed, _ = frame(src, 1000.0)
    t.check(t.steps_computed(src) == 3100, "a changed property recomputes (1000 more steps)")
    t.check(not t.same_bits(changed, f1000, "v"), "and gives another frame")
    t.check(t.field(changed, "Parameters")[2] == 0.036, "Parameters follow F")
    src.F = 0.035
    restored, _ = frame(src, 1000.0)
    t.check(t.same_bits(restored, f1000, "v"), "back to F = 0.035, the frame is the original")

    # The animation, as in the GUI: the time keeper lists our time steps, and the scene's
    # time selects the frame.
    from paraview.simple import GetAnimationScene, GetTimeKeeper
    scene = GetAnimationScene()
    scene.UpdateAnimationUsingDataTimeSteps()
    keeper = GetTimeKeeper()
    t.check(list(keeper.TimestepValues) == [0.0, 500.0, 1000.0, 1500.0, 2000.0, 2100.0],
            "the animation's time keeper has the source's time steps")
    scene.AnimationTime = 1500.0
    animated, s_animated = frame(src, keeper.Time)
    t.check(s_animated == 1500 and t.same_bits(animated, f1500, "v"),
            "the animation at t = 1500 shows the t = 1500 frame")

    # Steady state inside a time series: later frames are the steady state, Converged = 1.
    steady = t.new_pattern(ns, NumberOfSteps=40000, OutputInterval=5000, SteadyStateTolerance=1e-4)
    one_run = t.new_pattern(ns, NumberOfSteps=40000, SteadyStateTolerance=1e-4)
    final = t.output(one_run)
    s_final = t.field(final, "StepsTaken")
    t.check(t.field(final, "Converged") == 1 and s_final < 40000,
            "the paper's run converges at step %s" % s_final)
    before_time = (s_final // 5000) * 5000.0
    early, s_early = frame(steady, before_time)
    t.check(s_early == before_time and t.field(early, "Converged") == 0,
            "the frame before steady state is not converged (%s steps)" % s_early)
    for time in (before_time + 5000.0, 40000.0):
        late, s_late = frame(steady, time)
        t.check(s_late == s_final and t.field(late, "Converged") == 1
                and t.field(late, "Status") == "converged",
                "frame at t = %g is the steady state at step %s (got %s)" % (time, s_final, s_late))
        t.check(t.same_bits(late, final, "v") and t.same_bits(late, final, "u"),
                "frame at t = %g equals the single run bitwise" % time)
    t.check(t.steps_computed(steady) == s_final, "no steps computed past steady state")

    t.check(not messages.errors and not messages.warnings, "no errors or warnings")


t.run(main)
