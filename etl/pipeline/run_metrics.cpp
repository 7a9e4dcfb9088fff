#include "etl/pipeline/run_metrics.hpp"

#include <fmt/format.h>

#include <string_view>

namespace etl {
namespace {

// A label value as the text format wants it: backslash, double quote and newline escaped.
std::string label(std::string_view v) {
  std::string out;
  for (const char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

class MetricsText {
 public:
  // Starts a metric family: its HELP and TYPE lines.
  MetricsText& family(std::string_view name, std::string_view help) {
    name_ = name;
    text_ += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
    return *this;
  }
  MetricsText& sample(double value) {
    text_ += fmt::format("{} {}\n", name_, value);
    return *this;
  }
  MetricsText& sample(std::string_view key, std::string_view value, double v) {
    text_ += fmt::format("{}{{{}=\"{}\"}} {}\n", name_, key, label(value), v);
    return *this;
  }
  MetricsText& sample(std::string_view key1, std::string_view value1, std::string_view key2, std::string_view value2,
                      double v) {
    text_ += fmt::format("{}{{{}=\"{}\",{}=\"{}\"}} {}\n", name_, key1, label(value1), key2, label(value2), v);
    return *this;
  }
  MetricsText& text_line(const std::string& line) {
    text_ += line + "\n";
    return *this;
  }
  std::string take() { return std::move(text_); }

 private:
  std::string name_;
  std::string text_;
};

}  // namespace

std::string run_metrics(const RunSummary& s, const RunCounters& counters, const RunOptions& o, UnixTime finished_at,
                        std::optional<UnixTime> last_success) {
  MetricsText m;
  m.family("propetl_run_info", "The last run: its area, refresh policy and details mode (always 1).");
  m.text_line(fmt::format("propetl_run_info{{area=\"{}\",refresh=\"{}\",details=\"{}\"}} 1", label(o.area_label),
                          label(o.refresh.to_string()), to_string(o.details)));
  m.family("propetl_run_status", "1 for the status the last run ended with, 0 for the others.");
  for (const RunStatus status : {RunStatus::completed, RunStatus::completed_with_failures, RunStatus::interrupted,
                                 RunStatus::failed})  // the statuses a run ends with
    m.sample("status", to_string(status), s.status == status ? 1 : 0);
  m.family("propetl_run_finished_timestamp_seconds", "When the last run ended (Unix time).").sample(finished_at);
  m.family("propetl_last_success_timestamp_seconds",
           "When the last run that completed (failures recorded or not) ended (Unix time; 0 if none did).")
      .sample(static_cast<double>(last_success.value_or(0)));
  m.family("propetl_run_duration_seconds", "How long the last run took.").sample(s.elapsed_s);
  m.family("propetl_run_cpu_seconds", "CPU time the last run used.").sample(s.cpu_s);
  m.family("propetl_run_peak_rss_bytes", "The last run's peak resident memory.").sample(1024.0 * s.peak_rss_kb);
  m.family("propetl_run_properties", "Properties of the last run by outcome.");
  using C = std::atomic<std::int64_t> MunicipalityCounters::*;
  const std::pair<const char*, C> outcomes[] = {
      {"discovered", &MunicipalityCounters::discovered}, {"listed", &MunicipalityCounters::listed},
      {"listing_changes", &MunicipalityCounters::listing_changes}, {"skipped", &MunicipalityCounters::skipped},
      {"fetched", &MunicipalityCounters::fetched}, {"loaded", &MunicipalityCounters::loaded},
      {"failed", &MunicipalityCounters::failed}, {"removed", &MunicipalityCounters::removed},
      {"shortfall", &MunicipalityCounters::shortfall}};
  for (const auto& [name, field] : outcomes) m.sample("outcome", name, static_cast<double>(counters.total(field)));
  m.sample("outcome", "unchanged", static_cast<double>(counters.unchanged.load()));
  m.sample("outcome", "data_notes", static_cast<double>(counters.data_notes.load()));
  m.family("propetl_run_requests", "API requests (every attempt) of the last run by endpoint.");
  for (const auto& [endpoint, n] : s.http.requests_by_endpoint) m.sample("endpoint", endpoint, static_cast<double>(n));
  m.family("propetl_run_answers", "Answered attempts of the last run by endpoint and HTTP status (error: none).");
  for (const auto& [endpoint, by_status] : s.http.answers_by_endpoint)
    for (const auto& [status, n] : by_status) m.sample("endpoint", endpoint, "status", status, static_cast<double>(n));
  m.family("propetl_run_responses", "Answers of the last run that were not a plain success, by kind.");
  m.sample("kind", "retry", static_cast<double>(s.http.retries));
  m.sample("kind", "429", static_cast<double>(s.http.status_429));
  m.sample("kind", "403", static_cast<double>(s.http.status_403));
  m.sample("kind", "transport_or_5xx", static_cast<double>(s.http.errors));
  m.family("propetl_run_response_bytes", "Response bytes the last run received.").sample(static_cast<double>(s.http.bytes));
  return m.take();
}

}  // namespace etl
