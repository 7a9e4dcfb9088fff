// Helpers shared by the SQLite and PostgreSQL stores. Internal to loaders/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loaders/store.hpp"

namespace etl::loaders_detail {

// How a store is opened: read_only creates, migrates and writes nothing (open_read_store).
enum class StoreAccess { read_write, read_only };

// --- URLs -----------------------------------------------------------------------------

enum class DbKind { sqlite, postgresql };

struct DbUrl {
  DbKind kind = DbKind::sqlite;
  std::string target;  // SQLite: the file path; PostgreSQL: the URL as given
};

// "sqlite:PATH", "postgresql://..." or "postgres://...", or a plain file path, as sqlite-utils
// and Datasette take one: a value with no "scheme:" prefix and no '@' is a SQLite path
// ("full.db", "data/etl.db", "/var/lib/propetl/etl.db", "./a:b.db"). Throws ConfigError
// (message lists the accepted forms; no password shown) for any other scheme, a value with an
// '@' but no scheme (a URL that lost it: never a file), a sqlite: URL holding a
// user:password@, and a PostgreSQL password with an unencoded '@' or '/'.
DbUrl parse_db_url(const std::string& url);

// Scrubs credentials from free text (error messages, commands): "scheme://user:pw@" ->
// "scheme://user:***@", "password=pw" -> "password=***", and, when `url` is given, every
// literal occurrence of its password.
std::string redact_text(std::string text, const std::string& url = {});

// At most `max` bytes (cut on a UTF-8 boundary, "..." appended): database errors can quote
// a whole failing row, payload included.
std::string clip(std::string text, std::size_t max = 1000);

// [begin, end) of the password inside "scheme://user:password@host..." (any number of slashes
// after "scheme:", none included), or {npos, npos}.
// The authority ends at the last '@' before the query, so an unencoded '@' or '/' inside a
// password does not leak the rest of it. The one place a URL's userinfo is parsed.
std::pair<std::size_t, std::size_t> password_span(const std::string& url);

// The password of a URL (percent-decoded), empty if none.
std::string url_password(const std::string& url);

// --- schema ---------------------------------------------------------------------------

// For a store opened read-only at schema `version` (0: none): empty when it is the latest of
// `dialect`'s migrations ("sqlite", "postgres"), else " (the database's schema is at
// migration N of M: run `etl migrate --db URL`)", appended to its errors.
std::string schema_hint(int version, std::string_view dialect, const std::string& url);

// --- time -----------------------------------------------------------------------------

// 'YYYY-MM-DDTHH:MM:SSZ' (UTC), the SQLite storage form of a timestamp.
std::string format_utc(UnixTime t);
// Inverse of format_utc; throws StoreError on anything else.
UnixTime parse_utc(std::string_view text);

// --- values ---------------------------------------------------------------------------

// payload_hash and search_hash are stored as the signed 64-bit integer with the same bit pattern.
std::int64_t hash_to_db(std::uint64_t hash);
std::uint64_t hash_from_db(std::int64_t stored);
std::optional<std::int64_t> hash_to_db(const std::optional<std::uint64_t>& hash);

// The stored names of these kinds; every kind's when `kinds` is empty (EventFilter).
std::vector<std::string> event_kind_names(const std::vector<EventKind>& kinds);

// The codes as text (EventFilter's municipality list, bound as a text list).
std::vector<std::string> code_texts(const std::vector<std::int64_t>& codes);

// ["a","b",...] for SQLite's json_each.
std::string json_string_array(const std::vector<std::string>& values);

// --- statements -----------------------------------------------------------------------

// Store::open_cases' statement, ordered bytewise in both dialects: rows (case_id, address_id,
// price_cash, distinction); parameters in order: the scope's municipality code, every type (1
// or 0), its address types (the dialect's text list).
std::string open_cases_sql(DbKind dialect);

// Store::ids_not_seen_since's statement: rows (address_id); parameters the scope's (as in
// open_cases_sql), then since (SQLite: UTC text; PostgreSQL: Unix seconds).
std::string ids_not_seen_since_sql(DbKind dialect);

// Store::events' statement (rows as read_rows.hpp's event_row decodes), parameters in order:
// since (SQLite: UTC text; PostgreSQL: Unix seconds), first run, kinds (the dialect's text
// list), every municipality (1 or 0), municipality codes as text (the dialect's text list).
std::string events_sql(DbKind dialect);

// Store::event_counts' statement: kind, count; one parameter, since (as in events_sql).
std::string event_counts_sql(DbKind dialect);

}  // namespace etl::loaders_detail
