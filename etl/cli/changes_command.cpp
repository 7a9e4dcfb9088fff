// `etl changes [--since 24h|2026-11-30|'2026-11-30 06:00'|run:N] [--kind K,...]
// [--area A | --municipality M] [--format table|csv|json]`: the market's changes the runs
// observed (property_events), as a table as wide as the terminal (80 columns without one),
// CSV with a header, or one JSON object a line.
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "etl/cli/area_filter.hpp"
#include "etl/cli/command.hpp"
#include "etl/cli/exit_codes.hpp"
#include "etl/cli/since_option.hpp"
#include "etl/cli/table_text.hpp"
#include "etl/core/counted.hpp"
#include "etl/core/csv_writer.hpp"
#include "etl/core/errors.hpp"
#include "etl/core/json_writer.hpp"
#include "etl/core/printable_text.hpp"
#include "etl/core/text_columns.hpp"
#include "etl/core/utc_time.hpp"
#include "etl/pipeline/batch_loader.hpp"
#include "loaders/store.hpp"

namespace etl::cli {
namespace {

struct ChangesFlags {
  std::string db;
  std::string since = "24h";
  std::vector<std::string> kinds;
  AreaFlags where;  // --area, --municipality, --config
  TableFormat format = TableFormat::table;
};

std::string format_time(UnixTime t, const char* format = kUtcFormat) {
  return format_utc_time(t, format).value_or("?");
}

std::string opt_int(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : ""; }

// The table's CHANGE column: old -> new, what a sale fetched.
std::string change_text(const PropertyEvent& e) {
  switch (e.kind) {
    case EventKind::price_changed:
      return fmt::format("{}->{}{}", short_price(e.old_price), short_price(e.new_price),
                         e.percent ? fmt::format(" {:+.1f}%", *e.percent) : "");
    case EventKind::listed:
    case EventKind::relisted:
      return short_price(e.new_price);
    case EventKind::sold:
      return fmt::format("{} (ask {})", short_price(e.sale_amount), short_price(e.old_price));
    case EventKind::delisted:
      return fmt::format("was {}", short_price(e.old_price));
    case EventKind::new_:
    case EventKind::removed:
    case EventKind::returned:
      return "";  // the property's, not a listing's: no price to show
  }
  return "";
}

// API text, escaped: no control character reaches the terminal (printable_text.hpp).
std::string address_text(const EventRow& r) {
  std::string a = printable(r.road.empty() ? r.event.address_id : r.road);
  if (r.zip_code) a += fmt::format(", {}", *r.zip_code);
  return a;
}

enum Column : std::size_t { kWhen, kKind, kAddress, kMunicipality, kChange, kColumns };
using TableRow = std::array<std::string, kColumns>;

// Each column as wide as its widest cell, then, while the line is wider than `width`, the
// wider name (address, municipality) loses a column, down to 8, then the kind, down to 4. The
// time and the CHANGE column's numbers are never cut: past that the line is wider than `width`.
std::array<std::size_t, kColumns> column_widths(const std::vector<TableRow>& rows, std::size_t width) {
  std::array<std::size_t, kColumns> w{};
  for (const TableRow& r : rows)
    for (std::size_t c = 0; c < kColumns; ++c) w[c] = std::max(w[c], text_columns(r[c]));
  const auto total = [&] { return w[kWhen] + w[kKind] + w[kAddress] + w[kMunicipality] + w[kChange] + kColumns - 1; };
  constexpr std::size_t kShortestName = 8, kShortestKind = 4;
  while (total() > width) {
    const Column wider = w[kAddress] >= w[kMunicipality] ? kAddress : kMunicipality;
    if (w[wider] > kShortestName) {
      --w[wider];
    } else if (w[kKind] > kShortestKind) {
      --w[kKind];
    } else {
      break;
    }
  }
  return w;
}

void print_table(const std::vector<EventRow>& events, const std::string& since) {
  std::vector<TableRow> rows{{"WHEN (UTC)", "KIND", "ADDRESS", "MUNICIPALITY", "CHANGE"}};
  for (const EventRow& r : events)
    rows.push_back({format_time(r.event.time, "%m-%d %H:%M"), std::string(to_string(r.event.kind)), address_text(r),
                    printable(r.municipality), change_text(r.event)});
  const auto widths = column_widths(rows, table_width());
  for (const TableRow& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < kColumns; ++c) line += (c ? " " : "") + cell(r[c], widths[c]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    fmt::print("{}\n", line);
  }
  fmt::print("{} since {}\n", counted(events.size(), "change", "changes"), since);
}

constexpr const char* kCsvHeader =
    "observed_at,kind,address_id,address,zip_code,city,municipality_code,municipality,case_id,old_price,new_price,"
    "percent,sale_amount,sale_date,run_id";

void print_csv(const std::vector<EventRow>& rows) {
  fmt::print("{}\r\n", kCsvHeader);
  for (const EventRow& r : rows) {
    const PropertyEvent& e = r.event;
    const std::vector<std::string> fields{
        format_time(e.time), std::string(to_string(e.kind)), spreadsheet_text(e.address_id),
        spreadsheet_text(r.road), opt_int(r.zip_code), spreadsheet_text(r.city), opt_int(r.municipality_code),
        spreadsheet_text(r.municipality), spreadsheet_text(e.case_id.value_or("")), opt_int(e.old_price),
        opt_int(e.new_price), e.percent ? fmt::format("{:.2f}", *e.percent) : "", opt_int(e.sale_amount),
        spreadsheet_text(e.sale_date.value_or("")), opt_int(e.run_id)};
    std::string line;
    append_csv_record(line, fields);
    fmt::print("{}", line);
  }
}

template <class T>
void field_or_null(JsonWriter& w, const char* key, const std::optional<T>& v) {
  w.key(key);
  if (v) {
    w.value(*v);
  } else {
    w.null();
  }
}

void print_json_lines(const std::vector<EventRow>& rows) {
  for (const EventRow& r : rows) {
    const PropertyEvent& e = r.event;
    JsonWriter w;
    w.begin_object().field("observed_at", format_time(e.time));
    w.field("kind", std::string(to_string(e.kind))).field("address_id", e.address_id).field("address", r.road);
    field_or_null(w, "zip_code", r.zip_code);
    w.field("city", r.city);
    field_or_null(w, "municipality_code", r.municipality_code);
    w.field("municipality", r.municipality);
    field_or_null(w, "case_id", e.case_id);
    field_or_null(w, "old_price", e.old_price);
    field_or_null(w, "new_price", e.new_price);
    field_or_null(w, "percent", e.percent);
    field_or_null(w, "sale_amount", e.sale_amount);
    field_or_null(w, "sale_date", e.sale_date);
    field_or_null(w, "run_id", e.run_id);
    w.end_object();
    fmt::print("{}\n", w.str());
  }
}

int run_changes(const ChangesFlags& f) {
  EventFilter filter;
  const Since since = parse_since(f.since, now_seconds());
  filter.since = since.time;
  filter.first_run = since.first_run;
  for (const std::string& k : f.kinds) filter.kinds.push_back(*kEventKindNames.parse(k));  // checked while parsing
  filter.municipality_codes = municipality_codes(f.where);
  require_database(f.db);
  const std::vector<EventRow> rows = open_read_store(f.db)->events(filter);
  switch (f.format) {
    case TableFormat::table:
      print_table(rows, f.since);
      break;
    case TableFormat::csv:
      print_csv(rows);
      break;
    case TableFormat::json:
      print_json_lines(rows);
      break;
  }
  return kExitOk;
}

}  // namespace

CommandAction add_changes_command(CLI::App& app) {
  auto f = std::make_shared<ChangesFlags>();
  CLI::App* sub = app.add_subcommand(
      "changes", "What the market did, as the runs observed it: new, listed, price_changed, delisted, sold, removed, "
                 "returned, relisted");
  add_db_option(*sub, f->db);
  sub->add_option("--since", f->since, since_forms())
      ->capture_default_str()
      ->check(validator_from([](const std::string& v) { parse_since(v, 0); }, "WHEN"));
  const std::vector<std::string> kinds(kEventKindNames.names.begin(), kEventKindNames.names.end());
  sub->add_option("--kind", f->kinds, "Only these kinds, comma-separated, e.g. listed,price_changed")
      ->delimiter(',')
      ->check(one_of(kinds));
  add_area_options(*sub, f->where);
  add_enum_option(*sub, "--format", f->format, kTableFormatNames,
                  "table (as wide as the terminal or $COLUMNS, 80 without either; names are shortened to fit, never "
                  "numbers; prices in k/M), csv (RFC 4180 with a header, whole numbers) or json (one object a line)");
  return [f] { return run_changes(*f); };
}

}  // namespace etl::cli
