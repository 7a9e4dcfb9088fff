// Helpers every dialect's store shares. Internal to loaders/.
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

// The length of the URL's "scheme" (RFC 3986: a letter, then letters, digits, '+', '.', '-')
// when a ':' follows it, else 0.
std::size_t scheme_length(std::string_view url);

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

// --- values ---------------------------------------------------------------------------

// payload_hash and search_hash are stored as the signed 64-bit integer with the same bit pattern.
std::int64_t hash_to_db(std::uint64_t hash);
std::uint64_t hash_from_db(std::int64_t stored);
std::optional<std::int64_t> hash_to_db(const std::optional<std::uint64_t>& hash);

// The stored names of these kinds; every kind's when `kinds` is empty (EventFilter).
std::vector<std::string> event_kind_names(const std::vector<EventKind>& kinds);

// The codes as text (EventFilter's municipality list, bound as a text list).
std::vector<std::string> code_texts(const std::vector<std::int64_t>& codes);

}  // namespace etl::loaders_detail
