// GET /search/cases and /cases/{id}: every open listing, shaped like case-offering.json, with
// its property nested; paging, sorting and limits as for /search/addresses.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include "tests/replica/replica_json.hpp"
#include "tests/support/replica_process.hpp"

namespace etl::test {
namespace {

const std::string kKobenhavn = "/search/cases?municipalities=K%C3%B8benhavn&addressTypes=villa";

std::int64_t int_at(simdjson::dom::element e, const char* key) { return e[key].get_int64().value(); }
std::string string_at(simdjson::dom::element e, const char* key) { return std::string(e[key].get_string().value()); }

// Every case of a query, paged in a stable order.
std::vector<std::string> all_cases(const ReplicaProcess& replica, const std::string& query) {
  std::vector<std::string> out;
  for (int page = 1;; ++page) {
    const auto items = raw_items(replica.get(query + "&sortBy=address&per_page=500&page=" + std::to_string(page)), "cases");
    if (items.empty()) return out;
    out.insert(out.end(), items.begin(), items.end());
  }
}

class ReplicaCases : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    replica_ = new ReplicaProcess({"--scale", "0.2", "--seed", "3"});
    cases_ = all_cases(*replica_, "/search/cases?addressTypes=villa");
  }
  static void TearDownTestSuite() {
    delete replica_;
    replica_ = nullptr;
  }
  static inline ReplicaProcess* replica_ = nullptr;
  static inline std::vector<std::string> cases_;
};

TEST_F(ReplicaCases, AboutTwoPercentOfVillasAreListedAndTotalHitsIsExact) {
  simdjson::dom::parser parser;
  const auto hits = [&](const std::string& q) {
    return parser.parse(simdjson::padded_string(replica_->get(q)))["totalHits"].get_int64().value();
  };
  const std::int64_t villas = hits("/search/addresses?per_page=1");
  const std::int64_t total = hits("/search/cases?per_page=1");
  EXPECT_EQ(total, static_cast<std::int64_t>(cases_.size()));
  EXPECT_GT(total, villas * 15 / 1000);
  EXPECT_LT(total, villas * 25 / 1000);
  std::set<std::string> ids;
  for (const auto& c : cases_) ids.insert(string_at(parser.parse(simdjson::padded_string(c)), "caseID"));
  EXPECT_EQ(ids.size(), cases_.size()) << "each case once";
}

TEST_F(ReplicaCases, CasesAreShapedLikeTheFixture) {
  simdjson::dom::parser parser;
  Shape fixture;
  const std::string offering_text = read_text_file(std::string(ETL_FIXTURES_DIR) + "/case-offering.json");
  add_shape(fixture, parser.parse(simdjson::padded_string(offering_text)).value(), "$");
  // The nested address may have any path a real address payload has.
  Shape allowed = fixture;
  for (const auto& entry : std::filesystem::directory_iterator(ETL_FIXTURES_DIR)) {
    if (entry.path().filename().string().rfind("address-", 0) != 0) continue;
    add_shape(allowed, parser.parse(simdjson::padded_string(read_text_file(entry.path().string()))).value(), "$.address");
  }
  Shape replica;
  for (const auto& c : cases_) add_shape(replica, parser.parse(simdjson::padded_string(c)).value(), "$");
  std::string unknown, missing;
  for (const auto& [path, types] : replica) {
    const auto known = allowed.find(path);
    if (known == allowed.end()) {
      unknown += path + " ";
      continue;
    }
    for (const auto& type : types) {
      if (!known->second.contains(type)) unknown += path + " as " + type + " ";
    }
  }
  for (const auto& [path, types] : fixture) {
    if (!replica.contains(path)) missing += path + " ";
  }
  EXPECT_EQ(unknown, "") << "paths or types the real API never showed";
  EXPECT_EQ(missing, "") << "fixture paths the replica never produces";
  EXPECT_FALSE(replica.contains("$.priceChanges")) << "no price history array";
  EXPECT_FALSE(replica.contains("$.address.cases")) << "the nested address has no cases";
}

TEST_F(ReplicaCases, EachCaseNestsItsPropertysDetail) {
  simdjson::dom::parser parser, detail_parser;
  int rentals = 0, checked = 0, other_realtors = 0;
  std::set<std::string> sold_by;  // addresses whose first sale case was seen
  for (std::size_t i = 0; i < cases_.size(); ++i) {
    const simdjson::dom::element c = parser.parse(simdjson::padded_string(cases_[i])).value();
    EXPECT_EQ(string_at(c, "status"), "open");
    EXPECT_TRUE(c["realtor"]["contactInformation"]["phone"].is_string());
    EXPECT_TRUE(c["priceChangePercentage"].is_double());
    EXPECT_EQ(int_at(c, "daysOnMarket"), int_at(c["timeOnMarket"]["current"], "days"));
    const std::string distinction = string_at(c, "distinction");
    const simdjson::dom::element address = c["address"].value();
    EXPECT_TRUE(address["isOnMarket"].get_bool().value());
    if (distinction == "rental") {
      ++rentals;
      const std::int64_t rent = int_at(c, "monthlyExpense");
      EXPECT_GE(rent, 14500);
      EXPECT_LE(rent, 75000);
      EXPECT_EQ(int_at(c, "priceCash"), 3 * rent) << "a rental's priceCash is its deposit";
      EXPECT_NE(int_at(address, "casePrice"), int_at(c, "priceCash")) << "casePrice is the sale's price";
    } else {
      EXPECT_EQ(distinction, "real_estate");
      // casePrice is the first sale case's (they come in slot order); other realtors' cases
      // of the same property ask within a few percent of it.
      const auto case_price = static_cast<double>(int_at(address, "casePrice"));
      if (sold_by.insert(string_at(address, "addressID")).second) {
        EXPECT_EQ(case_price, static_cast<double>(int_at(c, "priceCash")));
      } else {
        ++other_realtors;
        EXPECT_NEAR(static_cast<double>(int_at(c, "priceCash")), case_price, case_price * 0.06);
      }
      EXPECT_GT(int_at(c, "priceCash"), 100000);
    }
    if (distinction != "rental" && i % 10 != 0) continue;
    // The nested address is the detail minus its cases; the detail lists this case.
    ++checked;
    const std::string id = string_at(address, "addressID");
    const std::string detail_text = replica_->get("/addresses/" + id);
    const simdjson::dom::element detail = detail_parser.parse(simdjson::padded_string(detail_text)).value();
    std::string expected = "{";
    for (const auto field : detail.get_object()) {
      if (field.key == "cases") continue;
      expected.append(expected.size() > 1 ? "," : "").append(1, '"').append(field.key).append("\":");
      expected.append(simdjson::minify(field.value));
    }
    expected += "}";
    EXPECT_EQ(simdjson::minify(address), expected) << id;
    std::set<std::string> listed;
    for (const auto dc : detail["cases"].get_array()) listed.insert(string_at(dc, "caseID"));
    EXPECT_TRUE(listed.contains(string_at(c, "caseID"))) << id;
    if (distinction == "rental") {
      EXPECT_GE(listed.size(), 2u) << "a rental is a case next to the sale";
    }
  }
  EXPECT_GT(checked, 20);
  EXPECT_GE(rentals, 1) << "~0.2% of listed properties also have a rental case";
  EXPECT_GT(other_realtors, 0) << "some properties are listed by several realtors";
  EXPECT_LE(rentals, static_cast<int>(cases_.size()) / 50);
}

TEST_F(ReplicaCases, CaseDetailIsTheSearchItemAndUnknownCasesAre404) {
  simdjson::dom::parser parser;
  for (std::size_t i = 0; i < cases_.size(); i += 37) {
    const std::string id = string_at(parser.parse(simdjson::padded_string(cases_[i])), "caseID");
    const HttpReply r = replica_->request("/cases/" + id);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, cases_[i]) << id;
  }
  const simdjson::dom::element first = parser.parse(simdjson::padded_string(cases_.at(0))).value();
  std::string altered = string_at(first, "caseID");
  altered[3] = altered[3] == 'a' ? 'b' : 'a';
  const std::string address_id = string_at(first["address"], "addressID");
  for (const std::string& bad : {altered, address_id, std::string("00000000-0000-4000-8000-000000000000"), std::string("x")}) {
    const HttpReply r = replica_->request("/cases/" + bad);
    EXPECT_EQ(r.status, 404) << bad;
    EXPECT_NE(r.body.find("\"message\""), std::string::npos);
  }
  EXPECT_EQ(replica_->request("/addresses/" + string_at(first, "caseID")).status, 404) << "a case ID is no address ID";
}

TEST_F(ReplicaCases, PagingLimitsAndEmptyAnswers) {
  EXPECT_EQ(replica_->request(kKobenhavn + "&per_page=500").status, 200);
  EXPECT_EQ(replica_->request(kKobenhavn + "&per_page=501").status, 400);
  EXPECT_EQ(replica_->request(kKobenhavn + "&per_page=0").status, 400);
  EXPECT_EQ(replica_->request(kKobenhavn + "&per_page=500&page=20").status, 200);
  EXPECT_EQ(replica_->request(kKobenhavn + "&per_page=500&page=21").status, 400) << "page x per_page <= 10,000";
  EXPECT_EQ(replica_->request(kKobenhavn + "&sortBy=bogus").status, 400);
  EXPECT_EQ(replica_->request(kKobenhavn + "&addressTypes=castle").status, 400);
  EXPECT_EQ(replica_->get("/search/cases?municipalities=Nowhere"), "{\"totalHits\":0,\"cases\":null}");
  EXPECT_EQ(replica_->get("/search/cases?municipalities=K%C3%B8benhavn,Aarhus"), "{\"totalHits\":0,\"cases\":null}");
  EXPECT_EQ(replica_->get("/search/cases?municipalities=K%C3%B8benhavn&addressTypes=condo").substr(0, 200),
            "{\"totalHits\":0,\"cases\":null}");
  const std::string beyond = replica_->get(kKobenhavn + "&per_page=100&page=50");
  EXPECT_NE(beyond.find("\"cases\":[]"), std::string::npos) << "hits, but none on this page";
  ReplicaProcess small({"--scale", "0.2", "--seed", "3", "--max-results", "100"});
  EXPECT_EQ(small.request(kKobenhavn + "&per_page=100").status, 200);
  EXPECT_EQ(small.request(kKobenhavn + "&per_page=101").status, 400);
  EXPECT_EQ(small.request(kKobenhavn + "&per_page=50&page=3").status, 400);
}

TEST_F(ReplicaCases, SortsAreStableAndUnsortedOrdersChange) {
  simdjson::dom::parser parser;
  const auto ids = [&](const std::string& q) {
    std::vector<std::string> out;
    for (const auto& c : raw_items(replica_->get(q), "cases")) out.push_back(string_at(parser.parse(simdjson::padded_string(c)), "caseID"));
    return out;
  };
  const std::string all = "/search/cases?per_page=200";
  EXPECT_NE(ids(all), ids(all)) << "without sortBy each request has its own order";
  for (const char* by : {"address", "price", "livingArea", "timeOnMarket", "priceChange", "zipCode", "soldDate"}) {
    const std::string q = all + "&page=2&sortBy=" + by;
    EXPECT_EQ(ids(q), ids(q)) << by;
  }
  // sortBy=address: the property's road name, house number, then address ID.
  std::vector<std::tuple<std::string, int, std::string>> by_address;
  for (const auto& c : cases_) {
    const simdjson::dom::element a = parser.parse(simdjson::padded_string(c))["address"].value();
    by_address.emplace_back(string_at(a, "roadName"), std::stoi(string_at(a, "houseNumber")), string_at(a, "addressID"));
  }
  EXPECT_TRUE(std::is_sorted(by_address.begin(), by_address.end()));
  std::vector<std::int64_t> prices;
  for (int page = 1; page <= 3; ++page) {
    for (const auto& c : raw_items(replica_->get(all + "&sortBy=price&page=" + std::to_string(page)), "cases")) {
      prices.push_back(int_at(parser.parse(simdjson::padded_string(c)), "priceCash"));
    }
  }
  EXPECT_TRUE(std::is_sorted(prices.begin(), prices.end())) << "price is priceCash";
  const auto top = raw_items(replica_->get(all + "&sortBy=price&sortAscending=false&per_page=1"), "cases");
  std::int64_t max_price = 0;
  for (const auto& c : cases_) max_price = std::max(max_price, int_at(parser.parse(simdjson::padded_string(c)), "priceCash"));
  EXPECT_EQ(int_at(parser.parse(simdjson::padded_string(top.at(0))), "priceCash"), max_price);
}

}  // namespace
}  // namespace etl::test
