// The report page without a browser: the JSON inlined in it is the MarketReport it was
// written from, field by field; hostile API text cannot end a script, an attribute or an
// element, nor become a link; the numbers read as a person expects; a missing Chart.js is a
// clear error.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>

#include "etl/core/errors.hpp"
#include "etl/core/utc_time.hpp"
#include "etl/report/chart_library.hpp"
#include "etl/report/html_text.hpp"
#include "etl/report/number_text.hpp"
#include "etl/report/report_page.hpp"
#include "tests/report/sample_report.hpp"
#include "tests/support/process.hpp"

namespace etl::test {
namespace {

constexpr std::string_view kDataStart = "<script type=\"application/json\" id=\"report-data\">";

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The page's inlined data, parsed.
simdjson::dom::element page_data(const std::string& page, simdjson::dom::parser& parser) {
  const std::size_t start = page.find(kDataStart) + kDataStart.size();
  const std::size_t end = page.find("</script>", start);
  return parser.parse(page.substr(start, end - start));
}

std::string text(simdjson::dom::element e) { return std::string(std::string_view(e)); }

template <class T>
void expect_optional(simdjson::dom::element e, const std::optional<T>& v, const std::string& what) {
  if (!v) {
    EXPECT_TRUE(e.is_null()) << what;
  } else if constexpr (std::is_same_v<T, double>) {
    EXPECT_EQ(double(e), *v) << what;
  } else {
    EXPECT_EQ(std::int64_t(e), *v) << what;
  }
}

TEST(ReportPage, TheDataInThePageIsTheReport) {
  const MarketReport r = sample_report();
  const std::string page = report_page(r, "/* Chart.js */");
  simdjson::dom::parser parser;
  const simdjson::dom::element d = page_data(page, parser);
  EXPECT_EQ(text(d["area"]), r.area);
  EXPECT_EQ(text(d["generated_at"]), format_utc_time(r.generated_at));
  EXPECT_EQ(text(d["since"]), format_utc_time(r.since));

  const simdjson::dom::array market = d["market"];
  ASSERT_EQ(market.size(), r.market.size());
  for (std::size_t i = 0; i < r.market.size(); ++i) {
    const MarketRow& m = r.market[i];
    const simdjson::dom::element e = market.at(i);
    EXPECT_EQ(std::int64_t(e["municipality_code"]), m.municipality_code);
    EXPECT_EQ(text(e["municipality"]), m.municipality);
    EXPECT_EQ(std::int64_t(e["villas"]), m.properties);
    EXPECT_EQ(std::int64_t(e["listed"]), m.listed);
    expect_optional(e["median_price"], m.median_price, "median_price");
    expect_optional(e["median_price_per_m2"], m.median_price_per_m2, "median_price_per_m2");
    expect_optional(e["median_days_on_market"], m.median_days_on_market, "median_days_on_market");
    for (const auto& [key, value] : std::vector<std::pair<const char*, std::int64_t>>{
             {"new_listings_7d", m.new_listings_7d}, {"new_listings_30d", m.new_listings_30d},
             {"price_cuts_7d", m.price_cuts_7d}, {"price_cuts_30d", m.price_cuts_30d},
             {"sales_7d", m.sales_7d}, {"sales_30d", m.sales_30d}})
      EXPECT_EQ(std::int64_t(e[key]), value) << key;
    expect_optional(e["median_cut_percent_30d"], m.median_cut_percent_30d, "median_cut_percent_30d");
  }

  const simdjson::dom::array weeks = d["weeks"];
  ASSERT_EQ(weeks.size(), r.weeks.size());
  for (std::size_t i = 0; i < r.weeks.size(); ++i) {
    const simdjson::dom::element e = weeks.at(i);
    EXPECT_EQ(text(e["week_start"]), format_utc_time(r.weeks[i].week_start));
    EXPECT_EQ(std::int64_t(e["new_listings"]), r.weeks[i].new_listings);
    EXPECT_EQ(std::int64_t(e["price_cuts"]), r.weeks[i].price_cuts);
    EXPECT_EQ(std::int64_t(e["sales"]), r.weeks[i].sales);
  }

  const simdjson::dom::array listings = d["listings"];
  ASSERT_EQ(listings.size(), r.listings.size());
  for (std::size_t i = 0; i < r.listings.size(); ++i) {
    const ListingPoint& l = r.listings[i];
    const simdjson::dom::element e = listings.at(i);
    EXPECT_EQ(text(e["address_id"]), l.address_id);
    EXPECT_EQ(text(e["address"]), l.address);  // the hostile one too: escaped in the page, the same once parsed
    expect_optional(e["zip_code"], l.zip_code, "zip_code");
    EXPECT_EQ(text(e["city"]), l.city);
    EXPECT_EQ(text(e["municipality"]), l.municipality);
    expect_optional(e["price"], l.price, "price");
    expect_optional(e["living_area"], l.living_area, "living_area");
    expect_optional(e["price_per_m2"], l.price_per_m2, "price_per_m2");
    expect_optional(e["latitude"], l.latitude, "latitude");
    expect_optional(e["longitude"], l.longitude, "longitude");
    EXPECT_EQ(text(e["case_url"]), l.case_url);
  }

  const simdjson::dom::array cuts = d["largest_cuts"];
  ASSERT_EQ(cuts.size(), r.largest_cuts.size());
  for (std::size_t i = 0; i < r.largest_cuts.size(); ++i) {
    const PriceCutRow& c = r.largest_cuts[i];
    const simdjson::dom::element e = cuts.at(i);
    EXPECT_EQ(text(e["address_id"]), c.address_id);
    EXPECT_EQ(text(e["address"]), c.address);
    EXPECT_EQ(text(e["city"]), c.city);
    EXPECT_EQ(text(e["municipality"]), c.municipality);
    EXPECT_EQ(std::int64_t(e["old_price"]), c.old_price);
    EXPECT_EQ(std::int64_t(e["new_price"]), c.new_price);
    EXPECT_EQ(double(e["percent"]), c.percent);
    EXPECT_EQ(text(e["observed_at"]), format_utc_time(c.observed_at));
    EXPECT_EQ(text(e["case_url"]), c.case_url);
  }
}

TEST(ReportPage, HostileTextEndsNoScriptAttributeOrElementAndIsNoLink) {
  const std::string page = report_page(sample_report(), "/* Chart.js */");
  // Only the page's own three scripts open and close: the data's `</script>` is \u003c/script\u003e.
  EXPECT_EQ(count(page, "<script"), 3u);
  EXPECT_EQ(count(page, "</script>"), 3u);
  EXPECT_NE(page.find("\\u003c/script\\u003e\\u003cscript\\u003edocument.title="), std::string::npos);
  // As HTML text (the price cut table) every special character is a reference.
  EXPECT_NE(page.find("Vej &quot;1&quot; &#39;A&#39; &amp; &lt;b&gt;x&lt;/b&gt;&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(page.find("<b>x</b>"), std::string::npos);
  // The API's javascript: link is no link; an https one is.
  EXPECT_EQ(page.find("href=\"javascript:"), std::string::npos);
  EXPECT_NE(page.find("<a href=\"https://www.boligsiden.dk/adresse/id-0\""), std::string::npos);
  // Nothing but the listings' links leaves the page.
  EXPECT_EQ(page.find(" src="), std::string::npos);
  EXPECT_EQ(count(page, "href="), count(page, "href=\"https://www.boligsiden.dk/adresse/"));

  EXPECT_EQ(html_escape("<a href='x'>\"&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
  EXPECT_EQ(script_safe_json(R"({"a":"</script><!--&"})"), R"({"a":"\u003c/script\u003e\u003c!--\u0026"})");
  EXPECT_EQ(web_link("data:text/html,x"), "");
  EXPECT_EQ(web_link("http://boligsiden.dk/x"), "http://boligsiden.dk/x");
}

TEST(ReportPage, NumbersReadAsAPersonExpects) {
  EXPECT_EQ(grouped(0), "0");
  EXPECT_EQ(grouped(228594), "228,594");
  EXPECT_EQ(grouped(-1234567), "-1,234,567");
  EXPECT_EQ(price_text(4'195'000.0), "4.20M kr");
  EXPECT_EQ(price_text(-300'000.0), "-300,000 kr");
  EXPECT_EQ(price_text(std::nullopt), "\u2013");
  EXPECT_EQ(per_m2_text(32'150.4), "32,150 kr/m\u00b2");
  EXPECT_EQ(percent_text(-7.14), "-7.1%");
  const std::string page = report_page(sample_report(), "");
  for (const char* headline : {">34,500<", ">5.10M kr<", ">33,457 kr/m\u00b2<"})
    EXPECT_NE(page.find(headline), std::string::npos) << headline;
}

TEST(ReportPage, AMissingOrUninlinableChartJsIsAClearError) {
  try {
    read_chart_library("/nonexistent/chart.min.js");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("install libjs-chart.js"), std::string::npos) << e.what();
  }
  TempDir dir;
  std::ofstream(dir.file("chart.js")) << "var s = '</SCRIPT>';";
  EXPECT_THROW(read_chart_library(dir.file("chart.js")), ConfigError);
  ASSERT_TRUE(std::ifstream(kChartJsPath)) << kChartJsPath << " is missing: `make deps` installs libjs-chart.js";
  EXPECT_NE(read_chart_library().find("Chart.js v3"), std::string::npos);
}

}  // namespace
}  // namespace etl::test
