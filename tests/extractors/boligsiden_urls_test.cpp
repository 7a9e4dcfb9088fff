#include "extractors/boligsiden_urls.hpp"

#include <gtest/gtest.h>

namespace etl {
namespace {

TEST(BoligsidenUrls, SearchUrlEncodesUtf8Names) {
  SearchQuery q;
  q.municipality = "København";
  q.page = 3;
  EXPECT_EQ(search_url("https://api.boligsiden.dk", q),
            "https://api.boligsiden.dk/search/addresses?municipalities=K%C3%B8benhavn&addressTypes=villa&sortBy=address&per_page=50&page=3");
}

TEST(BoligsidenUrls, SearchUrlCarriesPartitionFilters) {
  SearchQuery q;
  q.municipality = "Lyngby-Taarbæk";
  q.zip_code = "2800";
  q.price_min = 0;
  q.price_max = 500000000;
  q.area_min = 120;
  EXPECT_EQ(search_url("http://127.0.0.1:8080/", q),
            "http://127.0.0.1:8080/search/addresses?municipalities=Lyngby-Taarb%C3%A6k&addressTypes=villa"
            "&zipCodes=2800&priceMin=0&priceMax=500000000&areaMin=120&sortBy=address&per_page=50&page=1");
}

TEST(BoligsidenUrls, EmptyAddressTypeSearchesEveryType) {
  SearchQuery q;
  q.municipality = "Aarhus";
  q.address_type = "";
  EXPECT_EQ(search_url("http://h", q), "http://h/search/addresses?municipalities=Aarhus&sortBy=address&per_page=50&page=1");
}

TEST(BoligsidenUrls, EmptySortLeavesTheApisDefaultOrder) {
  SearchQuery q;
  q.municipality = "Aarhus";
  q.sort_by = "";
  EXPECT_EQ(search_url("http://h", q), "http://h/search/addresses?municipalities=Aarhus&addressTypes=villa&per_page=50&page=1");
}

TEST(BoligsidenUrls, DetailUrl) {
  EXPECT_EQ(detail_url("http://h", "0a3f50c2-b95c-32b8-e044-0003ba298018"),
            "http://h/addresses/0a3f50c2-b95c-32b8-e044-0003ba298018");
  EXPECT_EQ(detail_url("http://h/", "a b/c"), "http://h/addresses/a%20b%2Fc");
}

TEST(BoligsidenUrls, MunicipalitiesUrl) {
  EXPECT_EQ(municipalities_url("http://h"), "http://h/municipalities");
  EXPECT_EQ(municipalities_url("http://h//"), "http://h/municipalities");
}

TEST(BoligsidenUrls, UrlEncodeKeepsUnreserved) {
  EXPECT_EQ(url_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(url_encode("Ærø & Høje-Taastrup"), "%C3%86r%C3%B8%20%26%20H%C3%B8je-Taastrup");
}

}  // namespace
}  // namespace etl
