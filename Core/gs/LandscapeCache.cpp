#include "LandscapeCache.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gs
{

namespace
{

constexpr std::uint64_t Magic = 0x31504e4c53534723ull; // "#GSSLNP1" read little-endian
constexpr std::size_t HeaderWords = 4;                 // magic, fingerprint, index, count
constexpr std::uint64_t MaxPayload = 1u << 16;

std::uint64_t bits(double x)
{
  std::uint64_t w;
  std::memcpy(&w, &x, sizeof w);
  return w;
}

double fromBits(std::uint64_t w)
{
  double x;
  std::memcpy(&x, &w, sizeof x);
  return x;
}

/// FNV-1a over the words, then a final mix so one flipped bit changes many.
std::uint64_t checksum(const std::uint64_t* w, std::size_t n)
{
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (std::size_t i = 0; i < n; ++i)
  {
    for (int b = 0; b < 8; ++b)
    {
      h = (h ^ ((w[i] >> (8 * b)) & 0xffu)) * 0x100000001b3ull;
    }
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

std::string systemError(const std::string& what, const std::string& path)
{
  return what + " the landscape cache file '" + path + "': " + std::strerror(errno) + ".";
}

} // namespace

LandscapeCache::LandscapeCache(
  const std::string& path, std::uint64_t fingerprint, std::size_t losses)
  : Path(path)
  , Fingerprint(fingerprint)
  , Losses(losses)
{
  if (path.empty())
  {
    throw Error("The landscape cache file name is empty.");
  }
  Fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (Fd < 0)
  {
    throw Error(systemError("Cannot open", path));
  }
  struct stat st;
  if (::fstat(Fd, &st) != 0 || !S_ISREG(st.st_mode))
  {
    ::close(Fd);
    Fd = -1;
    throw Error("The landscape cache '" + path + "' is not a regular file.");
  }
  std::vector<unsigned char> bytes(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < bytes.size())
  {
    const ssize_t n = ::pread(Fd, bytes.data() + got, bytes.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR)
    {
      continue;
    }
    if (n <= 0)
    {
      const std::string msg = systemError("Cannot read", path);
      ::close(Fd);
      Fd = -1;
      throw Error(msg);
    }
    got += static_cast<std::size_t>(n);
  }

  // Scan for records; a damaged one is skipped byte by byte up to the next intact record.
  const std::size_t size = bytes.size();
  std::size_t pos = 0;
  bool inDamage = false;
  std::vector<std::uint64_t> words;
  while (pos + 8 * (HeaderWords + 1) <= size)
  {
    std::uint64_t head[HeaderWords];
    std::memcpy(head, bytes.data() + pos, sizeof head);
    bool ok =
      head[0] == Magic && head[3] <= MaxPayload && pos + 8 * (HeaderWords + head[3] + 1) <= size;
    if (ok)
    {
      const std::size_t n = HeaderWords + static_cast<std::size_t>(head[3]);
      words.resize(n + 1);
      std::memcpy(words.data(), bytes.data() + pos, 8 * (n + 1));
      ok = checksum(words.data(), n) == words[n];
      if (ok)
      {
        if (head[1] == Fingerprint && head[3] == Losses + 8)
        {
          Points[static_cast<std::size_t>(head[2])].assign(
            words.begin() + HeaderWords, words.begin() + n);
        }
        pos += 8 * (n + 1);
        inDamage = false;
        continue;
      }
    }
    if (!inDamage)
    {
      ++Damaged;
      inDamage = true;
    }
    ++pos;
  }
  if (pos < size && !inDamage)
  {
    ++Damaged; // a cut-off tail
  }
}

LandscapeCache::~LandscapeCache()
{
  if (Fd >= 0)
  {
    ::close(Fd);
  }
}

std::vector<std::uint64_t> LandscapeCache::encode(std::size_t index, const LandscapePoint& p) const
{
  std::vector<std::uint64_t> w = { Magic, Fingerprint, index, Losses + 8 };
  for (std::size_t l = 0; l < Losses; ++l)
  {
    w.push_back(bits(l < p.losses.size() ? p.losses[l] : std::nan("")));
  }
  w.push_back(static_cast<std::uint64_t>(p.steps));
  w.push_back(p.converged ? 1u : 0u);
  w.push_back(static_cast<std::uint64_t>(p.patternClass));
  w.push_back(bits(p.meanV));
  for (double g : p.gradient)
  {
    w.push_back(bits(g));
  }
  w.push_back(checksum(w.data(), w.size()));
  return w;
}

bool LandscapeCache::find(std::size_t index, LandscapePoint& p) const
{
  const auto it = Points.find(index);
  if (it == Points.end())
  {
    return false;
  }
  const std::vector<std::uint64_t>& w = it->second;
  p.losses.resize(Losses);
  for (std::size_t l = 0; l < Losses; ++l)
  {
    p.losses[l] = fromBits(w[l]);
  }
  p.steps = static_cast<std::int64_t>(w[Losses]);
  p.converged = w[Losses + 1] != 0;
  p.patternClass = static_cast<PatternClass>(w[Losses + 2]);
  p.meanV = fromBits(w[Losses + 3]);
  for (int c = 0; c < 4; ++c)
  {
    p.gradient[c] = fromBits(w[Losses + 4 + c]);
  }
  return true;
}

void LandscapeCache::store(std::size_t index, const LandscapePoint& point)
{
  const std::vector<std::uint64_t> w = encode(index, point);
  const unsigned char* data = reinterpret_cast<const unsigned char*>(w.data());
  std::size_t left = 8 * w.size();
  std::lock_guard<std::mutex> lock(WriteMutex);
  while (left > 0)
  {
    const ssize_t n = ::write(Fd, data, left);
    if (n < 0 && errno == EINTR)
    {
      continue;
    }
    if (n <= 0)
    {
      throw Error(systemError("Cannot write to", Path));
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
}

} // namespace gs
