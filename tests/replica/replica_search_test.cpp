// The search endpoint's parameters and limits, and search items agreeing with details.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

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
    if (name == "Københavns" || name == "Nordfyns" || name == "Vesthimmerlands") name.pop_back();
    names.insert(name);
  }
  return names;
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

TEST(ReplicaDataset, EveryMunicipalityHasVillas) {
  ReplicaProcess replica({"--scale", "0.002"});
  simdjson::dom::parser parser;
  const auto names = municipality_names();
  EXPECT_EQ(names.size(), 98u);
  for (const auto& name : names) {
    const std::string body = replica.get("/search/addresses?per_page=1&municipalities=" + url_encode(name));
    EXPECT_GE(parser.parse(simdjson::padded_string(body))["totalHits"].get_int64().value(), 1) << name;
  }
}

TEST(ReplicaDataset, TheCopenhagenAreaHasAbout228000VillasAtFullScale) {
  ReplicaProcess replica;
  simdjson::dom::parser parser;
  std::int64_t sum = 0;
  for (const std::string name :
       {"Albertslund", "Allerød", "Ballerup", "Brøndby", "Dragør", "Egedal", "Fredensborg", "Frederiksberg",
        "Frederikssund", "Furesø", "Gentofte", "Gladsaxe", "Glostrup", "Greve", "Gribskov", "Halsnæs", "Helsingør",
        "Herlev", "Hillerød", "Holbæk", "Hvidovre", "Høje-Taastrup", "Hørsholm", "Ishøj", "København", "Køge", "Lejre",
        "Lyngby-Taarbæk", "Ringsted", "Roskilde", "Rudersdal", "Rødovre", "Solrød", "Stevns", "Tårnby", "Vallensbæk"}) {
    const std::string body = replica.get("/search/addresses?per_page=1&municipalities=" + url_encode(name));
    const std::int64_t hits = parser.parse(simdjson::padded_string(body))["totalHits"].get_int64().value();
    EXPECT_GT(hits, 0) << name;
    if (name == "København") {
      EXPECT_EQ(hits, 14368);
    }
    sum += hits;
  }
  EXPECT_NEAR(static_cast<double>(sum), 228000.0, 2000.0);
}

TEST_F(ReplicaSearch, KobenhavnHasItsScaledVillaCount) {
  EXPECT_EQ(total_hits(kKobenhavn), 718);  // 14,368 at --scale 1
  EXPECT_EQ(total_hits(kKobenhavn + "&addressTypes=villa"), 718);
  EXPECT_EQ(total_hits(kKobenhavn + "&addressTypes=condo"), 0);
}

TEST_F(ReplicaSearch, PerPageIsCappedAtFifty) {
  EXPECT_EQ(raw_addresses(replica_->get(kKobenhavn + "&per_page=500")).size(), 50u);
  EXPECT_EQ(raw_addresses(replica_->get(kKobenhavn)).size(), 50u);
  EXPECT_EQ(raw_addresses(replica_->get(kKobenhavn + "&per_page=7")).size(), 7u);
}

TEST_F(ReplicaSearch, PagesBeyondTheCapAreRejected) {
  EXPECT_EQ(replica_->request(kKobenhavn + "&page=200").status, 200);
  const HttpReply beyond = replica_->request(kKobenhavn + "&page=201");
  EXPECT_EQ(beyond.status, 400);
  simdjson::dom::parser parser;
  EXPECT_TRUE(parser.parse(simdjson::padded_string(beyond.body))["message"].is_string());
  EXPECT_EQ(replica_->request(kKobenhavn + "&page=0").status, 400);
}

TEST_F(ReplicaSearch, ACommaListOfMunicipalitiesFindsNothing) {
  EXPECT_EQ(total_hits("/search/addresses?municipalities=K%C3%B8benhavn,Aarhus"), 0);
  EXPECT_GT(total_hits("/search/addresses?municipalities=Aarhus"), 0);
}

TEST_F(ReplicaSearch, ZipCodeIsIgnoredZipCodesFilters) {
  EXPECT_EQ(total_hits(kKobenhavn + "&zipCode=2300"), 718);
  const std::int64_t s = total_hits(kKobenhavn + "&zipCodes=2300");
  EXPECT_GT(s, 0);
  EXPECT_LT(s, 718);
  for (const auto& item : raw_addresses(replica_->get(kKobenhavn + "&zipCodes=2300"))) {
    EXPECT_NE(item.find("\"zipCode\":2300}"), std::string::npos);
  }
}

TEST_F(ReplicaSearch, ZipCodePartitionsAddUpToTheMunicipality) {
  std::int64_t sum = 0;
  for (const auto& zip : kobenhavn_zip_codes()) sum += total_hits(kKobenhavn + "&per_page=1&zipCodes=" + zip);
  EXPECT_EQ(sum, 718);
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
    EXPECT_EQ(low + high, 718) << key;
    const std::string exact = replica_->get(kKobenhavn + "&" + key + "Min=" + cut + "&" + key + "Max=" + cut);
    EXPECT_NE(exact.find(field(item, "addressID")), std::string::npos) << key << ": bounds are inclusive";
  }
}

TEST_F(ReplicaSearch, PagingIsStableAndComplete) {
  std::set<std::string> ids;
  std::vector<std::string> order;
  for (int page = 1; page <= 15; ++page) {
    for (const auto& item : raw_addresses(replica_->get(kKobenhavn + "&page=" + std::to_string(page)))) {
      ids.insert(field(item, "addressID"));
      order.push_back(field(item, "addressID"));
    }
  }
  EXPECT_EQ(ids.size(), 718u);
  EXPECT_EQ(order.size(), 718u);
  EXPECT_EQ(field(raw_addresses(replica_->get(kKobenhavn + "&page=3")).front(), "addressID"), order[100]);
}

TEST_F(ReplicaSearch, SortsByAddressBothWays) {
  std::vector<std::string> roads;
  for (int page = 1; page <= 15; ++page) {
    for (const auto& item : raw_addresses(replica_->get(kKobenhavn + "&sortBy=address&page=" + std::to_string(page)))) {
      roads.push_back(field(item, "roadName"));
    }
  }
  ASSERT_EQ(roads.size(), 718u);
  EXPECT_TRUE(std::is_sorted(roads.begin(), roads.end()));
  const auto last = raw_addresses(replica_->get(kKobenhavn + "&sortBy=address&sortAscending=false&per_page=1"));
  EXPECT_EQ(field(last.at(0), "roadName"), roads.back());
}

TEST_F(ReplicaSearch, SearchItemsEqualTheirDetailsByteForByte) {
  const auto items = raw_addresses(replica_->get(kKobenhavn + "&page=2"));
  ASSERT_EQ(items.size(), 50u);
  for (const auto& item : items) {
    const HttpReply detail = replica_->request("/addresses/" + field(item, "addressID"));
    EXPECT_EQ(detail.status, 200);
    EXPECT_EQ(detail.body, item);
  }
}

TEST_F(ReplicaSearch, UnknownAddressesAre404WithJson) {
  const std::string id = field(raw_addresses(replica_->get(kKobenhavn + "&per_page=1")).at(0), "addressID");
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
