#include "tests/replica/replica_json.hpp"

#include <cctype>
#include <cstdio>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace etl::test {

std::vector<std::string> raw_addresses(const std::string& body) { return raw_items(body, "addresses"); }

std::vector<std::string> raw_items(const std::string& body, const std::string& list) {
  if (body.find("\"" + list + "\":null") != std::string::npos) return {};
  const std::string marker = "\"" + list + "\":[";
  auto pos = body.find(marker);
  if (pos == std::string::npos) throw std::runtime_error("no " + list + " array in: " + body.substr(0, 200));
  pos += marker.size();
  std::vector<std::string> items;
  int depth = 0;
  bool in_string = false;
  std::size_t start = pos;
  for (std::size_t i = pos; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (depth++ == 0) start = i;
    } else if (c == '}' || c == ']') {
      if (depth == 0) break;  // the end of the addresses array
      if (--depth == 0) items.push_back(body.substr(start, i - start + 1));
    }
  }
  return items;
}

void add_shape(Shape& shape, simdjson::dom::element e, const std::string& root) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::OBJECT:
      shape[root].insert("object");
      for (auto field : e.get_object()) {
        add_shape(shape, field.value, root + "." + std::string(field.key));
      }
      break;
    case element_type::ARRAY:
      shape[root].insert("array");
      for (auto item : e.get_array()) add_shape(shape, item, root + "[]");
      break;
    case element_type::INT64:
    case element_type::UINT64: shape[root].insert("int"); break;
    case element_type::DOUBLE: shape[root].insert("float"); break;
    case element_type::STRING: shape[root].insert("string"); break;
    case element_type::BOOL: shape[root].insert("bool"); break;
    case element_type::NULL_VALUE: shape[root].insert("null"); break;
  }
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string url_encode(const std::string& s) {
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) || c == '-') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace etl::test
