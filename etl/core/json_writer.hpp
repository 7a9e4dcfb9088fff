// A small streaming JSON writer for summaries and records: correct string escaping, no
// allocation of intermediate trees.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace etl {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view v);
  JsonWriter& value(const char* v) { return value(std::string_view(v)); }
  JsonWriter& value(std::int64_t v);
  JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
  JsonWriter& value(double v);  // 6 significant digits (%.6g)
  JsonWriter& exact(double v);  // exact_number(v): for values a script compares
  JsonWriter& value(bool v);
  JsonWriter& null();

  template <class T>
  JsonWriter& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

  const std::string& str() const { return out_; }

 private:
  void separate();
  std::string out_;
  bool need_comma_ = false;
};

// `v` in the fewest decimal digits that read back as the same double, never an exponent:
// 3500000, 37654.125, -4.1666666666666661. Not finite: "null".
std::string exact_number(double v);

// `s` as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

}  // namespace etl
