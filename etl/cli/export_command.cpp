// `etl export NAME [--format csv|jsonl] [--area A | --municipality M...] [--since WHEN]
// [--out FILE]`: a stored table or view (loaders/export_reads.hpp names them) as CSV (RFC
// 4180 with a header) or JSON lines, streamed from the database cursor to the output, so
// memory stays flat for any size. Every dialect gives the same bytes for the same data:
// times as YYYY-MM-DDTHH:MM:SSZ, reals as the shortest text that reads back as the same
// number (a non-finite one, which JSON cannot write, as NULL), booleans true/false, NULL an
// empty field or null. Ctrl-C stops it (exit 130) and --out's file stays as it was.
#include <fmt/core.h>

#include <csignal>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "etl/cli/area_filter.hpp"
#include "etl/cli/command.hpp"
#include "etl/cli/exit_codes.hpp"
#include "etl/cli/output_file.hpp"
#include "etl/cli/since_option.hpp"
#include "etl/cli/stop_signals.hpp"
#include "etl/core/csv_writer.hpp"
#include "etl/core/enum_names.hpp"
#include "etl/core/json_writer.hpp"
#include "etl/core/name_match.hpp"
#include "etl/core/printable_text.hpp"
#include "etl/core/utc_time.hpp"
#include "etl/pipeline/batch_loader.hpp"
#include "loaders/store.hpp"

namespace etl::cli {
namespace {

enum class ExportFormat { csv, jsonl };  // --format
inline constexpr EnumNames<ExportFormat, 2> kExportFormatNames{{"csv", "jsonl"}};

struct ExportFlags {
  std::string db;
  std::string name;
  ExportFormat format = ExportFormat::csv;
  AreaFlags where;  // --area, --municipality, --config
  std::string since;
  std::string out;
};

std::vector<std::string> table_names() {
  std::vector<std::string> names;
  for (const ExportTable& t : export_tables()) names.emplace_back(t.name);
  return names;
}

const ExportTable& table_named(const std::string& name) {
  if (const ExportTable* t = find_export_table(name)) return *t;
  std::string list;
  for (const std::string& n : table_names()) list += (list.empty() ? "" : ", ") + n;
  throw UsageError(fmt::format("unknown table '{}'{} (one of {})", name, did_you_mean(name, table_names()), list));
}

// The names of the tables --since filters, with their time columns, for its error.
std::string timed_tables() {
  std::string out;
  for (const ExportTable& t : export_tables()) {
    if (!t.time_column.empty()) out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", t.name, t.time_column);
  }
  return out;
}

std::optional<std::int64_t> since_time(const ExportFlags& f, const ExportTable& table) {
  if (f.since.empty()) return std::nullopt;
  const Since since = parse_since(f.since, now_seconds());
  if (since.first_run) throw UsageError("--since: run:N is for `etl changes`; `etl export` takes a duration or a UTC time");
  if (table.time_column.empty())
    throw UsageError(fmt::format("--since: {} has no time to select rows by; it works for {}", table.name, timed_tables()));
  return since.time;
}

// A non-finite real (SQLite and PostgreSQL can hold infinity) has no JSON form: NULL in both formats.
bool is_null(const ExportValue& v) {
  return std::holds_alternative<std::monostate>(v) || (std::holds_alternative<double>(v) && !std::isfinite(std::get<double>(v)));
}

// A value's text where both formats write it alike: numbers, booleans, times.
std::string plain_text(const ExportValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return format_utc_time(std::get<ExportTime>(v).seconds).value_or("");
}

// Text cells as spreadsheet_text: no control character, never a formula (as `etl changes`).
void append_csv(std::string& line, const std::vector<ExportValue>& values) {
  std::vector<std::string> fields;
  fields.reserve(values.size());
  for (const ExportValue& v : values) {
    if (is_null(v)) {
      fields.emplace_back();
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      fields.push_back(spreadsheet_text(*s));
    } else {
      fields.push_back(plain_text(v));
    }
  }
  append_csv_record(line, fields);
}

void append_json(std::string& line, const ExportTable& table, const std::vector<ExportValue>& values) {
  line += '{';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) line += ',';
    line += json_quote(table.columns[i].name);
    line += ':';
    const ExportValue& v = values[i];
    if (is_null(v)) {
      line += "null";
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      line += json_quote(*s);
    } else if (std::holds_alternative<ExportTime>(v)) {
      line += json_quote(plain_text(v));
    } else {
      line += plain_text(v);
    }
  }
  line += "}\n";
}

struct Interrupted {
  int signal;
};

int run_export(const ExportFlags& f) {
  const ExportTable& table = table_named(f.name);
  ExportFilter filter;
  filter.since = since_time(f, table);
  filter.municipality_codes = municipality_codes(f.where);
  require_database(f.db);
  const std::unique_ptr<ReadStore> store = open_read_store(f.db);
  const std::atomic<int>& stop = install_stop_signals();
  OutputFile out(f.out);
  const bool csv = f.format == ExportFormat::csv;
  std::string line;
  if (csv) {
    std::vector<std::string> header;
    for (const ExportColumn& c : table.columns) header.emplace_back(c.name);
    append_csv_record(line, header);
    out.write(line);
  }
  try {
    store->export_rows(table, filter, [&](const std::vector<ExportValue>& values) {
      if (const int sig = stop.load()) throw Interrupted{sig};
      line.clear();
      if (csv) {
        append_csv(line, values);
      } else {
        append_json(line, table, values);
      }
      out.write(line);
    });
  } catch (const Interrupted& i) {
    return i.signal == SIGINT ? kExitSigint : kExitSigterm;  // the temporary file is removed
  }
  out.commit();
  return kExitOk;
}

}  // namespace

CommandAction add_export_command(CLI::App& app) {
  auto f = std::make_shared<ExportFlags>();
  std::string names, tables;
  for (const ExportTable& t : export_tables()) {
    names += fmt::format("{}{}", names.empty() ? "" : ", ", t.name);
    tables += fmt::format("; {}: {}", t.name, t.description);
  }
  CLI::App* sub = app.add_subcommand(
      "export", "A table or view (" + names + ") as CSV or JSON lines, streamed: flat memory for any size");
  add_db_option(*sub, f->db);
  sub->add_option("NAME", f->name, "The table or view to export" + tables)
      ->required()
      ->check(validator_from([](const std::string& v) { table_named(v); }, "NAME"));
  add_enum_option(*sub, "--format", f->format, kExportFormatNames,
                  "csv (RFC 4180 with a header; text cells never a formula) or jsonl (one JSON object a line)");
  add_area_options(*sub, f->where);
  sub->add_option("--since", f->since,
                  "Only rows since WHEN: a duration back from now (24h, 7d) or a UTC date or time; properties by "
                  "first_seen_at, property_events and price_cuts by observed_at")
      ->check(validator_from([](const std::string& v) { parse_since(v, 0); }, "WHEN"));
  sub->add_option("--out", f->out,
                  "Write to FILE (through a temporary file beside it, renamed when complete) instead of standard output")
      ->check(output_file());
  return [f] { return run_export(*f); };
}

}  // namespace etl::cli
