// A file of finished landscape points, so a long sweep survives an interruption (even kill -9)
// and a rerun computes only the points still missing.
//
// The file is a sequence of self-checking records, appended with one write() each:
//   magic, fingerprint, point index, word count n, n payload words, checksum
// (64-bit words in the machine's byte order). A record cut short by a kill, or damaged, fails
// its checksum and is skipped; reading resynchronises on the next magic word. Records of other
// sweeps (other fingerprints) may share a file and are ignored. Processes that append to one
// file (MPI ranks) do not disturb each other: O_APPEND places every record whole at the end.
#pragma once

#include "Landscape.h"

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace gs
{

class LandscapeCache
{
public:
  /// Opens or creates `path` and reads the points stored for `fingerprint`, each with
  /// `losses` loss values. Throws gs::Error naming the file when it cannot be opened.
  LandscapeCache(const std::string& path, std::uint64_t fingerprint, std::size_t losses);
  ~LandscapeCache();
  LandscapeCache(const LandscapeCache&) = delete;
  LandscapeCache& operator=(const LandscapeCache&) = delete;

  /// The stored point, if any.
  bool find(std::size_t index, LandscapePoint& point) const;
  std::size_t size() const { return Points.size(); }
  /// Appends a finished point; thread-safe. Throws gs::Error when the write fails.
  void store(std::size_t index, const LandscapePoint& point);

  /// Records in the file that were skipped as damaged (a kill during a write leaves one).
  std::size_t damagedRecords() const { return Damaged; }

private:
  std::vector<std::uint64_t> encode(std::size_t index, const LandscapePoint& point) const;

  std::string Path;
  std::uint64_t Fingerprint;
  std::size_t Losses;
  int Fd = -1;
  std::mutex WriteMutex;
  std::unordered_map<std::size_t, std::vector<std::uint64_t>> Points; // index -> payload
  std::size_t Damaged = 0;
};

} // namespace gs
