#include "tests/pipeline/listing_state.hpp"

#include <simdjson.h>

#include <algorithm>

#include "tests/support/db_dump.hpp"

namespace etl::test {
namespace {

// "ID:price:distinction" -> ID and price.
std::map<std::string, std::string> prices_by_case(const std::set<std::string>& cases) {
  std::map<std::string, std::string> out;
  for (const std::string& c : cases) {
    const auto first = c.find(':');
    const auto second = c.find(':', first + 1);
    out[c.substr(0, first)] = c.substr(first + 1, second - first - 1);
  }
  return out;
}

}  // namespace

Listings listings_of(const std::string& db) {
  Listings out;
  for (const auto& r : query_rows(db, "SELECT address_id, CAST(removed_at IS NOT NULL AS integer), "
                                      "COALESCE(CAST(is_on_market AS integer), 0), case_price FROM properties")) {
    ListingState& s = out[r[0]];
    s.removed = r[1] == "1";
    s.listed = r[2] == "1";
    s.case_price = r[3];
  }
  for (const auto& r : query_rows(db, "SELECT address_id, case_id, price_cash, distinction FROM cases WHERE ended_at IS NULL"))
    out[r[0]].cases.insert(r[1] + ":" + r[2] + ":" + r[3]);
  for (const auto& r : query_rows(db, "SELECT address_id, registration_id, amount, date FROM registrations"))
    out[r[0]].registrations.insert(r[1] + ":" + r[2] + ":" + r[3]);
  return out;
}

std::string describe(const ListingState& s) {
  std::string out = s.removed ? "removed" : "live";
  out += s.listed ? " listed" : " unlisted";
  out += " price=" + s.case_price;
  for (const auto& c : s.cases) out += " case=" + c;
  out += " registrations=" + std::to_string(s.registrations.size());
  return out;
}

std::set<std::string> listed_ids(const Listings& l) {
  std::set<std::string> out;
  for (const auto& [id, s] : l)
    if (s.listed && !s.removed) out.insert(id);
  return out;
}

std::vector<std::string> listing_differences(const Listings& refreshed, const Listings& clean,
                                             const std::set<std::string>& listed_before) {
  std::set<std::string> check = listed_before;
  check.merge(listed_ids(refreshed));
  check.merge(listed_ids(clean));
  std::vector<std::string> out;
  for (const std::string& id : check) {
    const auto r = refreshed.find(id);
    const auto c = clean.find(id);
    if (c == clean.end() || c->second.removed) {  // gone from the market and from the API
      if (r != refreshed.end() && !r->second.removed) out.push_back(id + ": still live, the API no longer has it");
    } else if (r == refreshed.end()) {
      out.push_back(id + ": not stored; clean import: " + describe(c->second));
    } else if (!(r->second == c->second)) {
      out.push_back(id + ": " + describe(r->second) + "; clean import: " + describe(c->second));
    }
  }
  return out;
}

std::vector<std::string> expected_listing_events(const Listings& before, const Listings& after) {
  std::set<std::string> ids;
  for (const auto& [id, s] : before) ids.insert(id);
  for (const auto& [id, s] : after) ids.insert(id);
  const ListingState none;
  std::vector<std::string> out;
  for (const std::string& id : ids) {
    const auto b = before.find(id);
    const auto a = after.find(id);
    const ListingState& was = b == before.end() ? none : b->second;
    const ListingState& is = a == after.end() ? none : a->second;
    const auto was_open = prices_by_case(was.cases);
    const auto is_open = prices_by_case(is.cases);
    if (a == after.end()) {  // gone: a removal ends its cases, with no event of their own
      if (!was_open.empty()) out.push_back(id + "||removed");
      continue;
    }
    bool sale = false;
    for (const std::string& r : is.registrations) sale = sale || !was.registrations.contains(r);
    for (const auto& [case_id, price] : was_open) {
      const auto now = is_open.find(case_id);
      if (now == is_open.end()) {
        out.push_back(id + "|" + case_id + (sale ? "|sold" : "|delisted"));
      } else if (price != now->second && price != "NULL" && now->second != "NULL") {
        out.push_back(id + "|" + case_id + "|price");
      }
    }
    for (const auto& [case_id, price] : is_open)
      if (!was_open.contains(case_id)) out.push_back(id + "|" + case_id + "|on");
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::int64_t summary_requests(const std::string& file, const char* endpoint) {
  simdjson::dom::parser parser;
  std::int64_t n = 0;
  if (parser.load(file)["api"]["requests_by_endpoint"][endpoint].get(n)) return 0;
  return n;
}

std::vector<std::string> recorded_listing_events(const std::string& db) {
  std::vector<std::string> out;
  for (const auto& r : query_rows(db, "SELECT address_id, COALESCE(case_id, ''), kind FROM property_events "
                                      "WHERE run_id = (SELECT MAX(id) FROM etl_runs) AND kind NOT IN ('new', 'returned')")) {
    const std::string& kind = r[2];
    const std::string cls = kind == "listed" || kind == "relisted" ? "on" : kind == "price_changed" ? "price" : kind;
    out.push_back(r[0] + "|" + (cls == "removed" ? "" : r[1]) + "|" + cls);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace etl::test
