// Reader: one simdjson on-demand document read with the JSON path of the value being read,
// for error messages ($.buildings[2].yearBuilt) and notes; typed getters that leave an odd
// but legal value empty with a note. Internal to extractors/ (the property parser).
#pragma once

#include <fmt/format.h>
#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "etl/core/errors.hpp"

namespace etl::parse_detail {

namespace od = simdjson::ondemand;

inline const char* type_name(od::json_type t) {
  switch (t) {
    case od::json_type::array: return "an array";
    case od::json_type::object: return "an object";
    case od::json_type::number: return "a number";
    case od::json_type::string: return "a string";
    case od::json_type::boolean: return "a boolean";
    case od::json_type::null: return "null";
  }
  return "an unknown value";
}

// Reads one document; keeps the path of the value being read for error messages.
class Reader {
 public:
  // One segment of the JSON path: a key, or an array index when key is empty.
  struct Segment {
    std::string_view key;
    std::size_t index;
  };

  // Pushes a path segment for the lifetime of the scope.
  class Scope {
   public:
    Scope(Reader& r, std::string_view key) : r_(r) { r_.path_.push_back({key, 0}); }
    Scope(Reader& r, std::size_t index) : r_(r) { r_.path_.push_back({{}, index}); }
    ~Scope() { r_.path_.pop_back(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Reader& r_;
  };

  void reset() {
    path_.clear();
    notes_.clear();
  }

  // An odd but legal value: the typed field is left empty or rounded, the payload keeps it.
  void note(std::string what) const { notes_.push_back(path() + ": " + std::move(what)); }
  void note_at(const std::string& at, std::string what) const { notes_.push_back(at + ": " + std::move(what)); }
  std::vector<std::string> take_notes() { return std::move(notes_); }

  std::string path() const {
    std::string out = "$";
    for (const auto& s : path_) {
      if (s.key.empty()) {
        out += fmt::format("[{}]", s.index);
      } else {
        out += '.';
        out += s.key;
      }
    }
    return out;
  }

  [[noreturn]] void fail(std::string reason) const { throw ParseError(path(), std::move(reason)); }

  void check(simdjson::error_code e) const {
    if (e != simdjson::SUCCESS) fail(simdjson::error_message(e));
  }

  od::json_type type_of(od::value& v) const {
    od::json_type t{};
    check(v.type().get(t));
    // type() looks at the first character only: a misspelt literal is invalid JSON, not an odd value.
    if (t == od::json_type::null) {
      bool is_null = false;
      check(v.is_null().get(is_null));
      if (!is_null) fail("invalid literal");
    } else if (t == od::json_type::boolean) {
      bool b = false;
      if (v.get_bool().get(b) != simdjson::SUCCESS) fail("invalid literal");
    }
    return t;
  }

  // The getters first try the expected type: a scalar getter that fails leaves the value
  // unread, so the slow path below can still classify it. The fast path halves the cost of
  // a field (type() plus get_number_type() plus the getter each rescan the token).
  std::optional<std::int64_t> opt_int(od::value& v) const {
    std::int64_t i = 0;
    if (v.get_int64().get(i) == simdjson::SUCCESS) return i;
    return opt_int_slow(v);
  }

  std::optional<std::int64_t> opt_int_slow(od::value& v) const {
    od::json_type t = type_of(v);
    if (t == od::json_type::null) return std::nullopt;
    if (t != od::json_type::number) return odd(fmt::format("expected an integer, got {}", type_name(t)));
    od::number_type nt{};
    if (v.get_number_type().get(nt) != simdjson::SUCCESS) {
      double d = 0;  // a valid number simdjson cannot type is one beyond 64 bits
      if (v.get_double().get(d) != simdjson::SUCCESS) fail("invalid number");
      return odd("integer out of range");
    }
    if (nt == od::number_type::unsigned_integer) return odd("integer out of range");
    if (nt == od::number_type::signed_integer) {
      std::int64_t i = 0;
      if (v.get_int64().get(i) == simdjson::SUCCESS) return i;
      return odd("integer out of range");  // below INT64_MIN
    }
    double d = 0;
    check(v.get_double().get(d));
    if (!(std::fabs(d) < 9.2e18)) return odd(fmt::format("integer out of range: {}", d));
    // The API sends some integers as 140.0; a fraction is rounded in the typed column.
    if (std::trunc(d) != d) note(fmt::format("rounded {} to an integer", d));
    return std::llround(d);
  }

  // Notes an odd value and leaves its typed field empty.
  std::nullopt_t odd(std::string what) const {
    note(std::move(what) + "; left empty");
    return std::nullopt;
  }

  std::optional<double> opt_double(od::value& v) const {
    double d = 0;
    if (v.get_double().get(d) == simdjson::SUCCESS) return d;
    od::json_type t = type_of(v);
    if (t == od::json_type::null) return std::nullopt;
    if (t != od::json_type::number) return odd(fmt::format("expected a number, got {}", type_name(t)));
    check(v.get_double().get(d));
    return d;
  }

  std::optional<bool> opt_bool(od::value& v) const {
    bool b = false;
    if (v.get_bool().get(b) == simdjson::SUCCESS) return b;
    od::json_type t = type_of(v);
    if (t == od::json_type::null) return std::nullopt;
    if (t != od::json_type::boolean) return odd(fmt::format("expected a boolean, got {}", type_name(t)));
    check(v.get_bool().get(b));
    return b;
  }

  std::optional<std::string> opt_string(od::value& v) const {
    std::string_view s;
    if (v.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
    od::json_type t = type_of(v);
    if (t == od::json_type::null) return std::nullopt;
    if (t != od::json_type::string) return odd(fmt::format("expected a string, got {}", type_name(t)));
    check(v.get_string().get(s));
    return std::string(s);
  }

  // Identifiers and labels the API sends as strings but sometimes as integers
  // (registrationID "5243681" or 5243681, buildingNumber, houseNumber): kept as text.
  std::optional<std::string> opt_text(od::value& v) const {
    std::string_view s;
    if (v.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
    od::json_type t = type_of(v);
    if (t == od::json_type::number) {
      if (auto i = opt_int(v)) return std::to_string(*i);
    }
    if (t == od::json_type::null) return std::nullopt;
    if (t != od::json_type::string) fail(fmt::format("expected a string or an integer, got {}", type_name(t)));
    check(v.get_string().get(s));
    return std::string(s);
  }

  // nullopt for null; fails for anything but an object.
  std::optional<od::object> opt_object(od::value& v) const {
    od::json_type t = type_of(v);
    if (t == od::json_type::null) return std::nullopt;
    if (t != od::json_type::object) fail(fmt::format("expected an object, got {}", type_name(t)));
    od::object o;
    check(v.get_object().get(o));
    return o;
  }

  // Calls fn(key, value) for each field; the key is in the path while fn runs.
  template <typename Fn>
  void for_each_field(od::object& obj, Fn&& fn) {
    for (auto result : obj) {
      check(result.error());
      od::field& field = result.value_unsafe();  // in place: copying it stalls on the fresh stores
      std::string_view key;
      check(field.unescaped_key().get(key));
      Scope scope(*this, key);
      fn(key, field.value());
    }
  }

  // Calls fn(index, element) for each element of an array value (null = empty).
  template <typename Fn>
  void for_each_element(od::value& v, Fn&& fn) {
    od::json_type t = type_of(v);
    if (t == od::json_type::null) return;
    if (t != od::json_type::array) fail(fmt::format("expected an array, got {}", type_name(t)));
    od::array arr;
    check(v.get_array().get(arr));
    std::size_t i = 0;
    for (auto result : arr) {
      Scope scope(*this, i);
      check(result.error());
      fn(i, result.value_unsafe());
      ++i;
    }
  }

 private:
  std::vector<Segment> path_;
  mutable std::vector<std::string> notes_;
};

}  // namespace etl::parse_detail
