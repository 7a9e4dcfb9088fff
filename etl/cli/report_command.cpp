// `etl report [--area NAME | --municipality NAME...] [--since 90d] --out market.html`: the
// market as one self-contained HTML page (etl/report): headline numbers, charts by
// municipality and by week, price against area, the listings by their coordinates, the
// largest price cuts. Reads only; the page is written whole or not at all.
#include <fmt/core.h>

#include <memory>
#include <string>
#include <vector>

#include "etl/cli/area_filter.hpp"
#include "etl/cli/command.hpp"
#include "etl/cli/exit_codes.hpp"
#include "etl/cli/output_file.hpp"
#include "etl/cli/since_option.hpp"
#include "etl/core/counted.hpp"
#include "etl/core/errors.hpp"
#include "etl/core/utc_time.hpp"
#include "etl/pipeline/batch_loader.hpp"
#include "etl/report/chart_library.hpp"
#include "etl/report/report_page.hpp"
#include "loaders/store.hpp"

namespace etl::cli {
namespace {

// The 20 largest price cuts of the period, as a table.
constexpr std::size_t kLargestCuts = 20;

struct ReportFlags {
  std::string db;
  AreaFlags where;  // --area, --municipality, --config
  std::string since = "90d";
  std::string out;
};

// --since as `etl changes` takes it, but a time: the period has no run:N.
UnixTime since_time(const std::string& text, UnixTime now) {
  const Since since = parse_since(text, now);
  if (since.first_run) throw UsageError("--since: run:N is for `etl changes`; `etl report` takes a duration or a UTC time");
  return *since.time;
}

// What the page is of: the area, the municipalities as the database names them, or all.
std::string area_name(const ReportFlags& f, const std::vector<MarketRow>& market) {
  if (!f.where.area.empty()) return f.where.area;
  if (f.where.municipalities.empty()) return "every municipality stored";
  std::string names;
  for (const MarketRow& r : market)
    if (r.municipality_code != 0) names += (names.empty() ? "" : ", ") + r.municipality;
  return names;
}

int run_report(const ReportFlags& f) {
  MarketReport report;
  report.generated_at = now_seconds();
  report.since = since_time(f.since, report.generated_at);
  MarketFilter filter;
  filter.now = report.generated_at;
  filter.municipality_codes = municipality_codes(f.where);
  const std::string chart_js = read_chart_library();  // before the database: a missing package fails fast
  require_database(f.db);
  const auto store = open_read_store(f.db);
  report.market = store->market(filter);
  report.weeks = store->weekly_activity(filter, report.since);
  report.listings = store->listings(filter);
  report.largest_cuts = store->largest_price_cuts(filter, report.since, kLargestCuts);
  report.area = area_name(f, report.market);
  const std::string page = report_page(report, chart_js);
  OutputFile out(f.out);
  out.write(page);
  out.commit();
  if (f.out == "-") return kExitOk;
  const std::size_t municipalities = report.market.empty() ? 0 : report.market.size() - 1;
  fmt::print("wrote {} ({} KB): {}, {}, {} since {}; open it in a browser (it needs no network)\n", f.out,
             (page.size() + 1023) / 1024, counted(municipalities, "municipality", "municipalities"),
             counted(report.listings.size(), "open listing", "open listings"),
             counted(report.weeks.size(), "week", "weeks"), format_utc_time(report.since, "%Y-%m-%d").value_or("?"));
  return kExitOk;
}

}  // namespace

CommandAction add_report_command(CLI::App& app) {
  auto f = std::make_shared<ReportFlags>();
  CLI::App* sub = app.add_subcommand(
      "report",
      "The market as one HTML page, readable offline and mailable: headline numbers, median price per m\u00b2 and "
      "listings by municipality, new listings, price cuts and sales per week, price against living area, the open "
      "listings by their coordinates, the 20 largest price cuts with links");
  sub->footer("Example:\n  $ etl report --area copenhagen --since 12w --out market.html");
  add_db_option(*sub, f->db);
  add_area_options(*sub, f->where);
  sub->add_option("--since", f->since,
                  fmt::format("The period of the weekly chart and the price cuts: a duration back from now (90d, 12w) "
                              "or a UTC date or time ({})", kTypedUtcForms))
      ->capture_default_str()
      ->check(validator_from([](const std::string& v) { since_time(v, 0); }, "WHEN"));
  sub->add_option("--out", f->out,
                  "The HTML file (written to a new temporary file beside it, then renamed: never half a page); "
                  "- is standard output")
      ->required()
      ->check(output_file());
  return [f] { return run_report(*f); };
}

}  // namespace etl::cli
