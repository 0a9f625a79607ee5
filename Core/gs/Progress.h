// Progress and abort for long Core work, without VTK: the caller passes a callback that
// shows progress and answers whether to stop; Core reports work from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace gs
{

class Progress
{
public:
  /// Called with the finished fraction in [0, 1]; returns true to request an abort.
  /// It is only ever called on the thread that constructed this object, so a VTK
  /// wrapper may call UpdateProgress and CheckAbort from it.
  using Callback = std::function<bool(double)>;

  explicit Progress(Callback callback = {}, double totalWork = 1.0);

  /// Adds finished work (thread-safe) and, on the owning thread, reports it.
  void add(double work);
  /// True once the callback asked to stop; cheap, safe from any thread.
  bool aborted() const { return Aborted.load(std::memory_order_relaxed); }
  /// Requests a stop from code that found a reason to (thread-safe).
  void abort() { Aborted.store(true, std::memory_order_relaxed); }
  double total() const { return Total; }

private:
  Callback Report;
  double Total;
  std::atomic<double> Done{ 0.0 };
  std::atomic<bool> Aborted{ false };
  std::thread::id Owner;
};

/// A share of a parent's work: a Progress of the parent's total whose work moves the parent by
/// `share` of it, and which stops when the parent does. get() is null without a parent.
class ProgressPart
{
public:
  ProgressPart(Progress* parent, double share);
  Progress* get() { return Parent ? &Part : nullptr; }

private:
  Progress* Parent;
  double Last = 0.0;
  Progress Part;
};

} // namespace gs
