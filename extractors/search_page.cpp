#include "extractors/search_page.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include "etl/core/api_id.hpp"
#include "etl/core/errors.hpp"
#include "etl/core/payload_hash.hpp"
#include "extractors/page_envelope.hpp"

namespace etl {
namespace {

namespace od = simdjson::ondemand;

// Reads one element of "addresses": its raw text, then (after rewinding) its addressID.
// Returns false when the hit has no usable string addressID.
bool read_item(od::value element, std::size_t index, bool keep_payload, DiscoveredItem& item,
               std::vector<std::string>& invalid_ids) {
  auto path = [&] { return fmt::format("$.addresses[{}]", index); };
  od::object obj;
  check_json(element.get_object().get(obj), path());
  std::string_view raw;
  check_json(obj.raw_json().get(raw), path());
  bool rewound = false;
  check_json(obj.reset().get(rewound), path());
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
  PageEnvelope envelope{"addresses", NullList::error};
};

SearchPageParser::SearchPageParser() : impl_(std::make_unique<Impl>()) {}
SearchPageParser::~SearchPageParser() = default;

SearchPage SearchPageParser::parse(std::string_view body, bool keep_payloads) {
  SearchPage page;
  page.total_hits = impl_->envelope.read(body, [&](od::value value, std::size_t index) {
    DiscoveredItem item;
    if (read_item(value, index, keep_payloads, item, page.invalid_ids)) {
      page.items.push_back(std::move(item));
    } else {
      ++page.items_without_id;
    }
  });
  return page;
}

}  // namespace etl
