// Error types shared by every layer. Each carries enough context to be printed as one
// clear line (file and line for config, JSON path for payloads).
#pragma once

#include <stdexcept>
#include <string>

namespace etl {

class EtlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A bad municipalities.yaml or flag value: the user must fix something before running.
class ConfigError : public EtlError {
 public:
  using EtlError::EtlError;
};

// A flag value that names nothing (an unknown area, municipality or address type): exit 2.
class UsageError : public ConfigError {
 public:
  using ConfigError::ConfigError;
};

// A payload that cannot become a PropertyRecord; `path` is the JSON path, e.g. "$.registrations[3].amount".
class ParseError : public EtlError {
 public:
  ParseError(std::string path, std::string reason)
      : EtlError(path + ": " + reason), path_(std::move(path)), reason_(std::move(reason)) {}
  const std::string& path() const noexcept { return path_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string path_;
  std::string reason_;
};

// The database refused or is unreachable.
class StoreError : public EtlError {
 public:
  using EtlError::EtlError;
};

// The API could not be reached or kept failing after the retries.
class ApiError : public EtlError {
 public:
  using EtlError::EtlError;
};

// The API refuses this client (sustained 403s, HttpResponse::refused): no request of the run
// can succeed, so the run stops instead of recording every search as failed.
class ApiRefusedError : public ApiError {
 public:
  using ApiError::ApiError;
};

}  // namespace etl
