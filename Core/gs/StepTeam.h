// Threads that share the time steps of one simulation. A step of a 128 x 128 grid takes about
// ten microseconds; forking and joining TBB tasks for every step costs about as much again.
// The team's helpers stay for the whole run and wait between steps on a spin, and each thread
// keeps its own part of the grid from step to step, so the part stays in that core's cache
// (handing parts out to whichever thread is free moved them between cores and ran at a third
// of one thread's rate).
#pragma once

#include "Grid.h"

#include <tbb/task_group.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>

namespace gs
{

/// The helpers a team for the steps of `grid` should have: none when a step is too short to
/// share with profit (below 8192 cells, or under 16 whole rows a thread), none on a TBB worker
/// thread (an outer parallel loop has the threads already; its calling thread may still get
/// helpers, which then join as they finish their own items), else one per further thread.
int stepHelpers(const Grid& grid);

class StepTeam
{
public:
  /// The caller and up to `helpers` helper threads.
  explicit StepTeam(int helpers);
  ~StepTeam();
  StepTeam(const StepTeam&) = delete;
  StepTeam& operator=(const StepTeam&) = delete;

  /// How many parts run() splits the work into: one per member.
  std::size_t parts() const { return Parts; }

  /// Runs work(i) for every part i in [0, parts()) once and returns when all are done. Part 0
  /// is the caller's, part j that of helper j; the caller also runs the part of any helper TBB
  /// has not started yet, so a missing helper delays nothing. Which thread runs a part must
  /// not change the result. Only the thread that made the team calls run(), one call at a
  /// time. If work throws, every part still finishes and run() rethrows the first exception.
  void run(const std::function<void(std::size_t)>& work);

private:
  void help(std::size_t part);
  /// Runs `part` for `generation` unless another thread has.
  void claim(std::size_t part, std::uint64_t generation);

  /// A member's part and whether it has started; each member on its own cache line.
  struct alignas(64) Member
  {
    std::atomic<std::uint64_t> claimed{ 0 }; // the last generation this part was run for
    std::atomic<bool> present{ false };
  };

  std::size_t Parts;
  std::unique_ptr<Member[]> Members;
  // What spinning helpers read, on one cache line; Done, which every part writes, on another.
  alignas(64) std::atomic<std::uint64_t> Generation{ 0 }; // a new value publishes a step
  std::atomic<const std::function<void(std::size_t)>*> Work{ nullptr };
  std::atomic<bool> Stop{ false };
  alignas(64) std::atomic<std::size_t> Done{ 0 };
  std::exception_ptr Failure;
  std::mutex FailureMutex;
  tbb::task_group Helpers;
};

} // namespace gs
