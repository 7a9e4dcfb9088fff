// The search endpoint's parameters and limits, and search items agreeing with details.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include "tests/replica/replica_json.hpp"
#include "tests/support/replica_process.hpp"

namespace etl::test {
namespace {

const std::string kKobenhavn = "/search/addresses?municipalities=K%C3%B8benhavn";

class ReplicaSearch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { replica_ = new ReplicaProcess({"--scale", "0.05"}); }
  static void TearDownTestSuite() {
    delete replica_;
    replica_ = nullptr;
  }

  static std::int64_t total_hits(const std::string& query) {
    simdjson::dom::parser parser;
    return parser.parse(simdjson::padded_string(replica_->get(query)))["totalHits"].get_int64().value();
  }

  static std::string field(const std::string& item, const char* key) {
    simdjson::dom::parser parser;
    return std::string(parser.parse(simdjson::padded_string(item))[key].get_string().value());
  }

  static inline ReplicaProcess* replica_ = nullptr;
};

// København's zip codes according to PostNord, independent of the replica's own table.
std::set<std::string> kobenhavn_zip_codes() {
  std::ifstream csv(std::string(ETL_REFERENCE_DIR) + "/dk-postals.csv");
  std::set<std::string> zips;
  for (std::string line; std::getline(csv, line);) {
    if (line.find(";101;") != std::string::npos) {
      std::vector<std::string> cols;
      std::size_t start = 0;
      for (std::size_t semi; (semi = line.find(';', start)) != std::string::npos; start = semi + 1) {
        cols.push_back(line.substr(start, semi - start));
      }
      zips.insert(std::to_string(std::stoi(cols.at(4))));
    }
  }
  return zips;
}

// Municipality names as the API spells them, from PostNord's list (not the replica's table).
std::set<std::string> municipality_names() {
  std::ifstream csv(std::string(ETL_REFERENCE_DIR) + "/dk-postals.csv");
  std::set<std::string> names;
  for (std::string line; std::getline(csv, line);) {
    std::vector<std::string> cols;
    std::size_t start = 0;
    for (std::size_t semi; (semi = line.find(';', start)) != std::string::npos; start = semi + 1) {
      cols.push_back(line.substr(start, semi - start));
    }
    if (cols.size() < 4 || cols[2] == "KOMMUNE_NR" || cols[2] == "411") continue;
    std::string name = cols[3].substr(0, cols[3].find(" Kommune"));
    if (name == "Københavns") name.pop_back();  // the API keeps the genitive of the others
    names.insert(name);
  }
  return names;
}

TEST(ReplicaDataset, EveryMunicipalityHasVillas) {
  ReplicaProcess replica({"--scale", "0.002"});
  simdjson::dom::parser parser;
  const auto names = municipality_names();
  EXPECT_EQ(names.size(), 98u);
  for (const auto& name : names) {
    const std::string body = replica.get("/search/addresses?per_page=1&municipalities=" + url_encode(name));
    EXPECT_GE(parser.parse(simdjson::padded_string(body))["totalHits"].get_int64().value(), 1) << name;
  }
  // GET /municipalities serves the same 98 names, with codes and slugs.
  const auto doc = parser.parse(simdjson::padded_string(replica.get("/municipalities")));
  EXPECT_EQ(doc["totalHits"].get_int64().value(), 98);
  std::set<std::string> served;
  for (const auto m : doc["municipalities"].get_array()) {
    served.emplace(m["name"].get_string().value());
    EXPECT_GT(m["municipalityCode"].get_int64().value(), 100);
    EXPECT_FALSE(m["slug"].get_string().value().empty());
  }
  EXPECT_EQ(served, names);
}

TEST(ReplicaDataset, TheApiKeepsTheGenitiveOfNordfynsAndVesthimmerlands) {
  ReplicaProcess replica;
  simdjson::dom::parser parser;
  const auto hits = [&](const std::string& name) {
    const std::string body = replica.get("/search/addresses?per_page=1&municipalities=" + url_encode(name));
    return parser.parse(simdjson::padded_string(body))["totalHits"].get_int64().value();
  };
  EXPECT_EQ(hits("Nordfyns"), 7103);
  EXPECT_EQ(hits("Vesthimmerlands"), 9177);
  EXPECT_EQ(hits("Nordfyn"), 0) << "PostNord's spelling is not the API's";
  EXPECT_EQ(hits("Vesthimmerland"), 0);
  EXPECT_EQ(hits("Københavns"), 0);
}

TEST_F(ReplicaSearch, KobenhavnHasItsScaledVillaCount) {
  EXPECT_EQ(total_hits(kKobenhavn), 671);  // 13,422 at --scale 1
  EXPECT_EQ(total_hits(kKobenhavn + "&addressTypes=villa"), 671);
  EXPECT_EQ(total_hits(kKobenhavn + "&addressTypes=condo"), 0);
}

TEST_F(ReplicaSearch, PerPageIsOneToOneHundredWithoutClamping) {
  EXPECT_EQ(raw_addresses(replica_->get(kKobenhavn)).size(), 50u) << "default 50";
  EXPECT_EQ(raw_addresses(replica_->get(kKobenhavn + "&per_page=7")).size(), 7u);
  EXPECT_EQ(raw_addresses(replica_->get(kKobenhavn + "&per_page=100")).size(), 100u);
  for (const char* bad : {"101", "500", "0", "-1"}) {
    const HttpReply r = replica_->request(kKobenhavn + "&per_page=" + bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(r.body.find("\"message\""), std::string::npos);
  }
}

TEST_F(ReplicaSearch, TheCapIsOnResultsPageTimesPerPage) {
  EXPECT_EQ(replica_->request(kKobenhavn + "&page=200").status, 200);  // 200 x 50 = 10,000
  EXPECT_EQ(replica_->request(kKobenhavn + "&per_page=100&page=100").status, 200);
  EXPECT_EQ(replica_->request(kKobenhavn + "&per_page=20&page=500").status, 200);
  const HttpReply beyond = replica_->request(kKobenhavn + "&page=201");
  EXPECT_EQ(beyond.status, 400);
  simdjson::dom::parser parser;
  EXPECT_TRUE(parser.parse(simdjson::padded_string(beyond.body))["message"].is_string());
  EXPECT_EQ(replica_->request(kKobenhavn + "&per_page=100&page=101").status, 400);
  EXPECT_EQ(replica_->request(kKobenhavn + "&per_page=20&page=501").status, 400);
  EXPECT_EQ(replica_->request(kKobenhavn + "&page=0").status, 400);

  ReplicaProcess small({"--scale", "0.05", "--max-results", "100"});
  EXPECT_EQ(small.request(kKobenhavn + "&per_page=50&page=2").status, 200);
  EXPECT_EQ(small.request(kKobenhavn + "&per_page=50&page=3").status, 400);
  EXPECT_EQ(small.request(kKobenhavn + "&per_page=100&page=1").status, 200);
  EXPECT_EQ(small.request(kKobenhavn + "&per_page=100&page=2").status, 400);
}

TEST_F(ReplicaSearch, ACommaListOfMunicipalitiesFindsNothing) {
  EXPECT_EQ(total_hits("/search/addresses?municipalities=K%C3%B8benhavn,Aarhus"), 0);
  EXPECT_EQ(replica_->request("/search/addresses?municipalities=K%C3%B8benhavn,Aarhus").status, 200);
  EXPECT_GT(total_hits("/search/addresses?municipalities=Aarhus"), 0);
}

TEST_F(ReplicaSearch, RepeatedParametersCombine) {
  const std::int64_t aarhus = total_hits("/search/addresses?municipalities=Aarhus");
  EXPECT_EQ(total_hits(kKobenhavn + "&municipalities=Aarhus"), 671 + aarhus);
  const std::int64_t s = total_hits(kKobenhavn + "&zipCodes=2300");
  const std::int64_t v = total_hits(kKobenhavn + "&zipCodes=2500");
  ASSERT_GT(s, 0);
  ASSERT_GT(v, 0);
  EXPECT_EQ(total_hits(kKobenhavn + "&zipCodes=2300&zipCodes=2500"), s + v);
  EXPECT_EQ(total_hits(kKobenhavn + "&zipCodes=2300,2500"), 0) << "a comma list finds nothing";
  EXPECT_EQ(replica_->request(kKobenhavn + "&zipCodes=2300,2500").status, 200);
}

TEST_F(ReplicaSearch, AddressTypesTakeACommaListOfKnownValues) {
  EXPECT_EQ(total_hits(kKobenhavn + "&addressTypes=villa,condo"), 671);
  EXPECT_EQ(total_hits(kKobenhavn + "&addressTypes=terraced%20house,holiday%20house,farm,hobby%20farm,"
                                    "full%20year%20plot,holiday%20plot,villa%20apartment,cooperative,houseboat"),
            0);
  const HttpReply r = replica_->request(kKobenhavn + "&addressTypes=villa,castle");
  EXPECT_EQ(r.status, 400);
  for (const char* allowed : {"villa", "condo", "terraced house", "holiday house", "farm", "hobby farm",
                              "full year plot", "holiday plot", "villa apartment", "cooperative", "houseboat"}) {
    EXPECT_NE(r.body.find(allowed), std::string::npos) << allowed;
  }
}

TEST_F(ReplicaSearch, ZipCodeIsIgnoredZipCodesFilters) {
  EXPECT_EQ(total_hits(kKobenhavn + "&zipCode=2300"), 671);
  const std::int64_t s = total_hits(kKobenhavn + "&zipCodes=2300");
  EXPECT_GT(s, 0);
  EXPECT_LT(s, 671);
  for (const auto& item : raw_addresses(replica_->get(kKobenhavn + "&zipCodes=2300"))) {
    EXPECT_NE(item.find("\"zipCode\":2300}"), std::string::npos);
  }
}

TEST_F(ReplicaSearch, ZipCodePartitionsAddUpToTheMunicipality) {
  std::int64_t sum = 0;
  for (const auto& zip : kobenhavn_zip_codes()) sum += total_hits(kKobenhavn + "&per_page=1&zipCodes=" + zip);
  EXPECT_EQ(sum, 671);
}

TEST_F(ReplicaSearch, PriceAndAreaRangesPartitionInclusively) {
  const std::string item = raw_addresses(replica_->get(kKobenhavn + "&per_page=1")).at(0);
  simdjson::dom::parser parser;
  const auto doc = parser.parse(simdjson::padded_string(item));
  const std::map<std::string, std::int64_t> values = {{"price", doc["latestValuation"].get_int64().value()},
                                                      {"area", doc["livingArea"].get_int64().value()}};
  for (const auto& [key, v] : values) {
    const std::string cut = std::to_string(v);
    const auto low = total_hits(kKobenhavn + "&" + key + "Max=" + cut);
    const auto high = total_hits(kKobenhavn + "&" + key + "Min=" + std::to_string(v + 1));
    EXPECT_GT(high, 0) << key;
    EXPECT_EQ(low + high, 671) << key;
    const std::string exact = replica_->get(kKobenhavn + "&" + key + "Min=" + cut + "&" + key + "Max=" + cut);
    EXPECT_NE(exact.find(field(item, "addressID")), std::string::npos) << key << ": bounds are inclusive";
  }
}

TEST_F(ReplicaSearch, SortedPagingIsStableAndComplete) {
  std::set<std::string> ids;
  std::vector<std::string> order;
  for (int page = 1; page <= 15; ++page) {
    for (const auto& item : raw_addresses(replica_->get(kKobenhavn + "&sortBy=address&page=" + std::to_string(page)))) {
      ids.insert(field(item, "addressID"));
      order.push_back(field(item, "addressID"));
    }
  }
  EXPECT_EQ(ids.size(), 671u);
  EXPECT_EQ(order.size(), 671u);
  EXPECT_EQ(field(raw_addresses(replica_->get(kKobenhavn + "&sortBy=address&page=3")).front(), "addressID"), order[100]);
}

TEST_F(ReplicaSearch, WithoutSortByTheOrderChangesFromRequestToRequest) {
  const std::string page1 = kKobenhavn + "&per_page=100&unsorted-test=1";
  const auto ids_of = [&](const std::string& query) {
    std::vector<std::string> ids;
    for (const auto& item : raw_addresses(replica_->get(query))) ids.push_back(field(item, "addressID"));
    return ids;
  };
  const auto first = ids_of(page1);
  const auto second = ids_of(page1);
  EXPECT_EQ(first.size(), 100u);
  EXPECT_NE(first, second) << "the same unsorted request twice gives two orders";
  EXPECT_EQ(total_hits(page1), 671) << "the hit count is exact all the same";
  // An unsorted crawl sees some properties twice and misses others.
  std::set<std::string> seen;
  std::size_t items = 0;
  for (int page = 1; page <= 8; ++page) {
    for (const auto& id : ids_of(kKobenhavn + "&per_page=100&page=" + std::to_string(page))) {
      seen.insert(id);
      ++items;
    }
  }
  EXPECT_EQ(items, 671u);
  EXPECT_LT(seen.size(), 700u);
  // Every sortBy value gives one order, request after request, ties broken by address ID.
  for (const char* by : {"address", "livingArea", "lotArea", "monthlyExpense", "numRooms", "perAreaPrice", "price",
                         "priceChange", "road", "soldDate", "soldPrice", "timeOnMarket", "zipCode", "distance"}) {
    const std::string q = kKobenhavn + "&per_page=100&page=2&sortBy=" + by;
    EXPECT_EQ(ids_of(q), ids_of(q)) << by;
  }
}

TEST_F(ReplicaSearch, SortsByLivingAreaPriceAndZipCodeWithTiesByAddressId) {
  simdjson::dom::parser parser;
  for (const auto& [by, key] : {std::pair{"livingArea", "livingArea"}, std::pair{"price", "latestValuation"},
                                std::pair{"zipCode", "zipCode"}}) {
    std::vector<std::pair<std::int64_t, std::string>> seen;
    for (int page = 1; page <= 8; ++page) {
      const std::string body =
          replica_->get(kKobenhavn + "&per_page=100&sortBy=" + by + "&page=" + std::to_string(page));
      for (const auto item : parser.parse(simdjson::padded_string(body))["addresses"].get_array()) {
        seen.emplace_back(item[key].get_int64().value(), std::string(item["addressID"].get_string().value()));
      }
    }
    ASSERT_EQ(seen.size(), 671u) << by;
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end())) << by;
    const std::string last = replica_->get(kKobenhavn + "&per_page=1&sortAscending=false&sortBy=" + by);
    EXPECT_NE(last.find(seen.back().second), std::string::npos) << by << ": sortAscending=false reverses";
  }
  const HttpReply r = replica_->request(kKobenhavn + "&sortBy=bogus");
  EXPECT_EQ(r.status, 400);
  for (const char* allowed : {"address", "livingArea", "timeOnMarket", "distance"}) {
    EXPECT_NE(r.body.find(allowed), std::string::npos) << allowed;
  }
}

TEST_F(ReplicaSearch, SortsByAddressBothWays) {
  std::vector<std::string> roads;
  std::vector<std::tuple<std::string, int, std::string>> keys;  // road name, house number, ID
  for (int page = 1; page <= 15; ++page) {
    for (const auto& item : raw_addresses(replica_->get(kKobenhavn + "&sortBy=address&page=" + std::to_string(page)))) {
      roads.push_back(field(item, "roadName"));
      keys.emplace_back(field(item, "roadName"), std::stoi(field(item, "houseNumber")), field(item, "addressID"));
    }
  }
  ASSERT_EQ(roads.size(), 671u);
  EXPECT_TRUE(std::is_sorted(roads.begin(), roads.end()));
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end())) << "by road name, house number, then ID";
  const auto last = raw_addresses(replica_->get(kKobenhavn + "&sortBy=address&sortAscending=false&per_page=1"));
  EXPECT_EQ(field(last.at(0), "roadName"), roads.back());
}

TEST(ReplicaSearchItems, WithFullItemsTheyEqualTheirDetailsByteForByte) {
  ReplicaProcess replica({"--scale", "0.05", "--search-items", "full"});
  simdjson::dom::parser parser;
  std::vector<std::string> items;
  for (int page = 1; page <= 8; ++page) {
    const auto some = raw_addresses(replica.get(kKobenhavn + "&sortBy=address&per_page=100&page=" + std::to_string(page)));
    items.insert(items.end(), some.begin(), some.end());
  }
  ASSERT_EQ(items.size(), 671u);
  int listed = 0;
  for (const auto& item : items) {
    const std::string id(parser.parse(simdjson::padded_string(item))["addressID"].get_string().value());
    const HttpReply detail = replica.request("/addresses/" + id);
    EXPECT_EQ(detail.status, 200);
    EXPECT_EQ(detail.body, item);
    listed += item.find("\"cases\":[{") != std::string::npos;
  }
  EXPECT_GE(listed, 5) << "listed properties' items carry their cases too";
}

// The detail minus the market fields a search item lacks, parsed back to text for comparison.
std::string without_market_fields(const std::string& json) {
  simdjson::dom::parser parser;
  const auto doc = parser.parse(simdjson::padded_string(json)).get_object().value();
  std::string out = "{";
  for (const auto field : doc) {
    if (field.key == "isOnMarket" || field.key == "slugAddress" || field.key == "cases" || field.key == "casePrice") {
      continue;
    }
    out.append(1, '"').append(field.key).append("\":").append(simdjson::minify(field.value)).append(1, ',');
  }
  return out + "}";
}

TEST_F(ReplicaSearch, SearchItemsAreLeanByDefault) {
  simdjson::dom::parser parser;
  int null_cases = 0, items = 0, listed = 0;
  for (int page = 1; page <= 8; ++page) {
    for (const auto& item : raw_addresses(replica_->get(kKobenhavn + "&sortBy=address&per_page=100&page=" + std::to_string(page)))) {
      ++items;
      EXPECT_EQ(item.find("\"isOnMarket\""), std::string::npos);
      EXPECT_EQ(item.find("\"slugAddress\""), std::string::npos);
      EXPECT_EQ(item.find("\"casePrice\""), std::string::npos);
      const bool null_case = item.find("\"cases\":null") != std::string::npos;
      null_cases += null_case;
      if (!null_case) {
        EXPECT_EQ(item.find("\"cases\""), std::string::npos);
      }
      const std::string id = field(item, "addressID");
      if (items % 7 != 0) continue;  // details of a sample
      const HttpReply detail = replica_->request("/addresses/" + id);
      ASSERT_EQ(detail.status, 200);
      const auto doc = parser.parse(simdjson::padded_string(detail.body));
      EXPECT_TRUE(doc["isOnMarket"].is_bool()) << "the detail always says";
      EXPECT_TRUE(doc["slugAddress"].is_string());
      EXPECT_EQ(without_market_fields(detail.body), without_market_fields(item));
      EXPECT_NE(detail.body, item);
    }
  }
  EXPECT_EQ(items, 671);
  EXPECT_GT(null_cases, 671 / 3) << "about half say \"cases\": null";
  EXPECT_LT(null_cases, 671 * 2 / 3);
  // Listed properties' details carry their cases and casePrice; their search items do not.
  const std::string cases = replica_->get("/search/cases?municipalities=K%C3%B8benhavn&per_page=500");
  for (const auto c : parser.parse(simdjson::padded_string(cases))["cases"].get_array()) {
    if (c["distinction"].get_string().value() != "real_estate") continue;
    const std::string id(c["address"]["addressID"].get_string().value());
    const std::string detail = replica_->get("/addresses/" + id);
    simdjson::dom::parser detail_parser;
    const auto d = detail_parser.parse(simdjson::padded_string(detail));
    EXPECT_TRUE(d["isOnMarket"].get_bool().value());
    EXPECT_EQ(d["casePrice"].get_int64().value(), c["priceCash"].get_int64().value());
    EXPECT_GE(d["cases"].get_array().size(), 1u);
    ++listed;
  }
  EXPECT_GE(listed, 5);
}

TEST_F(ReplicaSearch, UnknownAddressesAre404WithJson) {
  const std::string id = field(raw_addresses(replica_->get(kKobenhavn + "&per_page=1")).at(0), "addressID");
  EXPECT_EQ(replica_->request("/addresses/" + id).status, 200);
  std::string altered = id;
  altered[0] = altered[0] == 'a' ? 'b' : 'a';
  for (const std::string& bad : {altered, std::string("00000000-0000-4000-8000-000000000000"), std::string("nope")}) {
    const HttpReply r = replica_->request("/addresses/" + bad);
    EXPECT_EQ(r.status, 404) << bad;
    EXPECT_NE(r.body.find("\"message\""), std::string::npos);
  }
  EXPECT_EQ(replica_->request("/healthz").status, 200);
}

}  // namespace
}  // namespace etl::test
