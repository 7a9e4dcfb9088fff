// Request counters behind GET /__stats, so tests can prove what a client did.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace replica {

// Counted under requests.<name> in /__stats (see kEndpointNames).
enum class Endpoint { search, detail, other, search_cases, case_detail, municipalities, count };

class Stats {
 public:
  // Marks a search or detail request in progress for its lifetime (max_in_flight).
  class InFlight {
   public:
    explicit InFlight(Stats& stats);
    ~InFlight();
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

   private:
    Stats& stats_;
  };

  void record(Endpoint endpoint, int status);
  std::string to_json() const;
  void reset();

 private:
  static constexpr int kMinStatus = 100;
  static constexpr int kMaxStatus = 599;
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(Endpoint::count)> requests_{};
  std::array<std::atomic<std::uint64_t>, kMaxStatus - kMinStatus + 1> statuses_{};
  std::atomic<std::int64_t> in_flight_{0};
  std::atomic<std::int64_t> max_in_flight_{0};
};

}  // namespace replica
