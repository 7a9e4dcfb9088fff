#include "etl/pipeline/json_file_import.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "etl/core/errors.hpp"
#include "etl/pipeline/batch_loader.hpp"
#include "extractors/property_parser.hpp"

namespace etl {
namespace {

namespace fs = std::filesystem;

// Expands directories (recursively, *.json, sorted for a stable order) and keeps files and "-".
std::vector<std::string> expand(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (p != "-" && fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec))
        if (e.is_regular_file() && e.path().extension() == ".json") found.push_back(e.path().string());
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back(p);
    }
  }
  return out;
}

// A saved file holds a payload, a search page (16 MiB at most from the API) or an array of
// payloads; more than this is not one (/dev/zero, a disk image), and reading on would only
// grow memory: bigger exports go in a folder of files.
constexpr std::size_t kMaxFileBytes = 64 << 20;

// Reads `path` ("-": stdin) in chunks, up to kMaxFileBytes, stopping at a signal. Returns ""
// with the text read, or why it was not ("" and `stopped` set on a signal).
std::string read_all(const std::string& path, std::string& text, const std::atomic<int>& stop, bool& stopped) {
  const int fd = path == "-" ? STDIN_FILENO : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == EINTR && (stopped = stop.load() != 0)) return "";  // a FIFO no writer opened yet
  if (fd < 0) return std::string("cannot read the file: ") + std::strerror(errno);
  std::string error;
  std::vector<char> chunk(1 << 20);
  text.clear();
  while (!(stopped = stop.load() != 0)) {
    // A signal interrupts a read that waits (stdin, a FIFO): no SA_RESTART, so EINTR.
    const ssize_t n = read(fd, chunk.data(), chunk.size());
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::string("cannot read the file: ") + std::strerror(errno);
      break;
    }
    if (text.size() + static_cast<std::size_t>(n) > kMaxFileBytes) {
      error = fmt::format("the file is over {} MiB, more than a saved payload file holds; split it into a folder of "
                          "files",
                          kMaxFileBytes >> 20);
      break;
    }
    text.append(chunk.data(), static_cast<std::size_t>(n));
  }
  if (fd != STDIN_FILENO) close(fd);
  if (!error.empty() || stopped) text.clear();
  return error;
}

// ondemand's raw_json() runs up to the next token, so it carries the whitespace before a "," or
// "]"; the payload is the object's own text, from "{" to "}".
std::string_view trim_trailing_space(std::string_view s) {
  const auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(0, end == std::string_view::npos ? 0 : end + 1);
}

// The address payloads a file holds, each as its exact text. Throws ParseError.
std::vector<std::string> split_payloads(const std::string& text) {
  if (text.starts_with(kUtf8Bom)) throw ParseError("$", kBomMessage);
  simdjson::ondemand::parser parser;
  const simdjson::padded_string padded(text);
  simdjson::ondemand::document doc;
  if (parser.iterate(padded).get(doc)) throw ParseError("$", "not JSON");
  simdjson::ondemand::json_type type;
  if (doc.type().get(type)) throw ParseError("$", "not JSON");

  std::vector<std::string> out;
  const auto collect = [&](simdjson::ondemand::array array, const std::string& where) {
    for (auto element : array) {
      simdjson::ondemand::object object;
      std::string_view raw;
      if (element.get_object().get(object) || object.raw_json().get(raw))
        throw ParseError(where, "every element must be an address object");
      out.emplace_back(trim_trailing_space(raw));
    }
  };
  if (type == simdjson::ondemand::json_type::array) {
    simdjson::ondemand::array array;
    if (doc.get_array().get(array)) throw ParseError("$", "invalid JSON array");
    collect(array, "$[]");
  } else if (type == simdjson::ondemand::json_type::object) {
    simdjson::ondemand::object object;
    if (doc.get_object().get(object)) throw ParseError("$", "invalid JSON object");
    simdjson::ondemand::array addresses;
    const auto err = object.find_field_unordered("addresses").get_array().get(addresses);
    if (!err) {
      collect(addresses, "$.addresses[]");
    } else if (err == simdjson::NO_SUCH_FIELD) {
      out.push_back(text);  // one address object: stored exactly as the file holds it
    } else {
      throw ParseError("$.addresses", "not an array of addresses");
    }
  } else {
    throw ParseError("$", "expected an address object, an array of them, or {\"addresses\": [...]}");
  }
  if (out.empty()) throw ParseError("$", "holds no address");
  return out;
}

}  // namespace

JsonImportResult import_json_paths(const std::vector<std::string>& paths, ImportStore& store, RunCounters& counters,
                                   std::size_t batch_size, const std::atomic<int>& stop) {
  JsonImportResult result;
  BatchLoader loader(store, store, counters, batch_size);
  PropertyParser parser;
  MunicipalityCounters& row = counters.municipalities.at(0);
  // Saved payloads are a starting state, not listings observed now: no `listed` events.
  row.first_import = true;
  // Stage "import": `etl run` does not retry these, only a new import of the file can.
  const auto fail = [&](const std::string& id, const std::string& reason, const std::string& file) {
    spdlog::warn("{}: {}", file, reason);
    loader.add_failure(FailureRecord{id, FailureStage::import, reason, file}, 0);
  };
  try {
    for (const std::string& file : expand(paths)) {
      if (stop.load()) {
        result.interrupted = true;
        break;
      }
      ++result.files;
      const std::string source = file == "-" ? "<stdin>" : file;
      std::string text;
      bool stopped = false;
      if (const std::string error = read_all(file, text, stop, stopped); !error.empty()) {
        fail("file:" + source, error, source);
        continue;
      }
      if (stopped) {
        result.interrupted = true;
        break;
      }
      std::vector<std::string> payloads;
      try {
        payloads = split_payloads(text);
      } catch (const ParseError& e) {
        fail("file:" + source, e.what(), source);
        continue;
      }
      for (std::size_t i = 0; i < payloads.size(); ++i) {
        row.discovered += 1;
        try {
          PropertyRecord record = parser.parse(payloads[i]);
          row.fetched += 1;
          loader.add(std::move(record), 0);
        } catch (const ParseError& e) {
          fail("file:" + source + "#" + std::to_string(i), e.what(), source);
        }
      }
    }
    loader.flush();
  } catch (const EtlError& e) {
    result.fatal_error = std::string("database write failed: ") + e.what();
  }
  return result;
}

}  // namespace etl
