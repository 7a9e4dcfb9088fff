#include "extractors/search_page.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include "etl/core/api_id.hpp"
#include "etl/core/errors.hpp"
#include "etl/core/payload_hash.hpp"

namespace etl {
namespace {

namespace od = simdjson::ondemand;

void check(simdjson::error_code e, std::string_view path) {
  if (e != simdjson::SUCCESS) throw ParseError(std::string(path), simdjson::error_message(e));
}

// Reads one element of "addresses": its raw text, then (after rewinding) its addressID.
// Returns false when the hit has no usable string addressID.
bool read_item(od::value element, std::size_t index, bool keep_payload, DiscoveredItem& item,
               std::vector<std::string>& invalid_ids) {
  auto path = [&] { return fmt::format("$.addresses[{}]", index); };
  od::object obj;
  check(element.get_object().get(obj), path());
  std::string_view raw;
  check(obj.raw_json().get(raw), path());
  bool rewound = false;
  check(obj.reset().get(rewound), path());
  od::value id_value;
  if (obj.find_field_unordered("addressID").get(id_value) != simdjson::SUCCESS) return false;
  std::string_view id;
  if (id_value.get_string().get(id) != simdjson::SUCCESS || id.empty()) return false;
  if (!valid_api_id(id)) {
    invalid_ids.push_back(escape_id(id));
    return false;
  }
  item.address_id.assign(id);
  item.hash = payload_hash(raw);
  if (keep_payload) item.payload.assign(raw);
  return true;
}

}  // namespace

struct SearchPageParser::Impl {
  od::parser parser;
  std::string padded;  // body + SIMDJSON_PADDING, reused between pages
};

SearchPageParser::SearchPageParser() : impl_(std::make_unique<Impl>()) {}
SearchPageParser::~SearchPageParser() = default;

SearchPage SearchPageParser::parse(std::string_view body, bool keep_payloads) {
  impl_->padded.assign(body);
  impl_->padded.append(simdjson::SIMDJSON_PADDING, '\0');
  od::document doc;
  check(impl_->parser.iterate(impl_->padded.data(), body.size(), impl_->padded.size()).get(doc), "$");
  od::object root;
  check(doc.get_object().get(root), "$");

  SearchPage page;
  bool has_total = false;
  for (auto result : root) {
    od::field field;
    check(std::move(result).get(field), "$");
    std::string_view key;
    check(field.unescaped_key().get(key), "$");
    if (key == "totalHits") {
      check(field.value().get_int64().get(page.total_hits), "$.totalHits");
      has_total = true;
    } else if (key == "addresses") {
      od::array arr;
      check(field.value().get_array().get(arr), "$.addresses");
      std::size_t index = 0;
      for (auto element : arr) {
        od::value value;
        check(std::move(element).get(value), fmt::format("$.addresses[{}]", index));
        DiscoveredItem item;
        if (read_item(value, index, keep_payloads, item, page.invalid_ids)) {
          page.items.push_back(std::move(item));
        } else {
          ++page.items_without_id;
        }
        ++index;
      }
    }
  }
  if (!has_total) throw ParseError("$.totalHits", "missing");
  const char* location = nullptr;  // OUT_OF_BOUNDS once the whole input was consumed
  if (doc.current_location().get(location) == simdjson::SUCCESS) throw ParseError("$", "unexpected content after the page");
  return page;
}

}  // namespace etl
