// The Store's calls as one statement each (the merge: merge.cpp), written once over the
// dialect's SqlSyntax: a time, a bound list, a parameter and bytewise order are the only
// words the dialects spell apart.
#include "loaders/sql_store.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <map>
#include <utility>

#include "etl/core/errors.hpp"
#include "loaders/merge.hpp"
#include "loaders/read_rows.hpp"
#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

namespace {

// What lookup and peek return (read_rows.hpp: stored_state). removed_at as a time, not
// "removed_at IS NOT NULL": SQLite 3.40 evaluates IS [NOT] NULL wrongly inside RETURNING on
// this table (always "not null").
std::string stored_state_columns(const SqlSyntax& d) {
  return fmt::format("address_id, {}, CAST(is_on_market AS integer), {}, search_hash", d.time_column("fetched_at"),
                     d.time_column("removed_at"));
}

// The properties of a PropertyScope: parameters $1 code, $2 every type (1 or 0), $3 the types.
std::string in_scope(const SqlSyntax& d) {
  return fmt::format("municipality_code = {} AND removed_at IS NULL AND ({} = 1 "
                     "OR address_type IS NULL OR address_type IN ({}))",
                     d.param(1), d.param(2), d.list(3));
}
std::vector<Param> scope_params(const PropertyScope& scope) {
  return {scope.municipality_code, std::int64_t{scope.address_types.empty()}, TextList{scope.address_types}};
}

constexpr UnixTime kDay = 86'400;
constexpr UnixTime kWeek = 7 * kDay;

// The Monday 00:00 UTC of the week holding `t` (1970-01-01 was a Thursday).
UnixTime week_start(UnixTime t) {
  return t - ((t + 3 * kDay) % kWeek + kWeek) % kWeek;
}

// `column` is one of a filter's municipality codes (none: every one): parameters $n every code
// (1 or 0), $n+1 the codes, as code_params gives them.
std::string in_filter(const SqlSyntax& d, std::string_view column, int n) {
  return fmt::format("({} = 1 OR CAST({} AS text) IN ({}))", d.param(n), column, d.list(n + 1));
}
std::vector<Param> code_params(const std::vector<std::int64_t>& codes) {
  return {std::int64_t{codes.empty()}, TextList{code_texts(codes)}};
}
std::vector<Param> filter_params(const MarketFilter& f) { return code_params(f.municipality_codes); }

// The events the market reads count, as kind (0 new listings: `listed`, `relisted`; 1 price
// cuts: the price_cuts view; 2 sales: `sold`), code (the property's municipality) and
// observed_at: observed from $3 to $4, of the filter ($1, $2).
std::string market_events(const SqlSyntax& d) {
  return fmt::format(
      "SELECT CASE WHEN e.kind = 'sold' THEN 2 ELSE 0 END AS kind, p.municipality_code AS code, e.observed_at "
      "FROM property_events e JOIN properties p ON p.address_id = e.address_id "
      "WHERE e.kind IN ('listed', 'relisted', 'sold') AND e.observed_at >= {0} AND e.observed_at <= {1} AND {2} "
      "UNION ALL SELECT 1, municipality_code, observed_at FROM price_cuts "
      "WHERE observed_at >= {0} AND observed_at <= {1} AND {3}",
      d.time(3), d.time(4), in_filter(d, "p.municipality_code", 1), in_filter(d, "municipality_code", 1));
}

// A MarketCount's kind as MarketRow's fields: last 7 days, last 30.
constexpr std::array<std::pair<std::int64_t MarketRow::*, std::int64_t MarketRow::*>, 3> kCounted = {{
    {&MarketRow::new_listings_7d, &MarketRow::new_listings_30d},
    {&MarketRow::price_cuts_7d, &MarketRow::price_cuts_30d},
    {&MarketRow::sales_7d, &MarketRow::sales_30d},
}};

// The medians of SqlStore::market, by the measure number its statement gives each.
constexpr std::array<std::optional<double> MarketRow::*, 4> kMedians = {
    &MarketRow::median_price, &MarketRow::median_price_per_m2, &MarketRow::median_days_on_market,
    &MarketRow::median_cut_percent_30d};

// The exact median of each measure per municipality and over all of them (code 0): the middle
// value, or the mean of the two middle ones. Parameters: the filter ($1, $2), the cuts from $3 to $4.
std::string market_medians(const SqlSyntax& d) {
  const std::string listed = "FROM current_listings WHERE municipality_code IS NOT NULL AND " +
                             in_filter(d, "municipality_code", 1);
  return fmt::format(
      "WITH v(measure, code, x) AS ("
      "SELECT 0, municipality_code, CAST(price_cash AS double precision) {0} AND price_cash IS NOT NULL "
      "UNION ALL SELECT 1, municipality_code, price_per_m2 {0} AND price_per_m2 IS NOT NULL "
      "UNION ALL SELECT 2, municipality_code, CAST(days_on_market AS double precision) {0} "
      "AND days_on_market IS NOT NULL "
      "UNION ALL SELECT 3, municipality_code, percent FROM price_cuts WHERE municipality_code IS NOT NULL AND {1} "
      "AND percent IS NOT NULL AND observed_at >= {2} AND observed_at <= {3}), "
      "pooled(measure, code, x) AS (SELECT measure, code, x FROM v UNION ALL SELECT measure, 0, x FROM v), "
      "ranked AS (SELECT measure, code, x, ROW_NUMBER() OVER (PARTITION BY measure, code ORDER BY x) AS i, "
      "COUNT(*) OVER (PARTITION BY measure, code) AS n FROM pooled) "
      "SELECT measure, code, AVG(x) FROM ranked WHERE i IN ((n + 1) / 2, (n + 2) / 2) GROUP BY measure, code",
      listed, in_filter(d, "municipality_code", 1), d.time(3), d.time(4));
}

// A listing's road name and house number.
std::string address(std::string_view table) {
  return fmt::format("TRIM(COALESCE({0}.road_name, '') || ' ' || COALESCE({0}.house_number, ''))", table);
}

}  // namespace

template <class T>
std::vector<T> SqlStore::select(const std::string& sql, const std::vector<Param>& params,
                                T (*decode)(const ResultRow&), const char* what) {
  std::vector<T> out;
  const auto call = [&] { execute(sql, params, [&](const ResultRow& r) { out.push_back(decode(r)); }); };
  if (what) {
    guard(what, call);
  } else {
    call();
  }
  return out;
}

std::vector<StoredState> SqlStore::peek(const std::vector<std::string>& ids) {
  if (ids.empty()) return {};
  const SqlSyntax& d = syntax();
  return select(fmt::format("SELECT {} FROM properties WHERE address_id IN ({})", stored_state_columns(d), d.list(1)),
                {TextList{ids}}, &stored_state, "look up stored IDs");
}

std::vector<StoredState> SqlStore::lookup(const std::vector<std::string>& ids, UnixTime now) {
  if (ids.empty()) return {};
  const SqlSyntax& d = syntax();
  return select(fmt::format("UPDATE properties SET last_seen_at = {} WHERE address_id IN ({}) RETURNING {}", d.time(1),
                            d.list(2), stored_state_columns(d)),
                {Time{now}, TextList{ids}}, &stored_state, "look up stored IDs");
}

std::vector<std::string> SqlStore::ids_not_seen_since(const PropertyScope& scope, UnixTime since) {
  const SqlSyntax& d = syntax();
  std::vector<Param> params = scope_params(scope);
  params.emplace_back(Time{since});
  return select(fmt::format("SELECT address_id FROM properties WHERE {} AND last_seen_at < {} ORDER BY address_id",
                            in_scope(d), d.time(4)),
                params, &first_text, "list IDs not seen since a time");
}

std::vector<StoredCase> SqlStore::open_cases(const PropertyScope& scope) {
  const SqlSyntax& d = syntax();
  // A case whose status is unknown counts as open (the detail lists its open cases).
  const std::string listed =
      "SELECT c.case_id, c.address_id, c.price_cash, COALESCE(c.distinction, '') AS distinction "
      "FROM cases c JOIN props p ON p.address_id = c.address_id "
      "WHERE c.ended_at IS NULL AND COALESCE(c.status, 'open') = 'open'";
  // A property flagged on market with no open case row: once, with no case.
  const std::string flagged =
      "SELECT '', address_id, NULL, '' FROM props WHERE CAST(is_on_market AS integer) = 1 "
      "AND address_id NOT IN (SELECT address_id FROM listed)";
  const std::string sql = fmt::format(
      "WITH props AS (SELECT address_id, is_on_market FROM properties WHERE {0}), listed AS ({1}) "
      "SELECT case_id, address_id, price_cash, distinction FROM (SELECT case_id, address_id, price_cash, "
      "distinction FROM listed UNION ALL {2}) AS u ORDER BY address_id{3}, case_id{3}",
      in_scope(d), listed, flagged, d.bytewise);
  return select(sql, scope_params(scope), &stored_case, "list open cases");
}

UpsertResult SqlStore::upsert_batch(const std::vector<PropertyRecord>& records, UnixTime now) {
  UpsertResult result;
  guard("write a batch", [&] { result = merge_batch(*this, records, now, run_id()); });
  return result;
}

std::int64_t SqlStore::mark_removed(const std::vector<std::string>& ids, UnixTime now) {
  std::int64_t removed = 0;
  if (!ids.empty()) guard("mark properties removed", [&] { removed = merge_removals(*this, ids, now, run_id()); });
  return removed;
}

std::vector<StoredVersion> SqlStore::stored_versions(const std::vector<std::string>& ids) {
  const SqlSyntax& d = syntax();
  return select(fmt::format("SELECT address_id, payload_hash, {}, CAST(is_on_market AS integer) FROM properties "
                            "WHERE address_id IN ({})",
                            d.time_column("removed_at"), d.list(1)),
                {TextList{ids}}, &stored_version);
}

std::vector<StoredChild> SqlStore::stored_children(const std::vector<std::string>& ids) {
  return select(fmt::format("WITH ids(id) AS ({}) "
                            "SELECT address_id, 1, case_id, price_cash, "
                            "CASE WHEN ended_at IS NULL AND COALESCE(status, 'open') = 'open' THEN 1 ELSE 0 END "
                            "FROM cases WHERE address_id IN (SELECT id FROM ids) UNION ALL "
                            "SELECT address_id, 0, registration_id, NULL, 0 FROM registrations "
                            "WHERE address_id IN (SELECT id FROM ids)",
                            syntax().list(1)),
                {TextList{ids}}, &stored_child);
}

std::vector<PendingFailure> SqlStore::pending_failures(std::size_t limit) {
  const SqlSyntax& d = syntax();
  return select(fmt::format("SELECT address_id, stage, reason, attempts, {} FROM etl_failures "
                            "WHERE resolved_at IS NULL ORDER BY last_failed_at, address_id LIMIT {}",
                            d.time_column("last_failed_at"), d.param(1)),
                {static_cast<std::int64_t>(limit)}, &pending_failure, "list pending failures");
}

void SqlStore::record_failure(const FailureRecord& f, UnixTime now) {
  guard("record a failure", [&] { write_failure(f, now); });
}

void SqlStore::write_failure(const FailureRecord& f, UnixTime now) {
  const SqlSyntax& d = syntax();
  execute(fmt::format("INSERT INTO etl_failures (address_id, stage, reason, source, attempts, first_failed_at, "
                      "last_failed_at) VALUES ({0}, {1}, {2}, {3}, 1, {4}, {4}) "
                      "ON CONFLICT (address_id) WHERE resolved_at IS NULL DO UPDATE SET stage = EXCLUDED.stage, "
                      "reason = EXCLUDED.reason, source = EXCLUDED.source, attempts = etl_failures.attempts + 1, "
                      "last_failed_at = EXCLUDED.last_failed_at",
                      d.param(1), d.param(2), d.param(3), d.param(4), d.time(5)),
          {f.address_id, std::string(to_string(f.stage)), clip(redact_text(f.reason, url_)), redact_text(f.source, url_),
           Time{now}});
}

std::int64_t SqlStore::resolve_failures(const FailureFilter& filter, UnixTime now) {
  const SqlSyntax& d = syntax();
  std::vector<Param> params = {Time{now}, {}, {}};
  if (filter.stage) params[1] = std::string(to_string(*filter.stage));
  if (filter.failed_before) params[2] = Time{*filter.failed_before};
  std::int64_t resolved = 0;
  guard("resolve failures", [&] {
    resolved = execute(fmt::format("UPDATE etl_failures SET resolved_at = {0} WHERE resolved_at IS NULL "
                                   "AND (CAST({1} AS text) IS NULL OR stage = {1}) AND ({2} IS NULL OR last_failed_at < {2})",
                                   d.time(1), d.param(2), d.time(3)),
                       params);
  });
  return resolved;
}

std::int64_t SqlStore::begin_run(const RunInfo& info, UnixTime now) {
  const SqlSyntax& d = syntax();
  std::vector<std::int64_t> id;
  guard("record the start of a run", [&] {
    Transaction tx(*this);
    // A whole run's lock covers every run; a shard's, that shard's and whole runs'.
    execute(fmt::format("UPDATE etl_runs SET status = 'abandoned' WHERE status = 'running' "
                        "AND (CAST({0} AS text) = '1/1' OR shard IN ({0}, '1/1'))",
                        d.param(1)),
            {info.shard});
    id = select(fmt::format("INSERT INTO etl_runs (started_at, status, command, area, refresh, details_mode, shard) "
                            "VALUES ({}, 'running', {}, {}, {}, {}, {}) RETURNING id",
                            d.time(1), d.param(2), d.param(3), d.param(4), d.param(5), d.param(6)),
                {Time{now}, redact_text(info.command, url_), info.area, info.refresh, info.details_mode, info.shard},
                +[](const ResultRow& r) { return r.integer(0); });
    if (id.empty()) throw StoreError(name() + ": INSERT INTO etl_runs returned no id");
    tx.commit();
  });
  return id.front();
}

void SqlStore::finish_run(std::int64_t run_id, const RunOutcome& outcome, UnixTime now) {
  const SqlSyntax& d = syntax();
  std::int64_t changed = 0;
  guard("record the end of a run", [&] {
    changed = execute(fmt::format("UPDATE etl_runs SET finished_at = {}, status = {}, summary_json = {} WHERE id = {}",
                                  d.time(1), d.param(2), d.param(3), d.param(4)),
                      {Time{now}, std::string(to_string(outcome.status)), redact_text(outcome.summary_json, url_), run_id});
  });
  if (changed == 0) throw StoreError(name() + ": no run with id " + std::to_string(run_id) + " in etl_runs");
}

std::vector<RunRow> SqlStore::recent_runs(std::size_t limit) {
  const SqlSyntax& d = syntax();
  return select(fmt::format("SELECT id, {}, {}, status, command, summary_json FROM etl_runs ORDER BY id DESC LIMIT {}",
                            d.time_column("started_at"), d.time_column("finished_at"), d.param(1)),
                {static_cast<std::int64_t>(limit)}, &run_row, "list recent runs");
}

std::vector<MunicipalityCount> SqlStore::property_counts() {
  return select("SELECT p.municipality_code, COALESCE(m.name, ''), "
                "SUM(CASE WHEN p.removed_at IS NULL THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN p.removed_at IS NULL AND CAST(p.is_on_market AS integer) = 1 THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN p.removed_at IS NOT NULL THEN 1 ELSE 0 END) FROM properties p "
                "LEFT JOIN municipalities m ON m.code = p.municipality_code "
                "WHERE p.municipality_code IS NOT NULL GROUP BY p.municipality_code, m.name "
                "ORDER BY p.municipality_code",
                {}, &municipality_count, "count properties");
}

std::vector<EventRow> SqlStore::events(const EventFilter& f) {
  const SqlSyntax& d = syntax();
  const std::string sql = fmt::format(
      "SELECT e.address_id, e.kind, e.case_id, e.old_price, e.new_price, e.percent, e.sale_amount, e.sale_date, "
      "e.run_id, {}, {}, p.zip_code, "
      "COALESCE(p.city_name, ''), p.municipality_code, COALESCE(m.name, '') "
      "FROM property_events e LEFT JOIN properties p ON p.address_id = e.address_id "
      "LEFT JOIN municipalities m ON m.code = p.municipality_code "
      "WHERE e.observed_at >= {} AND COALESCE(e.run_id, 0) >= {} AND e.kind IN ({}) "
      "AND {} ORDER BY e.observed_at, e.id",
      d.time_column("e.observed_at"), address("p"), d.time(1), d.param(2), d.list(3),
      in_filter(d, "p.municipality_code", 4));
  std::vector<Param> params{Time{f.since.value_or(0)}, f.first_run.value_or(0), TextList{event_kind_names(f.kinds)}};
  for (Param& p : code_params(f.municipality_codes)) params.push_back(std::move(p));
  return select(sql, params, &event_row, "list events");
}

std::array<std::int64_t, kEventKinds> SqlStore::event_counts(UnixTime since) {
  const SqlSyntax& d = syntax();
  return by_kind(select(
      fmt::format("SELECT kind, COUNT(*) FROM property_events WHERE observed_at >= {} GROUP BY kind", d.time(1)),
      {Time{since}}, &event_count, "count events"));
}

std::vector<MarketRow> SqlStore::market(const MarketFilter& f) {
  const SqlSyntax& d = syntax();
  // The filter's codes, or every stored one; each with its name and counts.
  const std::string rows_sql = fmt::format(
      "WITH wanted(v) AS ({0}), codes(code) AS (SELECT municipality_code FROM properties "
      "WHERE municipality_code IS NOT NULL AND {1} = 1 UNION SELECT CAST(v AS bigint) FROM wanted) "
      "SELECT c.code, COALESCE(m.name, ''), COALESCE(p.n, 0), COALESCE(l.n, 0) FROM codes c "
      "LEFT JOIN municipalities m ON m.code = c.code "
      "LEFT JOIN (SELECT municipality_code AS code, COUNT(*) AS n FROM properties WHERE removed_at IS NULL "
      "GROUP BY municipality_code) p ON p.code = c.code "
      "LEFT JOIN (SELECT municipality_code AS code, COUNT(*) AS n FROM current_listings "
      "GROUP BY municipality_code) l ON l.code = c.code "
      "ORDER BY COALESCE(m.name, ''){2}, c.code",
      d.list(2), d.param(1), d.bytewise);
  const std::string counts_sql =
      fmt::format("WITH ev AS ({}) SELECT kind, code, SUM(CASE WHEN observed_at >= {} THEN 1 ELSE 0 END), COUNT(*) "
                  "FROM ev WHERE code IS NOT NULL GROUP BY kind, code",
                  market_events(d), d.time(5));
  std::vector<Param> params = filter_params(f);
  std::vector<MarketRow> rows;
  std::vector<Median> medians;
  std::vector<MarketCount> counts;
  // Three statements, each its own snapshot: a read-only SQLite connection takes no
  // transaction of ours (Dialect::begin writes), and a run commits at most a batch between them.
  guard("read the market", [&] {
    rows = select(rows_sql, params, &market_row);
    params.insert(params.end(), {Time{f.now - 30 * kDay}, Time{f.now}});
    medians = select(market_medians(d), params, &median);
    params.emplace_back(Time{f.now - 7 * kDay});
    counts = select(counts_sql, params, &market_count);
  });

  MarketRow total;
  total.municipality = "total";
  std::map<std::int64_t, MarketRow*> by_code;
  for (MarketRow& r : rows) {
    by_code[r.municipality_code] = &r;
    total.properties += r.properties;
    total.listed += r.listed;
  }
  for (const MarketCount& c : counts) {
    const auto row = by_code.find(c.code);
    if (row == by_code.end() || c.kind < 0 || c.kind >= std::ssize(kCounted)) continue;
    const auto [last_7d, last_30d] = kCounted[static_cast<std::size_t>(c.kind)];
    for (MarketRow* r : {row->second, &total}) {
      r->*last_7d += c.last_7d;
      r->*last_30d += c.last_30d;
    }
  }
  by_code[0] = &total;
  for (const Median& m : medians) {
    const auto row = by_code.find(m.code);
    if (row != by_code.end() && m.measure >= 0 && m.measure < std::ssize(kMedians))
      row->second->*kMedians[static_cast<std::size_t>(m.measure)] = m.value;
  }
  rows.push_back(std::move(total));
  return rows;
}

std::vector<WeeklyActivity> SqlStore::weekly_activity(const MarketFilter& f, UnixTime since) {
  const SqlSyntax& d = syntax();
  std::vector<WeeklyActivity> weeks;
  for (UnixTime w = week_start(since); w <= f.now; w += kWeek) weeks.push_back(WeeklyActivity{w, 0, 0, 0});
  if (weeks.empty()) return weeks;
  std::vector<Param> params = filter_params(f);
  params.insert(params.end(), {Time{weeks.front().week_start}, Time{f.now}, weeks.front().week_start});
  const auto counts = select(fmt::format("SELECT kind, w, COUNT(*) FROM (SELECT kind, ({} - {}) / {} AS w FROM ({}) AS ev) "
                                         "AS b GROUP BY kind, w",
                                         d.seconds("observed_at"), d.param(5), kWeek, market_events(d)),
                             params, &week_count, "read weekly activity");
  constexpr std::array<std::int64_t WeeklyActivity::*, 3> kWeekly = {
      &WeeklyActivity::new_listings, &WeeklyActivity::price_cuts, &WeeklyActivity::sales};
  for (const WeekCount& c : counts) {
    if (c.week >= 0 && c.week < std::ssize(weeks) && c.kind >= 0 && c.kind < std::ssize(kWeekly))
      weeks[static_cast<std::size_t>(c.week)].*kWeekly[static_cast<std::size_t>(c.kind)] += c.count;
  }
  return weeks;
}

std::vector<ListingPoint> SqlStore::listings(const MarketFilter& f) {
  const SqlSyntax& d = syntax();
  return select(
      fmt::format("SELECT l.address_id, {}, l.zip_code, COALESCE(l.city_name, ''), COALESCE(m.name, ''), l.price_cash, "
                  "CAST(l.living_area AS double precision), l.price_per_m2, p.latitude, p.longitude, "
                  "COALESCE(c.case_url, '') FROM current_listings l "
                  "JOIN properties p ON p.address_id = l.address_id "
                  "JOIN cases c ON c.address_id = l.address_id AND c.case_id = l.case_id "
                  "LEFT JOIN municipalities m ON m.code = l.municipality_code "
                  "WHERE {} ORDER BY l.address_id{}, l.case_id{}",
                  address("l"), in_filter(d, "l.municipality_code", 1), d.bytewise, d.bytewise),
      filter_params(f), &listing_point, "list the open listings");
}

std::vector<PriceCutRow> SqlStore::largest_price_cuts(const MarketFilter& f, UnixTime since, std::size_t limit) {
  const SqlSyntax& d = syntax();
  std::vector<Param> params = filter_params(f);
  params.insert(params.end(), {Time{since}, static_cast<std::int64_t>(limit)});
  return select(
      fmt::format("SELECT pc.address_id, {}, COALESCE(p.city_name, ''), COALESCE(m.name, ''), pc.old_price, "
                  "pc.new_price, pc.percent, {}, COALESCE(c.case_url, '') FROM price_cuts pc "
                  "JOIN properties p ON p.address_id = pc.address_id "
                  "LEFT JOIN cases c ON c.address_id = pc.address_id AND c.case_id = pc.case_id "
                  "LEFT JOIN municipalities m ON m.code = pc.municipality_code "
                  "WHERE pc.observed_at >= {} AND {} "
                  "ORDER BY pc.old_price - pc.new_price DESC, pc.observed_at, pc.event_id LIMIT {}",
                  address("pc"), d.time_column("pc.observed_at"), d.time(3), in_filter(d, "pc.municipality_code", 1),
                  d.param(4)),
      params, &price_cut_row, "list the largest price cuts");
}

namespace {

// A column selected so that ResultRow reads it the same in every dialect.
std::string export_expression(const SqlSyntax& d, const ExportColumn& c) {
  const std::string name(c.name);
  switch (c.kind) {
    case ExportKind::boolean: return fmt::format("CASE WHEN {0} THEN 1 WHEN NOT {0} THEN 0 END", name);
    case ExportKind::time: return d.time_column(name);
    default: return name;
  }
}

ExportValue export_value(const ResultRow& r, int i, ExportKind kind) {
  if (r.null(i)) return {};
  switch (kind) {
    case ExportKind::text: return r.text(i);
    case ExportKind::integer: return r.integer(i);
    case ExportKind::real: return r.real(i);
    case ExportKind::boolean: return r.integer(i) != 0;
    case ExportKind::time: return ExportTime{r.time(i)};
  }
  return {};
}

}  // namespace

// The names in the SQL are the catalogue's (export_tables.cpp), never the caller's text; the
// filter's values are bound. A row's municipality is its property's, so every table filters alike.
std::int64_t SqlStore::export_rows(const ExportTable& table, const ExportFilter& f,
                                   const std::function<void(const std::vector<ExportValue>&)>& row) {
  if (f.since && table.time_column.empty())
    throw StoreError(fmt::format("{} has no time column to select rows by", table.name));
  const SqlSyntax& d = syntax();
  std::vector<std::string> selected;
  for (const ExportColumn& c : table.columns) selected.push_back(export_expression(d, c));
  std::vector<std::string> order;
  for (std::size_t i = 0; i < table.keys; ++i)
    order.push_back(fmt::format("{}{}", table.columns[i].name, table.columns[i].kind == ExportKind::text ? d.bytewise : ""));
  std::string where = fmt::format(
      "({} = 1 OR address_id IN (SELECT address_id FROM properties WHERE CAST(municipality_code AS text) IN ({})))",
      d.param(1), d.list(2));
  std::vector<Param> params = code_params(f.municipality_codes);
  if (f.since) {
    where += fmt::format(" AND {} >= {}", table.time_column, d.time(3));
    params.emplace_back(Time{*f.since});
  }
  const std::string sql = fmt::format("SELECT {} FROM {} WHERE {} ORDER BY {}", fmt::join(selected, ", "), table.name,
                                      where, fmt::join(order, ", "));
  std::int64_t rows = 0;
  std::vector<ExportValue> values(table.columns.size());
  guard("export rows", [&] {
    // A dialect retries a call whose connection was lost; rows already given cannot be.
    if (rows > 0) throw StoreError(fmt::format("{}: the connection was lost during the export", name()));
    stream(sql, params, [&](const ResultRow& r) {
      for (std::size_t i = 0; i < values.size(); ++i) values[i] = export_value(r, static_cast<int>(i), table.columns[i].kind);
      row(values);
      ++rows;
    });
  });
  return rows;
}

std::optional<std::int64_t> SqlStore::run_id() const {
  const std::int64_t id = run_id_;
  return id > 0 ? std::optional<std::int64_t>(id) : std::nullopt;
}

}  // namespace etl::loaders_detail
