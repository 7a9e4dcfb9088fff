#include <fmt/core.h>

#include <ctime>
#include <memory>

#include "etl/cli/command.hpp"
#include "etl/cli/exit_codes.hpp"
#include "loaders/store.hpp"

namespace etl::cli {
namespace {

std::string format_time(std::optional<UnixTime> t) {
  if (!t) return "-";
  const std::time_t tt = static_cast<std::time_t>(*t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%SZ", &tm);
  return buf;
}

int run_status(const std::string& db) {
  const auto store = open_store(db);
  fmt::print("database {} ({})\n\n", redact_db_url(db), store->dialect());

  const auto counts = store->property_counts();
  fmt::print("{:<20} {:>5} {:>10} {:>10} {:>8}\n", "MUNICIPALITY", "CODE", "PROPERTIES", "ON MARKET", "REMOVED");
  MunicipalityCount total{0, "TOTAL", 0, 0, 0};
  for (const MunicipalityCount& c : counts) {
    fmt::print("{:<20} {:>5} {:>10} {:>10} {:>8}\n", c.name, c.code, c.properties, c.on_market, c.removed);
    total.properties += c.properties;
    total.on_market += c.on_market;
    total.removed += c.removed;
  }
  fmt::print("{:<20} {:>5} {:>10} {:>10} {:>8}\n\n", total.name, "", total.properties, total.on_market, total.removed);

  fmt::print("last runs:\n");
  for (const RunRow& r : store->recent_runs(5))
    fmt::print("  #{:<5} {}  {:<24} {}\n", r.id, format_time(r.started_at), r.status, r.command);

  const auto failures = store->pending_failures(1'000'000);
  fmt::print("\npending failures: {} (retried by the next run)\n", failures.size());
  for (std::size_t i = 0; i < failures.size() && i < 10; ++i)
    fmt::print("  {}  {}  {} (attempts {})\n", failures[i].address_id, failures[i].stage, failures[i].reason,
               failures[i].attempts);
  return kExitOk;
}

}  // namespace

CommandAction add_status_command(CLI::App& app) {
  auto db = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "status", "What the database holds: properties per municipality, on market, removed, last runs, pending failures");
  add_db_option(*sub, *db);
  return [db] { return run_status(*db); };
}

}  // namespace etl::cli
