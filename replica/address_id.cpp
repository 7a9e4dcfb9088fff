#include "replica/address_id.hpp"

#include <array>

#include "replica/hashing.hpp"

namespace replica {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr int kRounds = 4;
constexpr std::size_t kVersionPos = 12;  // hex digit holding the UUID version
constexpr std::size_t kVariantPos = 16;  // hex digit whose top bits hold the variant

std::uint32_t round_function(std::uint64_t seed, std::uint32_t half, int round, Salt salt) {
  return static_cast<std::uint32_t>(hash_of(seed, half, round, salt));
}

// A keyed Feistel network: a bijection on 64 bits, so IDs look random yet decode exactly.
std::uint64_t scramble(std::uint64_t seed, std::uint64_t v, Salt salt = Salt::feistel) {
  auto left = static_cast<std::uint32_t>(v >> 32);
  auto right = static_cast<std::uint32_t>(v);
  for (int r = 0; r < kRounds; ++r) {
    const std::uint32_t next = left ^ round_function(seed, right, r, salt);
    left = right;
    right = next;
  }
  return (static_cast<std::uint64_t>(left) << 32) | right;
}

std::uint64_t unscramble(std::uint64_t seed, std::uint64_t v, Salt salt = Salt::feistel) {
  auto left = static_cast<std::uint32_t>(v >> 32);
  auto right = static_cast<std::uint32_t>(v);
  for (int r = kRounds - 1; r >= 0; --r) {
    const std::uint32_t prev = right ^ round_function(seed, left, r, salt);
    right = left;
    left = prev;
  }
  return (static_cast<std::uint64_t>(left) << 32) | right;
}

std::uint64_t check_bits(std::uint64_t seed, std::uint64_t scrambled, Salt salt = Salt::check) {
  return hash_of(seed, scrambled, salt);
}

// 32 hex digits: 16 from `a`, then 14 from the top of `b`, skipping the version digit (4) and
// the variant digit (8 + the low 2 bits of `b`).
std::string format_digits(std::uint64_t a, std::uint64_t b) {
  std::array<int, 30> nibbles{};
  for (int i = 0; i < 16; ++i) nibbles[i] = static_cast<int>((a >> (60 - 4 * i)) & 0xf);
  for (int i = 0; i < 14; ++i) nibbles[16 + i] = static_cast<int>((b >> (60 - 4 * i)) & 0xf);
  std::string out;
  out.reserve(36);
  std::size_t next = 0;
  for (std::size_t pos = 0; pos < 32; ++pos) {
    if (pos == 8 || pos == 12 || pos == 16 || pos == 20) out.push_back('-');
    if (pos == kVersionPos) {
      out.push_back('4');
    } else if (pos == kVariantPos) {
      out.push_back(kHex[8 + (b & 3)]);
    } else {
      out.push_back(kHex[nibbles[next++]]);
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The plain 64 bits behind an ID issued with these salts; nullopt for any other text.
std::optional<std::uint64_t> decode_plain(std::uint64_t seed, std::string_view id, Salt feistel, Salt check) {
  if (id.size() != 36) return std::nullopt;
  std::array<int, 32> digits{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (id[i] != '-') return std::nullopt;
      continue;
    }
    const int v = hex_value(id[i]);
    if (v < 0) return std::nullopt;
    digits[n++] = v;
  }
  if (digits[kVersionPos] != 4 || (digits[kVariantPos] & 0xc) != 8) return std::nullopt;
  std::uint64_t a = 0;
  std::uint64_t b_top = 0;
  std::size_t next = 0;
  for (std::size_t pos = 0; pos < 32; ++pos) {
    if (pos == kVersionPos || pos == kVariantPos) continue;
    const auto d = static_cast<std::uint64_t>(digits[pos]);
    if (next < 16) {
      a = (a << 4) | d;
    } else {
      b_top = (b_top << 4) | d;
    }
    ++next;
  }
  const std::uint64_t b = check_bits(seed, a, check);
  if ((b >> 8) != b_top || static_cast<int>(b & 3) != (digits[kVariantPos] & 3)) return std::nullopt;
  return unscramble(seed, a, feistel);
}

}  // namespace

std::string encode_address_id(std::uint64_t seed, PropertyKey key) {
  const std::uint64_t plain = (static_cast<std::uint64_t>(key.municipality_code) << 32) | key.index;
  const std::uint64_t a = scramble(seed, plain);
  return format_digits(a, check_bits(seed, a));
}

std::optional<PropertyKey> decode_address_id(std::uint64_t seed, std::string_view id) {
  const auto plain = decode_plain(seed, id, Salt::feistel, Salt::check);
  if (!plain) return std::nullopt;
  return PropertyKey{static_cast<int>(*plain >> 32), static_cast<std::uint32_t>(*plain)};
}

std::uint64_t address_id_order(std::uint64_t seed, PropertyKey key) {
  return scramble(seed, (static_cast<std::uint64_t>(key.municipality_code) << 32) | key.index);
}

// 10 bits of municipality code, 1 of kind, 16 of listing epoch, 5 of slot, 32 of index.
std::string encode_case_id(std::uint64_t seed, CaseKey key) {
  const std::uint64_t plain = (static_cast<std::uint64_t>(key.municipality_code) << 54) |
                              (static_cast<std::uint64_t>(key.kind) << 53) |
                              (static_cast<std::uint64_t>(key.listing_epoch & 0xffff) << 37) |
                              (static_cast<std::uint64_t>(key.slot & 0x1f) << 32) | key.index;
  const std::uint64_t a = scramble(seed, plain, Salt::case_feistel);
  return format_digits(a, check_bits(seed, a, Salt::case_check));
}

std::optional<CaseKey> decode_case_id(std::uint64_t seed, std::string_view id) {
  const auto plain = decode_plain(seed, id, Salt::case_feistel, Salt::case_check);
  if (!plain) return std::nullopt;
  CaseKey key;
  key.municipality_code = static_cast<int>(*plain >> 54);
  key.kind = static_cast<CaseKind>((*plain >> 53) & 1);
  key.listing_epoch = static_cast<int>((*plain >> 37) & 0xffff);
  key.slot = static_cast<int>((*plain >> 32) & 0x1f);
  key.index = static_cast<std::uint32_t>(*plain & 0xffffffffULL);
  return key;
}

std::string uuid_from_hash(std::uint64_t h) { return format_digits(mix64(h ^ 0x5bd1e995ULL), hash_of(h, Salt::uuid)); }

}  // namespace replica
