#include "Progress.h"

#include <algorithm>

namespace gs
{

Progress::Progress(Callback callback, double totalWork)
  : Report(std::move(callback))
  , Total(totalWork > 0.0 ? totalWork : 1.0)
  , Owner(std::this_thread::get_id())
{}

void Progress::add(double work)
{
  double done = Done.load(std::memory_order_relaxed);
  while (!Done.compare_exchange_weak(done, done + work, std::memory_order_relaxed))
  {}
  if (Report && std::this_thread::get_id() == Owner && Report(std::min(1.0, (done + work) / Total)))
  {
    abort();
  }
}

ProgressPart::ProgressPart(Progress* parent, double share)
  : Parent(parent)
  , Part(
      [this, share](double fraction) {
        Parent->add(share * Parent->total() * (fraction - Last));
        Last = fraction;
        return Parent->aborted();
      },
      parent ? parent->total() : 1.0)
{}

} // namespace gs
