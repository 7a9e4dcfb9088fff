// `etl export` (issue 36) on real SQLite files and a real PostgreSQL server: each table and
// view exports exactly its rows and columns (against SQL of the database itself), CSV parses
// back as RFC 4180 with text cells escaped and never a formula, JSON lines give the stored
// text back as it is, both dialects give the same bytes for the same data, --since and
// --area select what SQL selects, --out replaces its file only when complete, and the
// errors say what is wrong.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "etl/core/printable_text.hpp"
#include "loaders/export_reads.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/replica_process.hpp"

namespace etl::test {
namespace {

namespace fs = std::filesystem;

using Rows = std::vector<std::vector<std::string>>;
const std::string kNull = "NULL";  // query_rows' NULL, and a JSON null below

std::vector<std::string> fixture_files() {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(ETL_FIXTURES_DIR)) {
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// RFC 4180: CRLF ends a record, a quoted field may hold commas, quotes (doubled) and line breaks.
Rows parse_csv(const std::string& text) {
  Rows rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"' && field.empty()) {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      ++i;
    } else {
      EXPECT_TRUE(c != '\n' && c != '\r' && c != '"') << "a bare line break or quote outside quotes at byte " << i;
      field += c;
    }
  }
  EXPECT_TRUE(row.empty() && field.empty() && !quoted) << "the last record is not ended by CRLF";
  return rows;
}

// Each line's values as query_rows renders them (text as it is, null as NULL).
Rows parse_jsonl(const std::string& text, const ExportTable& table) {
  Rows rows;
  simdjson::dom::parser parser;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    simdjson::dom::object object = parser.parse(line).get_object().value();
    std::vector<std::string> row;
    std::size_t i = 0;
    for (const auto field : object) {
      EXPECT_EQ(field.key, table.columns.at(i++).name);
      const simdjson::dom::element v = field.value;
      if (v.is_null()) {
        row.push_back(kNull);
      } else if (v.is_string()) {
        row.emplace_back(v.get_string().value());
      } else if (v.is_int64()) {
        row.push_back(std::to_string(v.get_int64().value()));
      } else if (v.is_double()) {
        row.push_back(fmt::format("{}", v.get_double().value()));
      } else {
        row.push_back(v.get_bool().value() ? "true" : "false");
      }
    }
    EXPECT_EQ(row.size(), table.columns.size()) << line;
    rows.push_back(std::move(row));
  }
  return rows;
}

bool is_postgres(const std::string& url) { return url.starts_with("postgresql:"); }

// The rows `etl export` should give, read by SQL of the database itself.
Rows expected_rows(const std::string& url, const ExportTable& table, const std::string& where = "1=1") {
  std::string columns, order;
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    const std::string c(table.columns[i].name);
    std::string e = c;
    if (table.columns[i].kind == ExportKind::boolean) e = fmt::format("CASE WHEN {0} THEN 'true' WHEN NOT {0} THEN 'false' END", c);
    if (table.columns[i].kind == ExportKind::time && is_postgres(url))
      e = fmt::format("to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')", c);
    columns += (i ? ", " : "") + e;
    const bool text = table.columns[i].kind == ExportKind::text;
    if (i < table.keys) order += (i ? ", " : "") + c + (is_postgres(url) && text ? " COLLATE \"C\"" : "");
  }
  return query_rows(url, fmt::format("SELECT {} FROM {} WHERE {} ORDER BY {}", columns, table.name, where, order));
}

// The columns of a table or view as the migrated schema has them, in order.
std::vector<std::string> schema_columns(const std::string& url, std::string_view table) {
  const std::string sql =
      is_postgres(url)
          ? fmt::format("SELECT column_name FROM information_schema.columns WHERE table_name = '{}' ORDER BY ordinal_position", table)
          : fmt::format("SELECT name FROM pragma_table_info('{}') ORDER BY cid", table);
  std::vector<std::string> out;
  for (const auto& r : query_rows(url, sql)) out.push_back(r.at(0));
  return out;
}

// The same statements in both dialects: times as ISO text (PostgreSQL reads it as a
// timestamptz), booleans as '0'/'1' text (STRICT SQLite makes it an integer). Every time is
// fixed, so two databases hold the same data; the text is hostile: a comma, quotes, a line
// break, an ESC sequence, formulas.
const std::vector<std::string> kSetUp = {
    "UPDATE properties SET first_seen_at = '2026-11-01T06:00:00Z', last_seen_at = '2026-12-01T06:00:00Z', "
    "fetched_at = '2026-12-01T06:00:00Z'",
    "UPDATE properties SET first_seen_at = '2026-11-20T06:00:00Z' WHERE address_id > '0a3f50c2-d4f4'",
    "UPDATE properties SET road_name = 'Evil, \"quoted\"\nline\x1b[2J', city_name = '=HYPERLINK(\"http://x\")', "
    "latitude = 56.123456789012, is_public = '0' WHERE address_id = '0a3f50c2-b95c-32b8-e044-0003ba298018'",
    "UPDATE properties SET removed_at = '2026-11-25T00:00:00Z' WHERE address_id = '0a3f50c2-d4ee-32b8-e044-0003ba298018'",
    "UPDATE property_events SET observed_at = '2026-11-01T06:00:00Z'",
    "UPDATE cases SET ended_at = NULL",
    "INSERT INTO cases (address_id, case_id, status, price_cash, days_on_market, housing_area, "
    "price_change_percentage, realtor_name, distinction) VALUES "
    "('0a3f50c2-b95c-32b8-e044-0003ba298018', 'case-a', 'open', 2495000, 12, 87, -3.3333333333333335, '+45 realtor', "
    "'real_estate'), "
    "('0a3f50c2-d4f1-32b8-e044-0003ba298018', 'case-b', NULL, 1000000, 1, 60, NULL, '@home', NULL), "
    "('0a3f50c2-d4ee-32b8-e044-0003ba298018', 'case-c', 'open', 3000000, 5, 90, NULL, NULL, 'real_estate')",
    "INSERT INTO property_events (id, address_id, kind, case_id, old_price, new_price, percent, run_id, observed_at) "
    "VALUES (1001, '0a3f50c2-b95c-32b8-e044-0003ba298018', 'price_changed', 'case-a', 2580000, 2495000, "
    "-3.2945736434108528, 2, '2026-11-22T07:30:00Z'), "
    "(1002, '0a3f50c2-d4f1-32b8-e044-0003ba298018', 'price_changed', 'case-b', 900000, 1000000, 11.11111111111111, 2, "
    "'2026-11-23T07:30:00Z')",
};

// A database with the fixtures imported and kSetUp applied.
std::string set_up_database(const std::string& url) {
  std::vector<std::string> argv = {ETL_BIN, "import-json", "--db", url};
  for (const std::string& f : fixture_files()) argv.push_back(f);
  const ProcessResult import = run_process(argv, {{"ETL_DB_URL", ""}});
  EXPECT_EQ(import.exit_code, 3) << "the fixtures hold one payload that is not an address: " << import.err;
  exec_sql(url, kSetUp);
  return url;
}

ProcessResult etl_export(const std::string& url, std::vector<std::string> args) {
  args.insert(args.begin(), {ETL_BIN, "export", "--db", url});
  return run_process(args, {{"ETL_DB_URL", ""}});
}

// As the CSV gives a row: NULL empty, text as spreadsheet_text.
Rows as_csv(const Rows& rows, const ExportTable& table) {
  Rows out = rows;
  for (auto& row : out) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (row[i] == kNull) {
        row[i].clear();
      } else if (table.columns[i].kind == ExportKind::text) {
        row[i] = spreadsheet_text(row[i]);
      }
    }
  }
  return out;
}

class Export : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = set_up_database(GetParam() == "sqlite" ? "sqlite:" + dir_.file("etl.db")
                                                  : PgServer::shared().fresh_database());
  }
  TempDir dir_;
  std::string url_;
};

TEST_P(Export, EachTableExportsExactlyItsRowsAndColumns) {
  for (const ExportTable& table : export_tables()) {
    SCOPED_TRACE(std::string(table.name));
    std::vector<std::string> header;
    for (const ExportColumn& c : table.columns) header.emplace_back(c.name);
    EXPECT_EQ(header, schema_columns(url_, table.name)) << "every column, in the schema's order";
    const Rows expected = expected_rows(url_, table);
    EXPECT_EQ(static_cast<std::int64_t>(expected.size()), count_rows(url_, std::string(table.name)));

    const ProcessResult csv = etl_export(url_, {std::string(table.name)});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    Rows parsed = parse_csv(csv.out);
    ASSERT_FALSE(parsed.empty());
    EXPECT_EQ(parsed.front(), header);
    parsed.erase(parsed.begin());
    EXPECT_EQ(parsed, as_csv(expected, table));

    const ProcessResult jsonl = etl_export(url_, {std::string(table.name), "--format", "jsonl"});
    ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
    EXPECT_EQ(parse_jsonl(jsonl.out, table), expected);
  }
  EXPECT_EQ(count_rows(url_, "current_listings"), 2) << "case-a and case-b; case-c's property is removed";
  EXPECT_EQ(count_rows(url_, "price_cuts"), 1);
}

TEST_P(Export, TextIsEscapedAndNeverAFormulaInCsvAndKeptAsItIsInJson) {
  const ProcessResult csv = etl_export(url_, {"properties"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_NE(csv.out.find(",\"Evil, \"\"quoted\"\"\\nline\\x1b[2J\","), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find(",\"'=HYPERLINK(\"\"http://x\"\")\","), std::string::npos) << csv.out;
  EXPECT_EQ(csv.out.find(",=HYPERLINK"), std::string::npos);
  EXPECT_EQ(csv.out.find('\x1b'), std::string::npos);
  EXPECT_NE(csv.out.find(",56.123456789012,"), std::string::npos) << "a real keeps every digit";
  EXPECT_NE(csv.out.find(",2026-11-01T06:00:00Z,"), std::string::npos);
  const ProcessResult cases = etl_export(url_, {"cases"});
  EXPECT_NE(cases.out.find(",-3.3333333333333335,'+45 realtor,"), std::string::npos)
      << "a negative number stays a number, text starting with + is guarded:\n" << cases.out;
  EXPECT_NE(cases.out.find(",'@home,"), std::string::npos) << cases.out;
  const ProcessResult jsonl = etl_export(url_, {"properties", "--format", "jsonl"});
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  EXPECT_NE(jsonl.out.find(R"("road_name":"Evil, \"quoted\"\nline\u001b[2J")"), std::string::npos) << jsonl.out;
  EXPECT_NE(jsonl.out.find(R"("is_public":false)"), std::string::npos);
  EXPECT_NE(jsonl.out.find(R"("removed_at":"2026-11-25T00:00:00Z")"), std::string::npos);
}

TEST_P(Export, SinceAndAreaSelectWhatSqlSelects) {
  const auto rows = [&](std::vector<std::string> args) {
    const ProcessResult r = etl_export(url_, args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return parse_csv(r.out).size() - 1;
  };
  const ExportTable& properties = *find_export_table("properties");
  const std::size_t later = expected_rows(url_, properties, "first_seen_at >= '2026-11-20T00:00:00Z'").size();
  EXPECT_GT(later, 0u);
  EXPECT_LT(later, expected_rows(url_, properties).size());
  EXPECT_EQ(rows({"properties", "--since", "2026-11-20"}), later);
  EXPECT_EQ(rows({"property_events", "--since", "2026-11-22 07:30"}), 2u);
  EXPECT_EQ(rows({"property_events", "--since", "2026-11-22T07:30:01Z"}), 1u);
  EXPECT_EQ(rows({"price_cuts", "--since", "2026-11-23"}), 0u);
  EXPECT_EQ(rows({"property_events", "--since", "1h"}), 0u) << "every event is older than an hour";

  const std::string in_aarhus = "address_id IN (SELECT address_id FROM properties WHERE municipality_code = 751)";
  for (const ExportTable& table : export_tables()) {
    const std::size_t n = expected_rows(url_, table, in_aarhus).size();
    EXPECT_EQ(rows({std::string(table.name), "--municipality", "Aarhus"}), n) << table.name;
    EXPECT_EQ(rows({std::string(table.name), "--area", "copenhagen"}), 0u) << table.name << ": no fixture is there";
  }
  EXPECT_GT(expected_rows(url_, properties, in_aarhus).size(), 0u);
}

TEST_P(Export, OutReplacesItsFileOnlyWhenComplete) {
  const std::string out = dir_.file("listings.csv");
  { std::ofstream(out) << "old\n"; }
  const auto files = [&] {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_.path())) {
      const std::string name = e.path().filename().string();
      if (!name.starts_with("etl.db")) names.push_back(name);  // the database and its WAL, lock
    }
    return names;
  };
  // A stored time that is not one (written behind the store's back) fails the export after
  // its first rows: the file keeps its old text, and no temporary file is left.
  exec_sql(url_, {is_postgres(url_) ? "UPDATE property_events SET observed_at = 'infinity' WHERE id = 1001"
                                    : "UPDATE property_events SET observed_at = 'garbage' WHERE id = 1001"});
  const ProcessResult failed = etl_export(url_, {"property_events", "--out", out});
  EXPECT_EQ(failed.exit_code, 1) << failed.err;
  EXPECT_NE(failed.err.find("error: "), std::string::npos) << failed.err;
  EXPECT_EQ(fs::file_size(out), 4u);
  EXPECT_EQ(files(), std::vector<std::string>{"listings.csv"});

  const ProcessResult done = etl_export(url_, {"current_listings", "--out", out});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_EQ(done.out, "");
  std::ifstream in(out, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, etl_export(url_, {"current_listings"}).out);
  EXPECT_EQ(parse_csv(text).size(), 3u);
  EXPECT_EQ(files(), std::vector<std::string>{"listings.csv"});
}

INSTANTIATE_TEST_SUITE_P(Dialects, Export, ::testing::Values("sqlite", "postgresql"));

// The same imported data gives the same bytes, every table, both formats.
TEST(ExportDialects, SqliteAndPostgresqlGiveTheSameBytes) {
  TempDir dir;
  const std::string sqlite = set_up_database("sqlite:" + dir.file("etl.db"));
  const std::string postgres = set_up_database(PgServer::shared().fresh_database());
  for (const ExportTable& table : export_tables()) {
    for (const char* format : {"csv", "jsonl"}) {
      const ProcessResult a = etl_export(sqlite, {std::string(table.name), "--format", format});
      const ProcessResult b = etl_export(postgres, {std::string(table.name), "--format", format});
      ASSERT_EQ(a.exit_code, 0) << a.err;
      ASSERT_EQ(b.exit_code, 0) << b.err;
      EXPECT_GT(a.out.size(), 200u) << table.name << " has rows";
      EXPECT_EQ(a.out, b.out) << table.name << " as " << format;
    }
  }
}

// The acceptance of issue 36: after a replica import and three nightly refreshes (the
// nightly `--refresh on-market`, then a plain run), `etl export current_listings` has exactly
// the view's rows, each with its municipality's name, the same bytes from both dialects.
TEST(ExportAfterNights, CurrentListingsIsExactlyTheView) {
  TempDir dir;
  const std::vector<std::string> urls = {"sqlite:" + dir.file("etl.db"), PgServer::shared().fresh_database()};
  const auto run = [&](const ReplicaProcess& replica, const std::string& url, std::vector<std::string> args) {
    std::vector<std::string> argv = {ETL_BIN, "run", "--config", std::string(ETL_SOURCE_DIR) + "/municipalities.yaml",
                                     "--api-url", replica.base_url(), "--db", url, "--progress", "none",
                                     "--max-rps", "0", "--area", "kobenhavn"};
    argv.insert(argv.end(), args.begin(), args.end());
    const ProcessResult r = run_process(argv, {{"ETL_DB_URL", ""}});
    EXPECT_EQ(r.exit_code, 0) << url << ": " << r.err;
  };
  for (int night = 0; night <= 3; ++night) {
    // København at scale 0.1: ~1,340 villas, a dozen listed; each night changes a few.
    ReplicaProcess replica({"--scale", "0.1", "--seed", "13", "--epoch", std::to_string(night)});
    for (const std::string& url : urls) {
      if (night > 0) run(replica, url, {"--refresh", "on-market"});
      run(replica, url, {});
    }
  }
  const ExportTable& listings = *find_export_table("current_listings");
  std::vector<std::string> outputs;
  for (const std::string& url : urls) {
    SCOPED_TRACE(url);
    const ProcessResult csv = etl_export(url, {"current_listings", "--format", "csv"});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    Rows parsed = parse_csv(csv.out);
    parsed.erase(parsed.begin());
    const Rows expected = expected_rows(url, listings);
    EXPECT_GT(expected.size(), 5u);
    EXPECT_EQ(static_cast<std::int64_t>(parsed.size()), count_rows(url, "current_listings"));
    EXPECT_EQ(parsed, as_csv(expected, listings));
    for (const auto& row : parsed) EXPECT_EQ(row.back(), "København") << "the municipality's name, last";
    std::printf("%s: current_listings exported %zu rows\n", url.substr(0, url.find(':')).c_str(), parsed.size());
    outputs.push_back(csv.out);
  }
  EXPECT_EQ(outputs[0], outputs[1]) << "the same market, the same bytes";
}

TEST(ExportErrors, SayWhatIsWrong) {
  TempDir dir;
  const std::string db = "sqlite:" + dir.file("etl.db");
  ASSERT_EQ(run_process({ETL_BIN, "migrate", "--db", db}).exit_code, 0);
  const struct {
    std::vector<std::string> args;
    int exit_code;
    std::string message;
  } cases[] = {
      {{"propertys"}, 2, "NAME: unknown table 'propertys'; did you mean 'properties'? (one of properties, current_listings"},
      {{"cases", "--since", "7d"}, 2,
       "--since: cases has no time to select rows by; it works for properties (first_seen_at), property_events "
       "(observed_at), price_cuts (observed_at)"},
      {{"properties", "--since", "run:3"}, 2, "--since: run:N is for `etl changes`"},
      {{"properties", "--since", "yesterday"}, 2, "--since: invalid value 'yesterday'"},
      {{"properties", "--format", "xml"}, 2, "--format: 'xml' is not one of csv, jsonl"},
      {{"properties", "--area", "atlantis"}, 2, "--area"},
      {{"properties", "--out", dir.file("no/such/folder/x.csv")}, 2, "--out"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> argv = {ETL_BIN, "export", "--db", db};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    const ProcessResult r = run_process(argv, {{"ETL_DB_URL", ""}});
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args[0] << ": " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
  const std::string missing = dir.file("missing.db");
  const ProcessResult r = run_process({ETL_BIN, "export", "properties", "--db", "sqlite:" + missing}, {{"ETL_DB_URL", ""}});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_FALSE(fs::exists(missing)) << "a read-only command creates no database";
}

}  // namespace
}  // namespace etl::test
