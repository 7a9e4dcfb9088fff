#include "replica/json_writer.hpp"

#include <cmath>
#include <cstdio>

namespace replica {

void JsonWriter::separate() {
  if (need_comma_) out_.push_back(',');
}

JsonWriter& JsonWriter::open(char c) {
  separate();
  out_.push_back(c);
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::close(char c) {
  out_.push_back(c);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  value(name);
  out_.push_back(':');
  need_comma_ = false;
  return *this;
}

// Runs of characters that need no escape are appended whole: byte by byte, escaping was a
// third of the replica's CPU when serving search pages.
JsonWriter& JsonWriter::value(std::string_view s) {
  separate();
  out_.push_back('"');
  std::size_t plain = 0;  // start of the run not yet appended
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;  // UTF-8 passes through
    out_.append(s, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
        out_ += buf;
      }
    }
  }
  out_.append(s, plain, s.size() - plain);
  out_.push_back('"');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  out_ += json;
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::decimal(double v, int places) {
  char buf[64];
  const double rounded = std::round(v * std::pow(10.0, places)) / std::pow(10.0, places);
  int n = std::snprintf(buf, sizeof buf, "%.*f", places, rounded == 0.0 ? 0.0 : rounded);
  // Trim trailing zeros but keep one digit after the point.
  while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.') --n;
  return raw(std::string_view(buf, static_cast<std::size_t>(n)));
}

JsonWriter& JsonWriter::number(double v, int places) {
  const double rounded = std::round(v * std::pow(10.0, places)) / std::pow(10.0, places);
  if (rounded == std::floor(rounded)) return value(static_cast<std::int64_t>(rounded));
  return decimal(rounded, places);
}

}  // namespace replica
