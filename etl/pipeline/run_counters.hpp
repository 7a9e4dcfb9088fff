// Live counters of one run, written by the pipeline stages and read by the progress
// reporter and the summary. Relaxed atomics: they are statistics, not synchronisation.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <string>

#include "etl/core/property_event.hpp"

namespace etl {

struct MunicipalityCounters {
  std::string name;
  std::int64_t code = 0;
  std::atomic<std::int64_t> hits{-1};  // totalHits, -1 until the first page arrives
  std::atomic<std::int64_t> discovered{0};
  std::atomic<std::int64_t> listed{0};    // open listings (/search/cases)
  std::atomic<std::int64_t> listing_changes{0};  // addresses whose listings changed since stored
  std::atomic<std::int64_t> skipped{0};   // already stored, not wanted by the refresh policy
  std::atomic<std::int64_t> queued{0};    // dedup sent it on to fetch (or to load, with --details never)
  std::atomic<std::int64_t> fetched{0};
  std::atomic<std::int64_t> loaded{0};
  std::atomic<std::int64_t> failed{0};
  std::atomic<std::int64_t> removed{0};
  std::atomic<std::int64_t> partitions{0};
  std::atomic<std::int64_t> shortfall{0};
  std::atomic<bool> discovery_complete{false};
  // The database held none of its properties (of the run's address types) when its
  // discovery began: its listings are a starting state, not news (no `listed` events).
  std::atomic<bool> first_import{false};
  std::atomic<std::int64_t> outside_scope{0};  // listed cases of another municipality or address type, skipped
};

struct RunCounters {
  // A deque keeps element addresses stable; the last entry collects retries of earlier failures.
  std::deque<MunicipalityCounters> municipalities;
  std::atomic<std::int64_t> added{0};      // loaded, not stored before
  std::atomic<std::int64_t> unchanged{0};  // loaded, but the payload was the same as stored
  std::array<std::atomic<std::int64_t>, kEventKinds> events{};  // property_events written, by EventKind
  std::atomic<std::int64_t> data_notes{0};  // odd values left empty or rounded (PropertyRecord::notes)
  // The index of the municipality being discovered: -1 before discovery, municipalities.size() after.
  std::atomic<std::int64_t> discovering{-1};

  std::int64_t total(std::atomic<std::int64_t> MunicipalityCounters::*field) const {
    std::int64_t sum = 0;
    for (const auto& m : municipalities) {
      const std::int64_t v = (m.*field).load(std::memory_order_relaxed);
      if (v > 0) sum += v;
    }
    return sum;
  }
};

}  // namespace etl
