// The paper's landscape: 7 x 7 (F 0.03-0.07, k 0.053-0.068), 4 initial conditions, 40,000 fixed
// steps, 128 x 128, logps. Prints the time and the cell updates per second. Not a test.
//   usage: gs-benchmark-landscape [steps]   (default 40000)
#include <gs/Landscape.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>

int main(int argc, char** argv)
{
  const long steps = argc > 1 ? std::atol(argv[1]) : 40000;
  gs::LandscapeSettings s;
  s.run = { 1.0, steps, 0.0 };
  s.axes[0] = { 2, 0.03, 0.07, 7 };
  s.axes[1] = { 3, 0.053, 0.068, 7 };
  s.losses = { gs::LossKind::LogPS };
  const auto t0 = std::chrono::steady_clock::now();
  const gs::Landscape land(s);
  std::vector<std::size_t> all(land.size());
  std::iota(all.begin(), all.end(), std::size_t{ 0 });
  std::vector<gs::LandscapePoint> out(land.size());
  land.compute(all, [&](std::size_t i, const gs::LandscapePoint& p) { out[i] = p; });
  const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double updates = (land.size() + 1.0) * s.initialConditions * s.grid.cells() * steps;
  std::printf(
    "7 x 7 landscape, 4 initial conditions, %ld steps, 128 x 128, logps: %.1f s, "
    "%.3e nominal cell updates/s (targets included; runs stop early only at exact fixed points)\n",
    steps, t, updates / t);
  for (int y = 6; y >= 0; --y)
  {
    std::printf("k = %.4f:", s.axes[1].value(y));
    for (int x = 0; x < 7; ++x)
    {
      std::printf(" %7.2f%c", out[x + 7 * y].losses[0],
        "DuSsMnB"[static_cast<int>(out[x + 7 * y].patternClass)]);
    }
    std::printf("\n");
  }
  std::printf("F:          ");
  for (int x = 0; x < 7; ++x)
  {
    std::printf(" %7.4f ", s.axes[0].value(x));
  }
  std::printf(
    "\n(class: D dead, u uniform, S spots, s stripes, M mixed, n unsettled, B blow-up)\n");
  return 0;
}
