// Dialect-independent views of a propetl database for tests, read with SQLiteCpp / SOCI
// directly (never through the Store under test).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace etl::test {

// Every data table (properties, property_payloads, buildings, registrations, cases, price_changes,
// municipalities, provinces, roads, zip_codes, cities; not the etl_* bookkeeping nor
// schema_migrations), every column in schema order except the time-of-run columns
// first_seen_at, last_seen_at and fetched_at; removed_at becomes a 0/1 "removed" flag. Rows
// are sorted by primary key (typed: numbers numerically, text bytewise), so the order does
// not depend on the database's collation. Values render identically in both dialects:
// NULL, integers in decimal (booleans as 0/1, payload_hash as the stored signed 64-bit
// value), floating point in shortest round-trip form, text as a JSON string literal, and
// raw_json as canonical JSON (keys sorted, no whitespace, numbers re-rendered) because
// JSONB (PostgreSQL's type for it before migration 011) reorders keys and respaces the text. A SQLite and a PostgreSQL
// database holding the same data give byte-identical dumps.
std::string canonical_dump(const std::string& db_url);
// The same of the named tables only, in that order (e.g. of a database at an older schema).
std::string canonical_dump(const std::string& db_url, const std::vector<std::string>& tables);

// The live properties and their child rows (payloads, buildings, registrations, open cases,
// price_changes), rendered as canonical_dump does: what an incremental run must make equal
// to a clean import at the same moment. Removed properties and the dimension tables (which
// keep rows of properties that are gone) are left out.
std::string live_dump(const std::string& db_url);

// SELECT COUNT(*) FROM table (the name must be a plain identifier).
std::int64_t count_rows(const std::string& db_url, const std::string& table);

// Runs one SELECT and returns its rows with every value as text: NULL as "NULL", integers
// in decimal, floating point in shortest round-trip form. Cast booleans to integer in the
// SQL (CAST(x AS integer)) for dialect-independent results.
std::vector<std::vector<std::string>> query_rows(const std::string& db_url, const std::string& sql);

// Runs each statement in turn (DDL, writes) outside any transaction of the caller's.
void exec_sql(const std::string& db_url, const std::vector<std::string>& statements);

// Canonical JSON of a JSON text (used for raw_json in dumps); throws on invalid JSON.
std::string canonical_json(const std::string& json);

}  // namespace etl::test
