// Plain JSON text building with correct escaping; keys are written in the order given.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace replica {

class JsonWriter {
 public:
  explicit JsonWriter(std::size_t reserve = 0) { out_.reserve(reserve); }

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b) { return raw(b ? "true" : "false"); }
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  JsonWriter& value(T n) {
    return raw(std::to_string(n));
  }
  JsonWriter& null() { return raw("null"); }
  // Always written with a decimal point, so readers see a float even for whole numbers.
  JsonWriter& decimal(double v, int places);
  // Whole values written as integers, others as decimals: the API mixes both in one field.
  JsonWriter& number(double v, int places);
  // Already-serialised JSON.
  JsonWriter& raw(std::string_view json);

  template <class T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  std::string take() { return std::move(out_); }

 private:
  JsonWriter& open(char c);
  JsonWriter& close(char c);
  void separate();

  std::string out_;
  bool need_comma_ = false;
};

}  // namespace replica
