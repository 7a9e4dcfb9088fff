// JSON helpers for the replica tests: raw search items and key-path shapes.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <simdjson.h>

namespace etl::test {

// The raw text of each element of the search answer's "addresses" array, byte for byte.
std::vector<std::string> raw_addresses(const std::string& search_body);

// Key path ("$.registrations[].amount") -> JSON types seen there ("int", "float", "string"...).
using Shape = std::map<std::string, std::set<std::string>>;

// Adds every key path under `element` (itself at `root`) to `shape`.
void add_shape(Shape& shape, simdjson::dom::element element, const std::string& root);

std::string read_text_file(const std::string& path);

}  // namespace etl::test
