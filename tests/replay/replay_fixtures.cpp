#include "tests/replay/replay_fixtures.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/db_dump.hpp"

namespace etl::test {

std::vector<std::string> address_fixture_files() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(kFixturesDir)) {
    const std::string name = e.path().filename().string();
    if (name.starts_with("address-") && name.ends_with(".json")) files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw std::runtime_error("no address-*.json in " + kFixturesDir);
  return files;
}

std::string fixture_address_id(const std::string& file) {
  simdjson::dom::parser parser;
  return std::string(parser.load(file)["addressID"].get_string().value());
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

ProcessResult import_json(const std::vector<std::string>& paths, const std::string& db_url,
                          const std::vector<std::string>& flags) {
  std::vector<std::string> argv = {ETL_BIN, "import-json", "--db", db_url, "--log-level", "warn"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.insert(argv.end(), paths.begin(), paths.end());
  return run_process(argv);
}

std::map<std::string, std::string> stored_payloads(const std::string& db_url) {
  std::map<std::string, std::string> out;
  for (auto& row : query_rows(db_url, "SELECT address_id, raw_json FROM property_payloads")) out[row[0]] = row[1];
  return out;
}

void expect_payloads_equal_files(const std::string& db_url, const std::vector<std::string>& files) {
  const auto stored = stored_payloads(db_url);
  EXPECT_EQ(stored.size(), files.size()) << db_url;
  for (const auto& file : files) {
    const auto it = stored.find(fixture_address_id(file));
    ASSERT_NE(it, stored.end()) << file << " not in " << db_url;
    EXPECT_EQ(it->second, file_bytes(file)) << file << " in " << db_url;
  }
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace etl::test
