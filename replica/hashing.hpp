// Deterministic hashing: every generated fact is a pure function of (seed, key...), so the
// replica holds no tables and a restart with the same seed serves the same data.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <string_view>

namespace replica {

// Distinct streams for unrelated decisions about the same property.
enum class Salt : std::uint64_t {
  feistel = 1, check, road, facts, payload, removal, listing, price, market_case,
  shared_sale, fault, uuid, case_feistel, case_check, listing_end, rental, lean, order,
};

constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

template <class... T>
constexpr std::uint64_t hash_of(T... parts) {
  std::uint64_t h = 0x243f6a8885a308d3ULL;
  ((h = mix64(h ^ (static_cast<std::uint64_t>(parts) + 0x9e3779b97f4a7c15ULL))), ...);
  return h;
}

constexpr std::uint64_t hash_string(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, then mixed for avalanche
  for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return mix64(h);
}

// Uniform in [0, 1).
constexpr double unit_interval(std::uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

// A sequence of draws from one key, for generating many fields of one object.
class Draws {
 public:
  explicit constexpr Draws(std::uint64_t key) : state_(key) {}
  constexpr std::uint64_t next() { return mix64(state_ += 0x9e3779b97f4a7c15ULL); }
  constexpr double uniform() { return unit_interval(next()); }
  constexpr bool chance(double p) { return uniform() < p; }
  // Standard normal (Box-Muller; 1 - uniform() is never 0).
  double normal() {
    const double r = std::sqrt(-2.0 * std::log(1.0 - uniform()));
    return r * std::cos(2.0 * std::numbers::pi * uniform());
  }
  // Inclusive range.
  constexpr std::int64_t range(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  template <class T>
  constexpr const T& pick(std::span<const T> items) {
    return items[next() % items.size()];
  }

 private:
  std::uint64_t state_;
};

}  // namespace replica
