// The real Boligsiden payloads in ETL_FIXTURES_DIR (tests/fixtures/boligsiden) and the
// `etl import-json` command line, for the replay suites.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace etl::test {

inline const std::string kFixturesDir = ETL_FIXTURES_DIR;

// The address-*.json fixtures (one address object each), sorted; case-offering.json is not one.
std::vector<std::string> address_fixture_files();

// Top-level fields of a fixture, read with simdjson (not the parser under test).
std::string fixture_address_id(const std::string& file);

std::string file_bytes(const std::string& path);
void write_file(const std::string& path, const std::string& text);

// Runs `etl import-json --db db_url flags... paths...`.
ProcessResult import_json(const std::vector<std::string>& paths, const std::string& db_url,
                          const std::vector<std::string>& flags = {});

// address_id -> raw_json of every stored property (property_payloads).
std::map<std::string, std::string> stored_payloads(const std::string& db_url);

// Every properties row's raw_json equals the bytes of the one fixture file holding its
// address, and there is one row per file.
void expect_payloads_equal_files(const std::string& db_url, const std::vector<std::string>& files);

// "x" -> 'x' for /bin/sh (paths of temp dirs and the build tree).
std::string shell_quote(const std::string& s);

}  // namespace etl::test
