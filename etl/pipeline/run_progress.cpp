#include "etl/pipeline/run_progress.hpp"

#include <algorithm>

namespace etl {
namespace {

std::int64_t value(const std::atomic<std::int64_t>& a) { return std::max<std::int64_t>(a.load(std::memory_order_relaxed), 0); }

std::int64_t processed(const MunicipalityCounters& m) { return value(m.loaded) + value(m.failed) + value(m.removed); }

}  // namespace

double per_second(std::int64_t count, double elapsed_s) {
  return elapsed_s > 0 ? static_cast<double>(count) / elapsed_s : 0.0;
}

std::int64_t processed_count(const RunCounters& counters) {
  std::int64_t n = 0;
  for (const auto& m : counters.municipalities) n += processed(m);
  return n;
}

std::int64_t checked_count(const RunCounters& counters) {
  return counters.total(&MunicipalityCounters::discovered) + counters.total(&MunicipalityCounters::listed);
}

std::optional<double> estimate_eta(std::int64_t unchecked, std::int64_t queued_unsettled, double fetch_share,
                                   double processed_per_s, double checked_per_s) {
  const double fetches = static_cast<double>(queued_unsettled) + static_cast<double>(unchecked) * fetch_share;
  double eta = 0;
  if (fetches > 0) {
    if (processed_per_s <= 0) return std::nullopt;
    eta = fetches / processed_per_s;
  }
  if (unchecked > 0) {
    if (checked_per_s <= 0) return std::nullopt;
    eta = std::max(eta, static_cast<double>(unchecked) / checked_per_s);
  }
  return eta;
}

RunProgress run_progress(const RunCounters& counters, double elapsed_s, const RecentRates& recent, std::int64_t limit,
                         std::int64_t retries) {
  RunProgress p;
  p.elapsed_s = elapsed_s;
  p.retries = retries;
  const std::int64_t discovering = counters.discovering.load(std::memory_order_relaxed);
  std::int64_t unchecked = 0, queued_unsettled = 0, queued = 0;
  for (std::size_t i = 0; i < counters.municipalities.size(); ++i) {
    const MunicipalityCounters& m = counters.municipalities[i];
    p.skipped += value(m.skipped);
    p.loaded += value(m.loaded);
    p.failed += value(m.failed);
    queued += value(m.queued);
    // Retried failures go straight to fetch, never through dedup: not queued, so clamped.
    queued_unsettled += std::max<std::int64_t>(value(m.queued) - processed(m), 0);
    if (m.code == 0) continue;  // the row of earlier failures has no search
    ++p.municipalities;
    if (static_cast<std::int64_t>(i) == discovering) {
      p.discovering = m.name;
      p.discovering_number = i + 1;
    }
    const std::int64_t hits = m.hits.load(std::memory_order_relaxed);
    if (hits < 0 && static_cast<std::int64_t>(i) >= discovering) continue;  // not counted yet
    ++p.counted;
    if (hits >= 0) unchecked += std::max<std::int64_t>(hits - value(m.discovered), 0);
  }
  const std::int64_t checked = checked_count(counters);
  p.processed_per_s = per_second(processed_count(counters), elapsed_s);
  p.checked_per_s = per_second(checked, elapsed_s);
  const double processed_rate = recent.processed_per_s.value_or(p.processed_per_s);
  const double checked_rate = recent.checked_per_s.value_or(p.checked_per_s);
  if (limit > 0) {
    // The run stops when the limit is taken: what is left is fetches, however many IDs remain.
    p.done = p.loaded + p.failed;
    p.total = std::max(limit, p.done);
    p.total_known = true;
    p.eta_s = estimate_eta(0, p.total - p.done, 0, processed_rate, checked_rate);
    return p;
  }
  p.done = p.skipped + processed_count(counters);
  p.total = p.done + queued_unsettled + unchecked;
  p.total_known = p.counted == p.municipalities;
  // Until an ID is checked, assume each needs a fetch (a first import).
  const double fetch_share = checked > 0 ? std::min(1.0, static_cast<double>(queued) / static_cast<double>(checked)) : 1.0;
  p.eta_s = estimate_eta(unchecked, queued_unsettled, fetch_share, processed_rate, checked_rate);
  return p;
}

}  // namespace etl
