#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "etl/core/address_types.hpp"
#include "etl/core/area_config.hpp"
#include "etl/core/duration.hpp"
#include "etl/core/errors.hpp"
#include "etl/core/name_match.hpp"
#include "tests/support/process.hpp"

namespace etl {
namespace {

const std::string kShipped = std::string(ETL_SOURCE_DIR) + "/municipalities.yaml";

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The message of the ConfigError that loading `yaml` raises, or "" if it loads.
std::string config_error(const std::string& yaml) {
  try {
    AreaConfig::load_string(yaml, "broken.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// The rows of PostNord's list (tools/reference), Christiansø (411) left out.
std::vector<std::vector<std::string>> postnord_rows() {
  std::ifstream csv(std::string(ETL_REFERENCE_DIR) + "/dk-postals.csv");
  if (!csv) throw std::runtime_error("reference CSV missing");
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(csv, line);  // header
  while (std::getline(csv, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ';');) cols.push_back(c);
    if (cols.size() != 6) throw std::runtime_error("reference CSV row without 6 columns: " + line);
    if (cols[2] != "411") rows.push_back(std::move(cols));
  }
  return rows;
}

const char* kValid = R"(municipalities:
  - code: 101
    name: København
    zip_codes: ["1050", "2300"]
  - code: 147
    name: Frederiksberg
    zip_codes: ["2000"]
areas:
  both: [København, Frederiksberg]
)";

TEST(AreaConfig, ShippedFileHasAll98Municipalities) {
  const AreaConfig cfg = AreaConfig::load_file(kShipped);
  EXPECT_EQ(cfg.municipalities().size(), 98u);
  const Municipality* kbh = cfg.find_municipality("København");
  ASSERT_NE(kbh, nullptr);
  EXPECT_EQ(kbh->code, 101);
  EXPECT_EQ(kbh->region, "Region Hovedstaden");
  ASSERT_NE(cfg.find_municipality("Frederiksberg"), nullptr);
  EXPECT_EQ(cfg.find_municipality("Frederiksberg")->code, 147);
  EXPECT_EQ(cfg.find_municipality("Christiansø"), nullptr);  // not a municipality
}

TEST(AreaConfig, CopenhagenAreaIsExactlyThe36) {
  const AreaConfig cfg = AreaConfig::load_file(kShipped);
  const std::set<std::string> expected = {
      "Albertslund", "Allerød", "Ballerup", "Brøndby", "Dragør", "Egedal", "Fredensborg", "Frederiksberg",
      "Frederikssund", "Furesø", "Gentofte", "Gladsaxe", "Glostrup", "Greve", "Gribskov", "Halsnæs",
      "Helsingør", "Herlev", "Hillerød", "Holbæk", "Hvidovre", "Høje-Taastrup", "Hørsholm", "Ishøj",
      "København", "Køge", "Lejre", "Lyngby-Taarbæk", "Ringsted", "Roskilde", "Rudersdal", "Rødovre",
      "Solrød", "Stevns", "Tårnby", "Vallensbæk"};
  std::set<std::string> got;
  for (const Municipality* m : cfg.area("copenhagen")) got.insert(m->name);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(cfg.area("copenhagen").size(), 36u);
  EXPECT_EQ(cfg.area("kobenhavn").size(), 1u);
  EXPECT_EQ(cfg.area("denmark").size(), 98u);
  EXPECT_EQ(cfg.area("capital-region").size(), 29u);
}

// The YAML must agree with PostNord's list, row for row.
TEST(AreaConfig, ZipCodesMatchPostNordReference) {
  const AreaConfig cfg = AreaConfig::load_file(kShipped);
  std::map<int, std::set<std::string>> expected;
  for (const auto& cols : postnord_rows()) expected[std::stoi(cols[2])].insert(cols[4]);
  ASSERT_EQ(expected.size(), 98u);
  for (const Municipality& m : cfg.municipalities()) {
    const std::set<std::string> got(m.zip_codes.begin(), m.zip_codes.end());
    EXPECT_EQ(got, expected[m.code]) << m.name;
  }
}

// Names are the API's own: PostNord's without " Kommune", København without its genitive
// "s", and "Nordfyns" and "Vesthimmerlands" with theirs (the API finds nothing for "Nordfyn").
TEST(AreaConfig, NamesAreTheApisSpelling) {
  const AreaConfig cfg = AreaConfig::load_file(kShipped);
  const std::string suffix = " Kommune";
  std::map<int, std::string> expected;
  for (const auto& cols : postnord_rows()) {
    std::string name = cols[3];
    ASSERT_TRUE(name.ends_with(suffix)) << name;
    name.resize(name.size() - suffix.size());
    expected[std::stoi(cols[2])] = name == "Københavns" ? "København" : name;
  }
  ASSERT_EQ(expected.size(), 98u);
  for (const Municipality& m : cfg.municipalities()) EXPECT_EQ(m.name, expected[m.code]) << m.code;
  EXPECT_NE(cfg.find_municipality("Nordfyns"), nullptr);
  EXPECT_NE(cfg.find_municipality("Vesthimmerlands"), nullptr);
}

TEST(AreaConfig, ValidFileLoads) { EXPECT_EQ(config_error(kValid), ""); }

TEST(AreaConfig, UnknownAreaNamesTheFile) {
  const AreaConfig cfg = AreaConfig::load_string(kValid, "x.yaml");
  try {
    cfg.area("nowhere");
    FAIL() << "expected a UsageError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("--area: unknown area 'nowhere' (defined in x.yaml: both)"), std::string::npos) << e.what();
  }
}

TEST(AreaConfig, UndefinedMunicipalityInAreaGivesLine) {
  std::string y = kValid;
  y += "  bad: [København, Atlantis]\n";
  EXPECT_EQ(config_error(y), "broken.yaml:10: area 'bad' names undefined municipality 'Atlantis'");
}

TEST(AreaConfig, DuplicateCodeGivesLine) {
  const std::string y = R"(municipalities:
  - code: 101
    name: København
    zip_codes: ["1050"]
  - code: 101
    name: Frederiksberg
    zip_codes: ["2000"]
areas:
  a: [København]
)";
  EXPECT_EQ(config_error(y), "broken.yaml:5: duplicate municipality code 101 (first defined at line 2)");
}

TEST(AreaConfig, DuplicateNameGivesLine) {
  const std::string y = R"(municipalities:
  - code: 101
    name: København
    zip_codes: ["1050"]
  - code: 147
    name: København
    zip_codes: ["2000"]
areas:
  a: [København]
)";
  EXPECT_EQ(config_error(y), "broken.yaml:5: duplicate municipality name 'København' (first defined at line 2)");
}

// Names are matched folded (Dragoer, DRAGØR: Dragør): two that fold together are refused,
// both lines named, instead of one silently winning.
TEST(AreaConfig, NamesThatFoldTogetherAreRefusedNamingBothLines) {
  const std::string y = R"(municipalities:
  - code: 155
    name: Dragør
    zip_codes: ["2791"]
  - code: 156
    name: Dragoer
    zip_codes: ["2792"]
  - code: 157
    name: DRAGØR
    zip_codes: ["2793"]
areas:
  a: [Dragør]
)";
  EXPECT_EQ(config_error(y),
            "broken.yaml:5: municipality name 'Dragoer' is 'Dragør' (line 2) ignoring case and Danish letters; names "
            "must differ in more");
  std::string areas = kValid;
  areas += "  COPENHAGEN: [København]\n  Copenhagen: [København]\n";
  const std::string err = config_error(areas);
  EXPECT_NE(err.find("area 'Copenhagen' is 'COPENHAGEN' (line 10)"), std::string::npos) << err;
}

TEST(AreaConfig, MalformedZipGivesLine) {
  const std::string y = R"(municipalities:
  - code: 101
    name: København
    zip_codes: ["1050",
                "23OO"]
areas:
  a: [København]
)";
  const std::string err = config_error(y);
  EXPECT_EQ(err.rfind("broken.yaml:5: municipality København: malformed zip code '23OO'", 0), 0u) << err;
}

TEST(AreaConfig, EmptyAreaGivesLine) {
  std::string y = kValid;
  y += "  nothing: []\n";
  EXPECT_EQ(config_error(y), "broken.yaml:10: area 'nothing' is empty");
}

TEST(AreaConfig, InvalidYamlGivesLine) {
  const std::string err = config_error("municipalities:\n  - code: 101\n    name: [unclosed\n");
  EXPECT_EQ(err.rfind("broken.yaml:", 0), 0u) << err;
  EXPECT_NE(err.find("invalid YAML"), std::string::npos) << err;
}

TEST(AreaConfig, YamlNestedTooDeepSaysSo) {
  const std::string err = config_error("municipalities: " + std::string(300'000, '['));
  EXPECT_NE(err.find("broken.yaml:1: invalid YAML: nested more than"), std::string::npos) << err;
  EXPECT_NE(err.find("levels deep, too deep to read"), std::string::npos) << err;
}

TEST(AreaConfig, MissingFileIsClear) {
  try {
    AreaConfig::load_file("/nonexistent/m.yaml");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/m.yaml: cannot open the area configuration");
  }
}

// The CLI end of the acceptance list: the real binary, its output and exit codes.
TEST(EtlAreasCli, CopenhagenPrints36RowsWithKobenhavn101) {
  const auto r = test::run_process({ETL_BIN, "areas", "--area", "copenhagen", "--config", kShipped});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  int rows = 0;
  bool kbh = false;
  for (std::string l; std::getline(lines, l);) {
    if (l.rfind("MUNICIPALITY", 0) == 0 || l.find("municipalities in area") != std::string::npos) continue;
    ++rows;
    if (l.rfind("København ", 0) == 0 && l.find(" 101 ") != std::string::npos) kbh = true;
  }
  EXPECT_EQ(rows, 36) << r.out;
  EXPECT_TRUE(kbh) << r.out;
}

TEST(EtlAreasCli, BrokenConfigIsOneLineWithLineNumberAndExit1) {
  test::TempDir dir;
  std::string broken = read_file(kShipped);
  const auto pos = broken.find("\"2300\"");
  ASSERT_NE(pos, std::string::npos);
  broken.replace(pos, 6, "\"23x0\"");
  std::ofstream(dir.file("m.yaml")) << broken;
  const auto r = test::run_process({ETL_BIN, "areas", "--config", dir.file("m.yaml")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(dir.file("m.yaml") + ":8: municipality København: malformed zip code '23x0'"), std::string::npos) << r.err;
}

TEST(EtlAreasCli, UsageErrorsExit2) {
  EXPECT_EQ(test::run_process({ETL_BIN, "frobnicate"}).exit_code, 2);
  EXPECT_EQ(test::run_process({ETL_BIN, "areas", "--no-such-flag"}).exit_code, 2);
  EXPECT_EQ(test::run_process({ETL_BIN}).exit_code, 2);
}

TEST(EtlAreasCli, HelpAndVersion) {
  const auto help = test::run_process({ETL_BIN, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("areas"), std::string::npos);
  const auto v = test::run_process({ETL_BIN, "--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.out.find("etl (propetl) "), std::string::npos) << v.out;
}

}  // namespace
}  // namespace etl

namespace etl {
namespace {

TEST(NameMatch, DanishNamesMatchHoweverTheyAreTyped) {
  const AreaConfig cfg = AreaConfig::load_string(std::string(kBuiltinAreaConfig), "built-in");
  for (const char* typed : {"København", "københavn", "KØBENHAVN", "Kobenhavn", "Koebenhavn", "copenhagen", "Copenhagen"}) {
    const Municipality* m = cfg.find_municipality(typed);
    ASSERT_NE(m, nullptr) << typed;
    EXPECT_EQ(m->code, 101) << typed;
  }
  EXPECT_EQ(cfg.find_municipality("aeroe")->name, "Ærø");
  EXPECT_EQ(cfg.find_municipality("Aabenraa")->name, "Aabenraa");
  EXPECT_EQ(cfg.find_municipality("abenra")->name, "Aabenraa");
  // Folding never makes two municipalities one.
  std::map<std::string, std::string> keys;
  for (const Municipality& m : cfg.municipalities())
    EXPECT_TRUE(keys.emplace(fold_name(m.name), m.name).second) << m.name << " folds like " << keys[fold_name(m.name)];
  EXPECT_EQ(cfg.area("Copenhagen").size(), 36u);
}

TEST(NameMatch, AnUnknownNameIsAUsageErrorWithTheClosestOnes) {
  const AreaConfig cfg = AreaConfig::load_string(std::string(kBuiltinAreaConfig), "built-in");
  try {
    cfg.municipality("Kobenhavnx");
    FAIL() << "no UsageError";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("--municipality: unknown municipality 'Kobenhavnx'; did you mean 'København'?", 0),
              0u)
        << e.what();
  }
  try {
    cfg.area("copenhagn");
    FAIL() << "no UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'copenhagen'"), std::string::npos) << e.what();
  }
  EXPECT_EQ(check_address_types("Villa, condo"), "villa,condo");
  EXPECT_EQ(check_address_types("all"), "");
  EXPECT_EQ(check_address_types("terraced house"), "terraced house");
  try {
    check_address_types("villa,house");
    FAIL() << "no UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--address-types: unknown address type 'house'"), std::string::npos) << e.what();
  }
  EXPECT_EQ(did_you_mean("zzzzzz", {"villa"}), "");
}

}  // namespace
}  // namespace etl

namespace etl {
namespace {

TEST(Duration, OneSyntaxForEveryFlag) {
  using std::chrono::milliseconds;
  EXPECT_EQ(parse_duration("500ms", "--x"), milliseconds(500));
  EXPECT_EQ(parse_duration("10s", "--x"), milliseconds(10'000));
  EXPECT_EQ(parse_duration("5m", "--x"), milliseconds(300'000));
  EXPECT_EQ(parse_duration("1h", "--x"), milliseconds(3'600'000));
  EXPECT_EQ(parse_duration("7d", "--x"), milliseconds(7 * 86'400'000LL));
  EXPECT_EQ(parse_duration("2w", "--x"), milliseconds(14 * 86'400'000LL));
  for (const char* bad : {"10", "abc", "", "-5s", "0s", "1.5s", "10 s", "7y", "99999999999999999d", "s"}) {
    try {
      parse_duration(bad, "--timeout");
      ADD_FAILURE() << bad << " was accepted";
    } catch (const UsageError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind("--timeout: invalid duration '", 0), 0u) << what;
      EXPECT_NE(what.find("500ms, 10s, 5m, 1h, 7d"), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
  }
  try {
    parse_duration("2h", "--timeout", std::chrono::hours(1));
    ADD_FAILURE() << "2h over a 1h maximum";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("at most 1h"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace etl
