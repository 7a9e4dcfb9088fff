// The end-of-run record (see run_summary.hpp) as a table and as JSON.
#include "etl/pipeline/run_summary.hpp"

#include <fmt/core.h>
#include <sys/resource.h>

#include <algorithm>

#include "etl/core/counted.hpp"
#include "etl/core/json_writer.hpp"
#include "etl/core/property_event.hpp"
#include "etl/pipeline/run_progress.hpp"

namespace etl {
namespace {

struct Row {
  std::string name;
  std::int64_t code = 0, hits = 0, discovered = 0, skipped = 0, fetched = 0, loaded = 0, failed = 0, removed = 0,
               shortfall = 0, listed = 0, listing_changes = 0, outside_scope = 0;
};

Row row_of(const MunicipalityCounters& m) {
  return Row{m.name,          m.code,         std::max<std::int64_t>(m.hits, 0), m.discovered, m.skipped, m.fetched,
             m.loaded,        m.failed,       m.removed,                          m.shortfall,
             m.listed,        m.listing_changes, m.outside_scope};
}

bool is_empty(const Row& r) {
  return r.hits == 0 && r.discovered == 0 && r.fetched == 0 && r.loaded == 0 && r.failed == 0 && r.removed == 0;
}

Row totals(const RunCounters& counters) {
  Row t{"TOTAL"};
  for (const auto& m : counters.municipalities) {
    const Row r = row_of(m);
    t.hits += r.hits;
    t.discovered += r.discovered;
    t.skipped += r.skipped;
    t.fetched += r.fetched;
    t.loaded += r.loaded;
    t.failed += r.failed;
    t.removed += r.removed;
    t.shortfall += r.shortfall;
    t.listed += r.listed;
    t.listing_changes += r.listing_changes;
    t.outside_scope += r.outside_scope;
  }
  return t;
}

void write_counts(JsonWriter& w, const Row& r) {
  w.field("hits", r.hits)
      .field("discovered", r.discovered)
      .field("skipped", r.skipped)
      .field("fetched", r.fetched)
      .field("loaded", r.loaded)
      .field("failed", r.failed)
      .field("removed", r.removed)
      .field("shortfall", r.shortfall)
      .field("listed", r.listed)
      .field("listing_changes", r.listing_changes)
      .field("listings_outside_scope", r.outside_scope);
}

// " new 12 listed 4": the events observed, by kind; " none" without any.
std::string event_counts(const RunCounters& counters) {
  std::string out;
  for (std::size_t k = 0; k < kEventKinds; ++k)
    if (const std::int64_t n = counters.events[k].load(); n > 0) out += fmt::format(" {} {}", kEventKindNames.names[k], n);
  return out.empty() ? " none" : out;
}

}  // namespace

void measure_resources(RunSummary& summary) {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  summary.peak_rss_kb = u.ru_maxrss;
  summary.cpu_s = static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
                  static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Loaded, split by what the merge found stored.
struct LoadSplit {
  std::int64_t added = 0, changed = 0, unchanged = 0;
};

LoadSplit load_split(const Row& totals, const RunCounters& counters) {
  LoadSplit out;
  out.added = counters.added.load();
  out.unchanged = counters.unchanged.load();
  out.changed = std::max<std::int64_t>(0, totals.loaded - out.added - out.unchanged);
  return out;
}


std::string summary_json(const RunSummary& s, const RunCounters& counters, const RunOptions& o) {
  const Row t = totals(counters);
  JsonWriter w;
  w.begin_object()
      .field("status", to_string(s.status))
      .field("error", s.error)
      .field("area", o.area_label)
      .field("refresh", o.refresh.to_string())
      .field("details", to_string(o.details))
      .field("shard", o.shard.to_string())
      .field("workers", o.workers)
      .field("max_rps", o.max_rps)
      .field("batch_size", static_cast<std::int64_t>(o.batch_size))
      .field("limit", o.limit)
      .field("limit_reached", s.limit_reached)
      .field("dry_run", o.dry_run);
  if (s.would_fetch >= 0) w.field("would_fetch", s.would_fetch);
  w.key("municipalities").begin_array();
  for (const auto& m : counters.municipalities) {
    const Row r = row_of(m);
    if (m.code == 0 && is_empty(r)) continue;
    w.begin_object().field("name", r.name).field("code", r.code);
    write_counts(w, r);
    w.field("partitions", static_cast<std::int64_t>(m.partitions)).field("discovery_complete", m.discovery_complete.load());
    w.end_object();
  }
  w.end_array();
  w.key("totals").begin_object();
  write_counts(w, t);
  const LoadSplit split = load_split(t, counters);
  w.field("new", split.added).field("changed", split.changed).field("unchanged", split.unchanged);
  w.field("data_notes", static_cast<std::int64_t>(counters.data_notes));
  w.end_object();
  w.key("events").begin_object();
  for (std::size_t k = 0; k < kEventKinds; ++k) w.field(kEventKindNames.names[k], counters.events[k].load());
  w.end_object();
  const double per_property = t.loaded > 0 ? static_cast<double>(s.http.requests) / static_cast<double>(t.loaded) : 0.0;
  w.key("api")
      .begin_object()
      .field("requests", s.http.requests)
      .field("retries", s.http.retries)
      .field("status_429", s.http.status_429)
      .field("status_403", s.http.status_403)
      .field("errors", s.http.errors)
      .field("bytes", s.http.bytes)
      .field("requests_per_loaded_property", per_property);
  w.key("requests_by_endpoint").begin_object();
  for (const auto& [endpoint, n] : s.http.requests_by_endpoint) w.field(endpoint, n);
  w.end_object().end_object();
  w.field("elapsed_s", s.elapsed_s)
      .field("properties_per_s", per_second(processed_count(counters), s.elapsed_s))
      .field("ids_checked_per_s", per_second(checked_count(counters), s.elapsed_s))
      .field("peak_rss_kb", s.peak_rss_kb)
      .field("cpu_s", s.cpu_s)
      .end_object();
  return w.str();
}

std::string summary_table(const RunSummary& s, const RunCounters& counters, const RunOptions& o) {
  // Without searches (import-json) there are no hits to show.
  const auto columns = [&](const auto& name, const auto& code, const auto& hits, const auto&... rest) {
    if (s.searched) return fmt::format("{:<20} {:>5} {:>8} {:>10} {:>8} {:>8} {:>8} {:>7} {:>8}\n", name, code, hits, rest...);
    return fmt::format("{:<20} {:>5} {:>10} {:>8} {:>8} {:>8} {:>7} {:>8}\n", name, code, rest...);
  };
  std::string out = columns("MUNICIPALITY", "CODE", "HITS", "DISCOVERED", "SKIPPED", "FETCHED", "LOADED", "FAILED", "REMOVED");
  const auto print = [&](const Row& r) {
    out += columns(r.name, r.code ? std::to_string(r.code) : "", r.hits, r.discovered, r.skipped, r.fetched, r.loaded,
                   r.failed, r.removed);
  };
  for (const auto& m : counters.municipalities) {
    const Row r = row_of(m);
    if (!is_empty(r)) print(r);
  }
  const Row t = totals(counters);
  print(t);
  // The rates are the progress line's (run_progress.hpp), over the whole run.
  out += fmt::format("status {} | {:.1f}s elapsed | {:.1f} properties/s", to_string(s.status), s.elapsed_s,
                     per_second(processed_count(counters), s.elapsed_s));
  if (s.searched) out += fmt::format(" fetched | {:.1f} IDs/s checked", per_second(checked_count(counters), s.elapsed_s));
  if (s.searched || s.http.requests > 0)
    out += fmt::format(" | {} ({}, {} x 429, {} x 403, {:.1f} MB)",
                       counted(s.http.requests, "API request", "API requests"), counted(s.http.retries, "retry", "retries"),
                       s.http.status_429, s.http.status_403, s.http.bytes / 1e6);
  out += fmt::format(" | peak RSS {:.0f} MB | CPU {:.1f}s", s.peak_rss_kb / 1024.0, s.cpu_s);
  if (s.searched) out += fmt::format(" | details {}", to_string(o.details));
  out += "\n";
  if (!s.http.requests_by_endpoint.empty()) {
    out += "requests by endpoint:";
    for (const auto& [endpoint, n] : s.http.requests_by_endpoint) out += fmt::format(" {} {}", endpoint, n);
    out += "\n";
  }
  const LoadSplit split = load_split(t, counters);
  if (t.loaded > 0 || t.removed > 0)
    out += fmt::format("loaded: {} new, {} changed, {} unchanged | events:{}\n", split.added, split.changed,
                       split.unchanged, event_counts(counters));
  if (const auto notes = counters.data_notes.load(); notes > 0)
    out += fmt::format("data-quality notes: {} stored as NULL or rounded in their typed columns, kept in "
                       "raw_json (--log-level debug lists them)\n",
                       counted(notes, "odd value", "odd values"));
  if (t.shortfall > 0)
    out += fmt::format("warning: discovery missed {} the API counted (see the log)\n",
                       counted(t.shortfall, "property", "properties"));
  if (s.would_fetch >= 0)
    out += fmt::format("dry run: {} would be fetched; nothing was written\n",
                       counted(s.would_fetch, "property", "properties"));
  if (!s.error.empty()) out += "error: " + s.error + "\n";
  return out;
}

std::string summary_line(const RunSummary& s, const RunCounters& counters) {
  const Row t = totals(counters);
  const LoadSplit split = load_split(t, counters);
  std::string out = fmt::format("{} loaded ({} new, {} changed, {} unchanged), ", t.loaded, split.added, split.changed,
                                split.unchanged);
  if (s.searched) out += fmt::format("{} skipped, ", t.skipped);
  out += fmt::format("{} failed, {} removed; events:{}", t.failed, t.removed, event_counts(counters));
  if (t.shortfall > 0) out += fmt::format("; discovery missed {}", t.shortfall);
  if (s.searched || s.http.requests > 0) out += fmt::format("; {} API requests", s.http.requests);
  return out;
}

}  // namespace etl
