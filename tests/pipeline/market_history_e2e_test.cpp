// Market history as a property over seven replica nights (issue 17), SQLite and PostgreSQL:
// a database refreshed each night (the nightly `--refresh on-market`, then a plain
// incremental run) records, kind by kind, exactly the events derived from the dumps of two
// consecutive clean imports. The derivation below implements the rules of
// loaders/market_history.hpp on its own, from what a clean import stores.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include "etl/core/property_event.hpp"
#include "etl/core/text_columns.hpp"
#include "tests/pipeline/etl_run_fixture.hpp"
#include "tests/support/db_dump.hpp"
#include "tests/support/pg_server.hpp"

namespace etl {
namespace {

using test::EtlRunTest;
using test::ReplicaProcess;
using test::count_rows;
using test::query_rows;

// København at scale 0.1: ~1,340 villas, ~14 listed (its measured 1.02%); a night lists,
// sells, withdraws, relists, reprices a few and adds and removes a property or two. Seed 13
// has every kind of event within the seven nights (seed 11 sold nothing).
const std::vector<std::string> kMarket = {"--scale", "0.1", "--seed", "13"};
constexpr int kNights = 7;

struct Sale {
  std::string id, amount, date;  // date "" when unknown (sorts first, like a missing one)
};

// What a clean import says of one address: its open cases (ID -> price) and registrations.
struct Address {
  std::map<std::string, std::string> cases;
  std::map<std::string, Sale> registrations;
};
using Dump = std::map<std::string, Address>;  // live addresses only

Dump dump_of(const std::string& db) {
  Dump out;
  for (const auto& r : query_rows(db, "SELECT address_id FROM properties WHERE removed_at IS NULL")) out[r[0]];
  for (const auto& r : query_rows(db, "SELECT c.address_id, c.case_id, c.price_cash FROM cases c JOIN properties p "
                                      "ON p.address_id = c.address_id WHERE p.removed_at IS NULL AND c.ended_at IS NULL "
                                      "AND COALESCE(c.status, 'open') = 'open'"))
    out[r[0]].cases[r[1]] = r[2];
  for (const auto& r : query_rows(db, "SELECT r.address_id, r.registration_id, r.amount, r.date FROM registrations r "
                                      "JOIN properties p ON p.address_id = r.address_id WHERE p.removed_at IS NULL"))
    out[r[0]].registrations[r[1]] = Sale{r[1], r[2], r[3] == "NULL" ? "" : r[3]};
  return out;
}

// One event as compared: "address case old new sale_amount sale_date", per kind.
using Events = std::map<std::string, std::multiset<std::string>>;

std::string describe(const std::string& address, const std::string& case_id, const std::string& old_price,
                     const std::string& new_price, const std::string& amount, const std::string& date) {
  return address + " " + case_id + " " + old_price + " " + new_price + " " + amount + " " + date;
}

// The history the derivation carries between nights: every address ever seen, those that
// have had a case end, and the last dump each live or removed address was seen in.
struct Memory {
  std::set<std::string> seen;
  std::set<std::string> had_ended;
  Dump last;
};

Events expected_events(const Dump& before, const Dump& after, Memory& m) {
  Events out;
  for (const auto& [id, was] : before) {
    if (!after.contains(id)) out["removed"].insert(describe(id, "NULL", "NULL", "NULL", "NULL", "NULL"));
  }
  for (const auto& [id, now] : after) {
    const auto b = before.find(id);
    if (b == before.end()) {
      const bool returned = m.seen.contains(id);
      out[returned ? "returned" : "new"].insert(describe(id, "NULL", "NULL", "NULL", "NULL", "NULL"));
      if (returned) {  // the cases stored before its removal that it no longer has end silently
        for (const auto& [case_id, price] : m.last.at(id).cases)
          if (!now.cases.contains(case_id)) m.had_ended.insert(id);
      }
      continue;
    }
    const Address& was = b->second;
    const Sale* sale = nullptr;
    for (const auto& [rid, r] : now.registrations) {
      if (was.registrations.contains(rid)) continue;
      if (!sale || std::tie(r.date, r.id) > std::tie(sale->date, sale->id)) sale = &r;
    }
    for (const auto& [case_id, price] : was.cases) {
      if (now.cases.contains(case_id)) continue;
      m.had_ended.insert(id);
      out[sale ? "sold" : "delisted"].insert(describe(id, case_id, price, "NULL", sale ? sale->amount : "NULL",
                                                      sale ? (sale->date.empty() ? "NULL" : sale->date) : "NULL"));
    }
    for (const auto& [case_id, price] : now.cases) {
      const auto w = was.cases.find(case_id);
      if (w == was.cases.end()) {
        out[m.had_ended.contains(id) ? "relisted" : "listed"].insert(describe(id, case_id, "NULL", price, "NULL", "NULL"));
      } else if (w->second != price && w->second != "NULL" && price != "NULL") {
        out["price_changed"].insert(describe(id, case_id, w->second, price, "NULL", "NULL"));
      }
    }
  }
  for (const auto& [id, a] : after) {
    m.seen.insert(id);
    m.last[id] = a;
  }
  return out;
}

std::int64_t max_event_id(const std::string& db) {
  const auto rows = query_rows(db, "SELECT COALESCE(MAX(id), 0) FROM property_events");
  return std::stoll(rows.at(0).at(0));
}

Events recorded_events(const std::string& db, std::int64_t after_id) {
  Events out;
  for (const auto& r : query_rows(db, "SELECT kind, address_id, case_id, old_price, new_price, sale_amount, sale_date "
                                      "FROM property_events WHERE id > " + std::to_string(after_id)))
    out[r[0]].insert(describe(r[1], r[2], r[3], r[4], r[5], r[6]));
  return out;
}

std::string difference(const Events& expected, const Events& recorded) {
  std::string out;
  for (const auto& name : kEventKindNames.names) {
    const std::string kind(name);
    const auto e = expected.find(kind);
    const auto r = recorded.find(kind);
    const std::multiset<std::string> none;
    const auto& want = e == expected.end() ? none : e->second;
    const auto& got = r == recorded.end() ? none : r->second;
    if (want == got) continue;
    out += kind + ": expected " + std::to_string(want.size()) + ", recorded " + std::to_string(got.size());
    for (const auto& w : want)
      if (!got.contains(w)) out += "\n  missing " + w;
    for (const auto& g : got)
      if (!want.contains(g)) out += "\n  unexpected " + g;
    out += "\n";
  }
  return out;
}

TEST_F(EtlRunTest, SevenEpochsOfEventsEqualTheChangesBetweenCleanImports) {
  test::PgServer& pg = test::PgServer::shared();
  struct Target {
    std::string name, url;
  };
  const std::vector<Target> targets = {{"sqlite", sqlite_url("history.db")}, {"postgresql", pg.fresh_database()}};
  Dump before;
  Memory memory;
  {
    std::vector<std::string> args = kMarket;
    args.insert(args.end(), {"--epoch", "0"});
    ReplicaProcess replica(args);
    for (const Target& t : targets) ASSERT_EQ(etl({"--area", "kobenhavn"}, replica, t.url).exit_code, 0) << t.name;
    before = dump_of(targets.front().url);
    expected_events({}, before, memory);  // epoch 0: the starting state, all new
  }
  std::map<std::string, std::size_t> totals;
  for (int night = 1; night <= kNights; ++night) {
    SCOPED_TRACE("night " + std::to_string(night));
    std::vector<std::string> args = kMarket;
    args.insert(args.end(), {"--epoch", std::to_string(night)});
    ReplicaProcess replica(args);
    const std::string clean = sqlite_url("clean-" + std::to_string(night) + ".db");
    ASSERT_EQ(etl({"--area", "kobenhavn"}, replica, clean).exit_code, 0);
    const Dump after = dump_of(clean);
    const Events expected = expected_events(before, after, memory);
    for (const auto& [kind, events] : expected) totals[kind] += events.size();
    for (const Target& t : targets) {
      const std::int64_t first = max_event_id(t.url);
      const auto nightly = etl({"--area", "kobenhavn", "--refresh", "on-market"}, replica, t.url);
      ASSERT_EQ(nightly.exit_code, 0) << t.name << ": " << nightly.err;
      const auto plain = etl({"--area", "kobenhavn"}, replica, t.url);
      ASSERT_EQ(plain.exit_code, 0) << t.name << ": " << plain.err;
      ASSERT_EQ(test::live_dump(t.url), test::live_dump(clean)) << t.name << ": did not converge";
      const std::string diff = difference(expected, recorded_events(t.url, first));
      EXPECT_TRUE(diff.empty()) << t.name << ":\n" << diff;
    }
    before = after;
  }
  std::string counts;
  for (const auto& [kind, n] : totals) counts += " " + kind + " " + std::to_string(n);
  std::printf("seven nights of events:%s\n", counts.c_str());
  // The nights had something to record, of every kind the replica's market makes.
  for (const char* kind : {"new", "listed", "price_changed", "delisted", "sold", "removed"})
    EXPECT_GT(totals[kind], 0u) << kind;
}

// `etl changes` over a real night: the table fits 80 columns, CSV parses with its header and
// one row per event, JSON is one object a line, and the filters select what they say.
TEST_F(EtlRunTest, ChangesShowsANightAsATableCsvAndJsonLines) {
  const std::string db = sqlite_url("changes.db");
  for (int night = 0; night <= 1; ++night) {
    std::vector<std::string> args = kMarket;
    args.insert(args.end(), {"--epoch", std::to_string(night)});
    ReplicaProcess replica(args);
    ASSERT_EQ(etl({"--area", "kobenhavn"}, replica, db).exit_code, 0);
  }
  const auto changes = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {ETL_BIN, "changes", "--db", db, "--config", test::kConfig};
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run_process(argv);
  };
  const auto lines = [](const std::string& text, const char* eol) {
    std::vector<std::string> out;
    for (std::size_t pos = 0, end; (end = text.find(eol, pos)) != std::string::npos; pos = end + std::strlen(eol))
      out.push_back(text.substr(pos, end - pos));
    return out;
  };
  const std::string second_run = query_rows(db, "SELECT MAX(id) FROM etl_runs").at(0).at(0);
  const std::size_t night_events =
      std::stoul(query_rows(db, "SELECT COUNT(*) FROM property_events WHERE run_id = " + second_run).at(0).at(0));
  ASSERT_GT(night_events, 0u);

  // CSV: RFC 4180 with a header; a row per event (every kind, both runs, in 24 h).
  const auto csv = changes({"--since", "24h", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const auto rows = lines(csv.out, "\r\n");
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], "observed_at,kind,address_id,address,zip_code,city,municipality_code,municipality,case_id,"
                     "old_price,new_price,percent,sale_amount,sale_date,run_id");
  EXPECT_EQ(rows.size() - 1, static_cast<std::size_t>(count_rows(db, "property_events")));
  for (const std::string& row : rows) {  // 15 fields, a quoted field's commas not counted
    std::size_t fields = 1;
    bool quoted = false;
    for (const char c : row) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) ++fields;
    }
    EXPECT_EQ(fields, 15u) << row;
  }

  // JSON lines, only the second run's, only two kinds.
  const auto json = changes({"--since", "run:" + second_run, "--kind", "listed,price_changed", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto objects = lines(json.out, "\n");
  EXPECT_EQ(objects.size(), std::stoul(query_rows(db, "SELECT COUNT(*) FROM property_events WHERE kind IN "
                                                      "('listed', 'price_changed')").at(0).at(0)));
  for (const std::string& o : objects) {
    EXPECT_NO_THROW(test::canonical_json(o)) << o;
    EXPECT_TRUE(o.find("\"kind\":\"listed\"") != std::string::npos ||
                o.find("\"kind\":\"price_changed\"") != std::string::npos) << o;
    EXPECT_NE(o.find("\"run_id\":" + second_run), std::string::npos) << o;
  }

  // The table: a header, a row per event of the night, a count; no line over 80 columns.
  const auto table = changes({"--since", "run:" + second_run});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  const auto text = lines(table.out, "\n");
  ASSERT_EQ(text.size(), night_events + 2) << table.out;
  EXPECT_EQ(text.front().substr(0, 4), "WHEN");
  for (const std::string& l : text) EXPECT_LE(text_columns(l), 80u) << l;

  // A municipality outside the data: nothing; a bad --since or --kind: usage (exit 2), one line.
  EXPECT_EQ(lines(changes({"--municipality", "Odense", "--format", "json"}).out, "\n").size(), 0u);
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--since", "10"}, {"--since", "run:x"}, {"--kind", "bought"}, {"--format", "xml"}}) {
    const auto r = changes(bad);
    EXPECT_EQ(r.exit_code, 2) << bad[0] << " " << bad[1];
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

// The README's example queries over the history (section "Market history") run in both
// dialects and give the same rows; the dates are widened so every night counts.
TEST_F(EtlRunTest, ReadmeHistoryQueriesRunAlikeInBothDialects) {
  std::ifstream file(std::string(ETL_SOURCE_DIR) + "/README.md");
  std::vector<std::string> queries;
  bool in_section = false;
  std::string query;
  for (std::string line; std::getline(file, line);) {
    if (line.starts_with("## ")) in_section = line == "## Market history";
    if (!in_section) continue;
    if (query.empty() && !line.starts_with("    SELECT")) continue;
    query += line.substr(std::min<std::size_t>(4, line.size())) + "\n";
    if (line.ends_with(";")) {
      query.pop_back();
      query.pop_back();  // the ';'
      for (const auto& [from, to] : {std::pair<std::string, std::string>{"'2026-11-30'", "'2000-01-01'"},
                                     {"'2026-11-01'", "'2000-01-01'"},
                                     {"'2026-12-01'", "'2100-01-01'"}})
        for (std::size_t pos; (pos = query.find(from)) != std::string::npos;) query.replace(pos, from.size(), to);
      queries.push_back(query);
      query.clear();
    }
  }
  ASSERT_EQ(queries.size(), 3u) << "the README's Market history section shows three queries";

  test::PgServer& pg = test::PgServer::shared();
  const std::vector<std::string> dbs = {sqlite_url("readme.db"), pg.fresh_database()};
  // At scale 0.2: ~2,700 villas; seed 13 sells two and cuts six prices in three nights.
  for (int night = 0; night <= 3; ++night) {
    ReplicaProcess replica({"--scale", "0.2", "--seed", "13", "--epoch", std::to_string(night)});
    for (const std::string& db : dbs) {
      std::vector<std::string> flags = {"--area", "kobenhavn"};
      if (night > 0) flags.insert(flags.end(), {"--refresh", "on-market"});
      ASSERT_EQ(etl(flags, replica, db).exit_code, 0);
    }
  }
  // Each dialect's run observed at its own moment and renders times its own way: compare
  // the rows with their times masked.
  const auto masked = [](std::vector<std::vector<std::string>> rows) {
    for (auto& row : rows)
      for (auto& v : row) {
        // 2026-12-06T19:41:54Z (SQLite) or 2026-12-06 19:41:54+00 (PostgreSQL)
        const bool time = v.size() >= 19 && (v[10] == 'T' || v[10] == ' ') && v[4] == '-' && v[13] == ':' &&
                          v[16] == ':';
        if (time) v = "<time>";
      }
    return rows;
  };
  for (const std::string& q : queries) {
    const auto sqlite = masked(query_rows(dbs[0], q));
    EXPECT_FALSE(sqlite.empty()) << q;
    EXPECT_EQ(sqlite, masked(query_rows(dbs[1], q))) << q;
  }
}

}  // namespace
}  // namespace etl
