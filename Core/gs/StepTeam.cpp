#include "StepTeam.h"

#include <tbb/task_arena.h>

#include <algorithm>
#include <thread>

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#endif

namespace gs
{

namespace
{

/// Live teams this thread owns. A thread that owns one never becomes a helper: waiting inside
/// a TBB algorithm (a loss's FFT, say), TBB may hand it its own team's helper task, which would
/// then wait for steps that only this thread can publish.
thread_local int teamsOwned = 0;

/// A short wait inside a spin: tells the core that this is a spin, and after a while gives the
/// processor to another thread, so that more teams than cores still make progress.
void relax(int& spins)
{
  if (++spins < 4096)
  {
#if defined(__SSE2__) || defined(_M_X64)
    _mm_pause();
#endif
  }
  else
  {
    std::this_thread::yield();
  }
}

} // namespace

int stepHelpers(const Grid& grid)
{
  constexpr std::size_t fewestCells = 8192, fewestRowsPerThread = 16;
  const std::size_t rows = static_cast<std::size_t>(grid.ny) * grid.nz;
  if (grid.cells() < fewestCells || rows < 2 * fewestRowsPerThread ||
    tbb::this_task_arena::current_thread_index() > 0)
  {
    return 0;
  }
  const std::size_t threads = std::max(1, tbb::this_task_arena::max_concurrency());
  return static_cast<int>(std::min(threads, rows / fewestRowsPerThread) - 1);
}

StepTeam::StepTeam(int helpers)
  : Parts(1 + static_cast<std::size_t>(helpers > 0 ? helpers : 0))
  , Members(new Member[Parts])
{
  ++teamsOwned;
  for (std::size_t j = 1; j < Parts; ++j)
  {
    Helpers.run([this, j] { help(j); });
  }
}

StepTeam::~StepTeam()
{
  Stop.store(true, std::memory_order_release);
  // A helper that never started runs here, sees Stop and returns.
  try
  {
    Helpers.wait();
  }
  catch (...)
  {
    // help() does not throw: claim() keeps the work's exceptions for run().
  }
  --teamsOwned;
}

void StepTeam::run(const std::function<void(std::size_t)>& work)
{
  Work.store(&work, std::memory_order_relaxed);
  Done.store(0, std::memory_order_relaxed);
  const std::uint64_t generation = Generation.load(std::memory_order_relaxed) + 1;
  Generation.store(generation, std::memory_order_release);
  claim(0, generation);
  for (std::size_t j = 1; j < Parts; ++j)
  {
    if (!Members[j].present.load(std::memory_order_acquire))
    {
      claim(j, generation);
    }
  }
  int spins = 0;
  while (Done.load(std::memory_order_acquire) < Parts)
  {
    relax(spins);
  }
  if (Failure)
  {
    std::exception_ptr failure = Failure;
    Failure = nullptr;
    std::rethrow_exception(failure);
  }
}

void StepTeam::claim(std::size_t part, std::uint64_t generation)
{
  std::atomic<std::uint64_t>& claimed = Members[part].claimed;
  std::uint64_t last = claimed.load(std::memory_order_acquire);
  // One claim per part and step succeeds: the helper's own, or the caller's for a helper that
  // has not started.
  if (last < generation &&
    claimed.compare_exchange_strong(last, generation, std::memory_order_acq_rel))
  {
    try
    {
      (*Work.load(std::memory_order_relaxed))(part);
    }
    catch (...)
    {
      // Every part still counts as done, so run() returns and rethrows the first failure.
      const std::lock_guard<std::mutex> lock(FailureMutex);
      if (!Failure)
      {
        Failure = std::current_exception();
      }
    }
    Done.fetch_add(1, std::memory_order_release);
  }
}

void StepTeam::help(std::size_t part)
{
  if (teamsOwned > 0)
  {
    return; // not present: the caller runs this part (see teamsOwned)
  }
  Members[part].present.store(true, std::memory_order_release);
  std::uint64_t seen = Members[part].claimed.load(std::memory_order_acquire);
  int spins = 0;
  while (!Stop.load(std::memory_order_acquire))
  {
    const std::uint64_t generation = Generation.load(std::memory_order_acquire);
    if (generation != seen)
    {
      claim(part, generation);
      seen = generation;
      spins = 0;
    }
    else
    {
      relax(spins);
    }
  }
}

} // namespace gs
