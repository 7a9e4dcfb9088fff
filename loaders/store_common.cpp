// The helpers both stores share (see store_common.hpp): URL parsing and redaction, UTC
// time text, the stored form of hashes, JSON ID arrays, the open_cases statement.
#include "loaders/store_common.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <cctype>

#include <fmt/format.h>

#include "etl/core/errors.hpp"
#include "etl/core/json_writer.hpp"
#include "etl/core/utc_time.hpp"
#include "loaders/migrations.hpp"

namespace etl::loaders_detail {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The length of the URL's "scheme" (RFC 3986: a letter, then letters, digits, '+', '.', '-')
// when a ':' follows it, else 0.
std::size_t scheme_length(std::string_view url) {
  std::size_t i = 0;
  while (i < url.size() && (std::isalnum(static_cast<unsigned char>(url[i])) || url[i] == '+' || url[i] == '.' ||
                            url[i] == '-')) {
    ++i;
  }
  if (i == 0 || i >= url.size() || url[i] != ':' || !std::isalpha(static_cast<unsigned char>(url[0]))) return 0;
  return i;
}

}  // namespace

std::pair<std::size_t, std::size_t> password_span(const std::string& url) {
  constexpr auto none = std::pair{std::string::npos, std::string::npos};
  // After any "scheme:" and its slashes, however many: a mistyped "postgresql:/user:pw@host"
  // hides its password as well as a well-formed one.
  const std::size_t scheme = scheme_length(url);
  if (scheme == 0) return none;
  std::size_t start = scheme + 1;
  while (start < url.size() && url[start] == '/') ++start;
  // The authority ends at the last '@' before the query: an unencoded '@' or '/' inside a
  // password must not leak the rest of it.
  const auto query = url.find('?', start);
  const auto at = url.rfind('@', query == std::string::npos ? std::string::npos : query);
  if (at == std::string::npos || at < start) return none;
  const auto colon = url.find(':', start);
  if (colon == std::string::npos || colon > at) return none;
  return {colon + 1, at};
}

namespace {

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      const int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

}  // namespace

DbUrl parse_db_url(const std::string& url) {
  const auto [pw_begin, pw_end] = password_span(url);
  const bool has_password = pw_begin != std::string::npos;
  if (starts_with(url, "sqlite:")) {
    std::string path = url.substr(7);
    if (starts_with(path, "//")) path = path.substr(2);  // tolerate sqlite://PATH and sqlite:///ABS
    if (path.empty()) throw ConfigError("database URL 'sqlite:' has no file path; use sqlite:PATH, e.g. sqlite:data/etl.db");
    // Else the password would become part of a file name, and of every message naming it.
    if (has_password)
      throw ConfigError("database URL '" + redact_db_url(url) +
                        "' holds a user and password (user:password@), which SQLite does not take; use sqlite:PATH");
    return {DbKind::sqlite, path};
  }
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    // libpq splits the authority at the first '@' and the path at the first '/': the rest of
    // such a password would be read as a host or database name and quoted in its errors.
    if (has_password && url.find_first_of("@/", pw_begin) < pw_end)
      throw ConfigError("database URL '" + redact_db_url(url) +
                        "': the password contains '@' or '/'; percent-encode them (%40, %2F), or leave the password "
                        "out of the URL and use PGPASSWORD or ~/.pgpass");
    return {DbKind::postgresql, url};
  }
  const std::string expected =
      "expected a file path (e.g. data/etl.db), sqlite:PATH or postgresql://user:password@host:port/dbname "
      "(postgres:// also accepted)";
  if (const std::size_t scheme = scheme_length(url); scheme > 0) {
    // Only the scheme and its slashes: in what follows a mistyped URL can hide a password
    // where redact_db_url finds none ("etl:pw@host": the user taken for a scheme).
    std::size_t shown = scheme + 1;
    while (shown < url.size() && url[shown] == '/') ++shown;
    throw ConfigError("unsupported database URL '" + url.substr(0, shown) + "...': " + expected);
  }
  if (url.empty()) throw ConfigError("the database URL is empty: " + expected);
  // A URL that lost its scheme or its ':' ("postgresql//etl:pw@host") is no file name, and
  // would show its password in every message naming the file.
  if (url.find('@') != std::string::npos)
    throw ConfigError("the database URL has a user@ or user:password@ but no scheme (not echoed: it may hold a "
                      "password): " + expected + "; a file whose name has an '@' is sqlite:PATH");
  return {DbKind::sqlite, url};
}

std::string url_password(const std::string& url) {
  std::string pw;
  const auto [b, e] = password_span(url);
  if (b != std::string::npos) pw = percent_decode(std::string_view(url).substr(b, e - b));
  if (const auto q = url.find('?'); pw.empty() && q != std::string::npos) {
    for (std::size_t pos = q; pos != std::string::npos && pos < url.size(); pos = url.find('&', pos + 1)) {
      const std::string_view param = std::string_view(url).substr(pos + 1);
      if (param.substr(0, 9) == "password=") {
        const std::string_view value = param.substr(9);
        pw = percent_decode(value.substr(0, value.find_first_of("&#")));
        break;
      }
    }
  }
  return pw;
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_scheme_char(char c) { return is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-'; }

// "scheme://user:secret@host" anywhere in `text` -> "scheme://user:***@host".
void redact_userinfo(std::string& text) {
  for (std::size_t pos = text.find("://"); pos != std::string::npos; pos = text.find("://", pos + 3)) {
    std::size_t s = pos;
    while (s > 0 && is_scheme_char(text[s - 1])) --s;
    if (s == pos || !is_alpha(text[s])) continue;
    std::size_t i = pos + 3;
    while (i < text.size() && !is_space(text[i]) && text[i] != ':' && text[i] != '/' && text[i] != '@') ++i;
    if (i >= text.size() || text[i] != ':') continue;
    std::size_t end = i + 1;
    while (end < text.size() && !is_space(text[end])) ++end;
    const auto at = text.rfind('@', end - 1);
    if (at == std::string::npos || at <= i) continue;
    text.replace(i + 1, at - i - 1, "***");
  }
}

// "password=secret", "password = 'se cret'" (any case) -> "password=***".
void redact_password_keyword(std::string& text) {
  std::string lower = text;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t pos = lower.find("password"); pos != std::string::npos; pos = lower.find("password", pos + 1)) {
    std::size_t i = pos + 8;
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size() || text[i] != '=') continue;
    ++i;
    while (i < text.size() && is_space(text[i])) ++i;
    std::size_t end = i;
    if (end < text.size() && text[end] == '\'') {
      end = text.find('\'', end + 1);
      end = end == std::string::npos ? text.size() : end + 1;
    } else {
      while (end < text.size() && !is_space(text[end]) && text[end] != '&') ++end;
    }
    if (end == i || text.compare(i, end - i, "***") == 0) continue;
    text.replace(i, end - i, "***");
    lower.replace(i, end - i, "***");
  }
}

}  // namespace

std::string redact_text(std::string text, const std::string& url) {
  if (!url.empty()) {
    const auto [b, e] = password_span(url);
    std::vector<std::string> secrets;
    if (b != std::string::npos && e > b) {
      secrets.push_back(url.substr(b, e - b));
      secrets.push_back(percent_decode(secrets.back()));
    }
    if (const auto pw = url_password(url); !pw.empty()) secrets.push_back(pw);
    for (const auto& s : secrets) {
      if (s.size() < 3) continue;  // too short to replace blindly; the patterns below still apply
      for (std::size_t pos = 0; (pos = text.find(s, pos)) != std::string::npos;) {
        text.replace(pos, s.size(), "***");
        pos += 3;
      }
    }
  }
  redact_userinfo(text);
  redact_password_keyword(text);
  return text;
}

std::string clip(std::string text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "...";
}

std::string schema_hint(int version, std::string_view dialect, const std::string& url) {
  const auto migrations = migrations_for(dialect);
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (version >= latest) return "";
  return fmt::format(" (the database's schema is at migration {} of {}: run `etl migrate --db {}`)", version, latest,
                     redact_db_url(url));
}

std::string format_utc(UnixTime t) {
  if (auto text = format_utc_time(t)) return *text;
  throw StoreError("timestamp out of range: " + std::to_string(t));
}

UnixTime parse_utc(std::string_view text) {
  if (const auto t = parse_utc_time(text)) return *t;
  throw StoreError("malformed stored timestamp '" + std::string(text) + "' (expected YYYY-MM-DDTHH:MM:SSZ)");
}

std::int64_t hash_to_db(std::uint64_t hash) { return static_cast<std::int64_t>(hash); }
std::uint64_t hash_from_db(std::int64_t stored) { return static_cast<std::uint64_t>(stored); }
std::optional<std::int64_t> hash_to_db(const std::optional<std::uint64_t>& hash) {
  return hash ? std::optional(hash_to_db(*hash)) : std::nullopt;
}

namespace {

// How a dialect reads a time parameter and selects a time column (read_rows.hpp's Cells::time).
std::string time_param(DbKind d, std::string_view name) {
  return d == DbKind::postgresql ? fmt::format("to_timestamp(:{})", name) : fmt::format(":{}", name);
}
std::string time_column(DbKind d, std::string_view column) {
  return d == DbKind::postgresql ? fmt::format("CAST(EXTRACT(EPOCH FROM {}) AS bigint)", column) : std::string(column);
}
// The values of a bound text list (json_string_array / text_array) as a subquery.
std::string list_param(DbKind d, std::string_view name) {
  return d == DbKind::postgresql ? fmt::format("SELECT unnest(CAST(:{} AS text[]))", name)
                                 : fmt::format("SELECT value FROM json_each(:{})", name);
}

// The properties of a PropertyScope (parameters :code, :every_type, :types).
std::string in_scope(DbKind d) {
  return fmt::format("municipality_code = :code AND removed_at IS NULL AND (:every_type = 1 "
                     "OR address_type IS NULL OR address_type IN ({}))",
                     list_param(d, "types"));
}

}  // namespace

std::string open_cases_sql(DbKind d) {
  // SQLite compares text bytewise already; PostgreSQL would use the database's collation.
  const char* bytewise = d == DbKind::postgresql ? " COLLATE \"C\"" : "";
  // A case whose status is unknown counts as open (the detail lists its open cases).
  return fmt::format(
      "WITH props AS (SELECT address_id, is_on_market FROM properties WHERE {1}), "
      "listed AS (SELECT c.case_id, c.address_id, c.price_cash, COALESCE(c.distinction, '') AS distinction "
      "FROM cases c JOIN props p ON p.address_id = c.address_id WHERE c.ended_at IS NULL AND COALESCE(c.status, 'open') = 'open') "
      "SELECT case_id, address_id, price_cash, distinction FROM ("
      "SELECT case_id, address_id, price_cash, distinction FROM listed UNION ALL "
      "SELECT '', address_id, NULL, '' FROM props WHERE CAST(is_on_market AS integer) = 1 "
      "AND address_id NOT IN (SELECT address_id FROM listed)) AS u "
      "ORDER BY address_id{0}, case_id{0}",
      bytewise, in_scope(d));
}

std::string ids_not_seen_since_sql(DbKind d) {
  return fmt::format("SELECT address_id FROM properties WHERE {} AND last_seen_at < {} ORDER BY address_id",
                     in_scope(d), time_param(d, "since"));
}

std::vector<std::string> event_kind_names(const std::vector<EventKind>& kinds) {
  std::vector<std::string> out;
  if (kinds.empty()) {
    for (const std::string_view name : kEventKindNames.names) out.emplace_back(name);
  }
  for (const EventKind k : kinds) out.emplace_back(to_string(k));
  return out;
}

std::vector<std::string> code_texts(const std::vector<std::int64_t>& codes) {
  std::vector<std::string> out;
  for (const std::int64_t c : codes) out.push_back(std::to_string(c));
  return out;
}

std::string events_sql(DbKind d) {
  return fmt::format(
      "SELECT e.address_id, e.kind, e.case_id, e.old_price, e.new_price, e.percent, e.sale_amount, e.sale_date, "
      "e.run_id, {}, TRIM(COALESCE(p.road_name, '') || ' ' || COALESCE(p.house_number, '')), p.zip_code, "
      "COALESCE(p.city_name, ''), p.municipality_code, COALESCE(m.name, '') "
      "FROM property_events e LEFT JOIN properties p ON p.address_id = e.address_id "
      "LEFT JOIN municipalities m ON m.code = p.municipality_code "
      "WHERE e.observed_at >= {} AND COALESCE(e.run_id, 0) >= :first_run AND e.kind IN ({}) "
      "AND (:every_municipality = 1 OR CAST(p.municipality_code AS text) IN ({})) "
      "ORDER BY e.observed_at, e.id",
      time_column(d, "e.observed_at"), time_param(d, "since"), list_param(d, "kinds"), list_param(d, "codes"));
}

std::string event_counts_sql(DbKind d) {
  return fmt::format("SELECT kind, COUNT(*) FROM property_events WHERE observed_at >= {} GROUP BY kind",
                     time_param(d, "since"));
}

std::string json_string_array(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += json_quote(values[i]);
  }
  out += ']';
  return out;
}

}  // namespace etl::loaders_detail

namespace etl {

std::string redact_secrets(const std::string& text) { return loaders_detail::redact_text(text); }

std::string redact_db_url(const std::string& url) {
  std::string out = url;
  if (const auto [b, e] = loaders_detail::password_span(url); b != std::string::npos) out.replace(b, e - b, "***");
  return loaders_detail::redact_text(out);
}

}  // namespace etl
