// IDs as the API writes them (address, case and registration IDs: UUIDs or digit strings).
// An ID is checked where it enters, so a hostile one (a NUL, a control character, a 2 MB
// string) never reaches a database key or a URL; messages show it escaped.
#pragma once

#include <string>
#include <string_view>

namespace etl {

// 1 to 64 characters of [0-9A-Za-z_-].
inline bool valid_api_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// Printable ASCII as it is, every other byte as \xNN; at most the first 80 bytes.
inline std::string escape_id(std::string_view id) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : id.substr(0, 80)) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7f && b != '\\') {
      out.push_back(c);
    } else {
      out += "\\x";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xf]);
    }
  }
  if (id.size() > 80) out += "...";
  return out;
}

}  // namespace etl
