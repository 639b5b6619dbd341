// Multi-attribute GSI keys: the composite key encoding (composite_key.h) orders byte strings as
// the tuples they encode, attribute by attribute, for mixed types (S, N, B) and lengths; a tuple
// prefix is a byte prefix; begins_with's escaped prefix bounds exactly the values starting with it.
#include <catch2/catch.hpp>
#include <random>

#include "dynamodb/composite_key.h"
#include "dynamodb/value.h"

using namespace localaws::ddb;

namespace {

// A random S or N key value, from a small alphabet so that equal parts and prefixes occur.
json random_value(std::mt19937& rng, char type) {
  if (type == 'N') {
    static const char* nums[] = {"-100", "-1.5", "-0.001", "0",   "0.001", "1",
                                 "1.5",  "10",   "100",    "1e5", "-1e5",  "99.99"};
    return {{"N", nums[std::uniform_int_distribution<int>(0, 11)(rng)]}};
  }
  static const char chars[] = {'\0', '\x01', 'a', 'b'};
  std::uniform_int_distribution<int> len(1, 5), pick(0, 3);
  std::string s;
  for (int i = 0, n = len(rng); i < n; ++i) s.push_back(chars[pick(rng)]);
  return {{"S", s}};
}

std::string b64(const std::string& raw) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < raw.size(); i += 3) {
    unsigned v = (unsigned char)raw[i] << 16 | (unsigned char)raw[i + 1] << 8 | (unsigned char)raw[i + 2];
    for (int k = 3; k >= 0; --k) out.push_back(tbl[(v >> (6 * k)) & 63]);
  }
  if (raw.size() - i == 1) {
    unsigned v = (unsigned char)raw[i] << 16;
    out += {tbl[v >> 18 & 63], tbl[v >> 12 & 63], '=', '='};
  } else if (raw.size() - i == 2) {
    unsigned v = (unsigned char)raw[i] << 16 | (unsigned char)raw[i + 1] << 8;
    out += {tbl[v >> 18 & 63], tbl[v >> 12 & 63], tbl[v >> 6 & 63], '='};
  }
  return out;
}

json value_of(std::mt19937& rng, char type) {
  if (type != 'B') return random_value(rng, type);
  std::uniform_int_distribution<int> len(1, 4), pick(0, 3);
  static const char bytes[] = {'\0', '\x01', 'a', '\xff'};
  std::string s;
  for (int i = 0, n = len(rng); i < n; ++i) s.push_back(bytes[pick(rng)]);
  return {{"B", b64(s)}};
}

// Tuple comparison by each attribute's DynamoDB order (value.h compare_values would do; key_bytes
// is the reference order for a single attribute).
int compare_tuples(const std::vector<json>& a, const std::vector<json>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    int c = key_bytes(a[i]).compare(key_bytes(b[i]));
    if (c) return c < 0 ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : a.size() < b.size() ? -1 : 1;
}

std::string encode(const std::vector<json>& t) {
  std::vector<std::string> parts;
  for (auto& v : t) parts.push_back(key_bytes(v));
  return composite_key(parts);
}

int sign(int c) { return c < 0 ? -1 : c > 0 ? 1 : 0; }

}  // namespace

TEST_CASE("composite key: byte order equals tuple order for mixed types and lengths", "[ddb][multikey]") {
  std::mt19937 rng(16);
  const std::vector<std::string> shapes = {"S", "N", "B", "SS", "SN", "NB", "BSN", "SSSS", "NNNN", "BBSN", "SNBS"};
  for (const std::string& shape : shapes) {
    for (int round = 0; round < 2000; ++round) {
      std::vector<json> a, b;
      for (char type : shape) a.push_back(value_of(rng, type)), b.push_back(value_of(rng, type));
      // Often share a prefix, so later attributes decide.
      size_t shared = std::uniform_int_distribution<size_t>(0, shape.size())(rng);
      for (size_t i = 0; i < shared && i < shape.size(); ++i) b[i] = a[i];
      INFO(shape << " " << json(a).dump() << " vs " << json(b).dump());
      REQUIRE(sign(encode(a).compare(encode(b))) == compare_tuples(a, b));
    }
  }
}

TEST_CASE("composite key: a tuple prefix is a byte prefix, and bounds its extensions", "[ddb][multikey]") {
  std::mt19937 rng(1116);
  for (int round = 0; round < 3000; ++round) {
    std::vector<json> t = {value_of(rng, 'S'), value_of(rng, 'N'), value_of(rng, 'B')};
    std::vector<json> prefix(t.begin(), t.begin() + 2);
    std::string p = encode(prefix), full = encode(t);
    REQUIRE(full.compare(0, p.size(), p) == 0);
    // No other first-two-attributes value produces the same byte prefix.
    std::vector<json> other = {value_of(rng, 'S'), value_of(rng, 'N'), value_of(rng, 'B')};
    std::string o = encode(other);
    bool same_prefix = o.compare(0, p.size(), p) == 0;
    REQUIRE(same_prefix == (key_bytes(other[0]) == key_bytes(t[0]) && key_bytes(other[1]) == key_bytes(t[1])));
  }
}

TEST_CASE("composite key: begins_with on a part matches exactly the escaped prefix", "[ddb][multikey]") {
  std::mt19937 rng(7);
  for (int round = 0; round < 3000; ++round) {
    std::string head = composite_key_part(key_bytes(value_of(rng, 'N')));
    json v = value_of(rng, 'B'), pre = value_of(rng, 'B');
    std::string vb = key_bytes(v), pb = key_bytes(pre).substr(0, 2);
    std::string key = head + composite_key_part(vb);
    bool starts = vb.compare(0, pb.size(), pb) == 0;
    std::string lo = head + escape_key_part(pb);
    REQUIRE((key.compare(0, lo.size(), lo) == 0) == starts);
  }
}

TEST_CASE("composite key: escaping", "[ddb][multikey]") {
  using namespace std::string_literals;
  REQUIRE(escape_key_part("a\0b"s) == "a\0\xff" "b"s);
  REQUIRE(composite_key_part("") == "\0\0"s);
  REQUIRE(composite_key({"a", "\0"s}) == "a\0\0\0\xff\0\0"s);
  REQUIRE(composite_key({"a", "b"}) < composite_key({"ab", ""}));
  REQUIRE(composite_key({"a\0"s, "z"}) > composite_key({"a", "zz"}));
}
