// The helpers every store shares (see store_common.hpp): URL redaction, clipping, the schema
// hint, the stored form of hashes and of filters' lists.
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

std::size_t scheme_length(std::string_view url) {
  std::size_t i = 0;
  while (i < url.size() && (std::isalnum(static_cast<unsigned char>(url[i])) || url[i] == '+' || url[i] == '.' ||
                            url[i] == '-')) {
    ++i;
  }
  if (i == 0 || i >= url.size() || url[i] != ':' || !std::isalpha(static_cast<unsigned char>(url[0]))) return 0;
  return i;
}

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

std::int64_t hash_to_db(std::uint64_t hash) { return static_cast<std::int64_t>(hash); }
std::uint64_t hash_from_db(std::int64_t stored) { return static_cast<std::uint64_t>(stored); }
std::optional<std::int64_t> hash_to_db(const std::optional<std::uint64_t>& hash) {
  return hash ? std::optional(hash_to_db(*hash)) : std::nullopt;
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

}  // namespace etl::loaders_detail

namespace etl {

std::string redact_secrets(const std::string& text) { return loaders_detail::redact_text(text); }

std::string redact_db_url(const std::string& url) {
  std::string out = url;
  if (const auto [b, e] = loaders_detail::password_span(url); b != std::string::npos) out.replace(b, e - b, "***");
  return loaders_detail::redact_text(out);
}

}  // namespace etl
