// Encodings the store keeps: ObjectMeta's binary form (and the JSON of older rows), version ids.
#include <nlohmann/json.hpp>

#include "common/crypto.h"
#include "s3/store.h"

namespace localaws::s3 {

namespace {

using nlohmann::json;

// ---- ObjectMeta, binary: a format byte, then fields in a fixed order; strings and lists are a
// LEB128 length followed by their bytes / elements. Trailing bytes are ignored, so fields can be
// appended later. The format byte can never start JSON ('{').
// Format 2 appends the encryption and restore fields to format 1; format 3 the parts' checksums.
constexpr char kMetaV1 = 0x01, kMetaV2 = 0x02, kMetaV3 = 0x03;

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
void put_str(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}
void put_pairs(std::string& out, const Pairs& p) {
  put_varint(out, p.size());
  for (auto& [k, v] : p) put_str(out, k), put_str(out, v);
}

// Reads fields; any overrun marks the reader failed and every later read returns empty.
struct Reader {
  std::string_view s;
  size_t pos = 0;
  bool ok = true;
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; ok && shift < 64; shift += 7) {
      if (pos >= s.size()) break;
      auto b = static_cast<unsigned char>(s[pos++]);
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    ok = false;
    return 0;
  }
  std::string str() {
    uint64_t n = varint();
    if (!ok || n > s.size() - pos) {
      ok = false;
      return {};
    }
    std::string r(s.substr(pos, n));
    pos += n;
    return r;
  }
  void skip_str() {
    uint64_t n = varint();
    if (!ok || n > s.size() - pos) ok = false;
    else pos += n;
  }
  void skip_pairs() {
    uint64_t n = varint();
    if (n > s.size() - pos) ok = false;
    for (uint64_t i = 0; ok && i < n; i++) skip_str(), skip_str();
  }
  Pairs pairs() {
    Pairs p;
    uint64_t n = varint();
    if (n > s.size() - pos) ok = false;  // each pair takes at least two bytes
    for (uint64_t i = 0; ok && i < n; i++) {
      std::string k = str();
      std::string v = str();
      if (ok) p.emplace_back(std::move(k), std::move(v));
    }
    return p;
  }
};

json pairs_json(const Pairs& p) {
  json a = json::array();
  for (auto& [k, v] : p) a.push_back({k, v});
  return a;
}
Pairs json_pairs(const json& a) {
  Pairs p;
  if (!a.is_array()) return p;
  for (auto& e : a) {
    if (e.is_array() && e.size() == 2 && e[0].is_string() && e[1].is_string())
      p.emplace_back(e[0].get<std::string>(), e[1].get<std::string>());
  }
  return p;
}

// ---- Version ids: 32 characters of a URL-safe alphabet:
//   [0, 20)  random (120 bits: ids cannot be guessed from one another)
//   [20, 31) the seq XOR a 64-bit hash of the random part, 6 bits a character, most significant
//            first (66 bits, the top two zero), so ids do not show their order
//   31       a check character over the first 31: a mistyped character always makes the id
//            malformed, and so do 63 in 64 invented ids
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
constexpr size_t kIdLen = 32, kRandLen = 20, kSeqLen = 11;

int sextet(char ch) {
  if (ch >= 'A' && ch <= 'Z') return ch - 'A';
  if (ch >= 'a' && ch <= 'z') return 26 + (ch - 'a');
  if (ch >= '0' && ch <= '9') return 52 + (ch - '0');
  if (ch == '.') return 62;
  if (ch == '_') return 63;
  return -1;
}

uint64_t mask_of(std::string_view random_part) {
  uint64_t h = 14695981039346656037ull;  // FNV-1a
  for (char ch : random_part) {
    h ^= static_cast<unsigned char>(ch);
    h *= 1099511628211ull;
  }
  return h;
}

// Odd weights are invertible mod 64, so changing any one character always changes the sum.
char check_char(std::string_view first31) {
  unsigned sum = 0;
  for (size_t i = 0; i < first31.size(); i++) sum += static_cast<unsigned>((2 * i + 1) * sextet(first31[i]));
  return kAlphabet[sum % 64];
}

}  // namespace

std::string ObjectMeta::encode() const {
  std::string out;
  out.reserve(64 + acl.size());
  out.push_back(kMetaV3);
  put_pairs(out, headers);
  put_pairs(out, user);
  put_pairs(out, tags);
  put_str(out, storage_class);
  put_str(out, checksum_algo);
  put_str(out, checksum_value);
  put_str(out, checksum_type);
  put_varint(out, part_sizes.size());
  for (uint64_t n : part_sizes) put_varint(out, n);
  put_str(out, acl);
  put_str(out, sse_algo);
  put_str(out, kms_key_id);
  put_str(out, kms_context);
  put_varint(out, bucket_key ? 1 : 0);
  put_str(out, ssec_key_md5);
  put_str(out, ssec_nonce);
  put_varint(out, static_cast<uint64_t>(restore_ready_ms));
  put_varint(out, static_cast<uint64_t>(restore_expiry_ms));
  put_varint(out, part_checksums.size());
  for (auto& c : part_checksums) put_str(out, c);
  return out;
}

ObjectMeta ObjectMeta::decode(std::string_view s) {
  if (s.empty()) return {};
  if (s[0] == '{') return from_json(std::string(s));
  ObjectMeta m;
  if (s[0] != kMetaV1 && s[0] != kMetaV2 && s[0] != kMetaV3) return m;
  Reader r{s, 1};
  m.headers = r.pairs();
  m.user = r.pairs();
  m.tags = r.pairs();
  m.storage_class = r.str();
  m.checksum_algo = r.str();
  m.checksum_value = r.str();
  m.checksum_type = r.str();
  uint64_t n = r.varint();
  if (n > s.size()) r.ok = false;
  for (uint64_t i = 0; r.ok && i < n; i++) m.part_sizes.push_back(r.varint());
  m.acl = r.str();
  if (!r.ok) return {};
  if (s[0] == kMetaV1) return m;
  m.sse_algo = r.str();
  m.kms_key_id = r.str();
  m.kms_context = r.str();
  m.bucket_key = r.varint() != 0;
  m.ssec_key_md5 = r.str();
  m.ssec_nonce = r.str();
  m.restore_ready_ms = static_cast<int64_t>(r.varint());
  m.restore_expiry_ms = static_cast<int64_t>(r.varint());
  if (!r.ok) return {};
  if (s[0] == kMetaV2) return m;
  uint64_t k = r.varint();
  if (k > s.size()) r.ok = false;
  for (uint64_t i = 0; r.ok && i < k; i++) m.part_checksums.push_back(r.str());
  if (!r.ok) return {};
  return m;
}

ObjectMeta ObjectMeta::decode_listed(std::string_view s) {
  if (s.empty() || (s[0] != kMetaV1 && s[0] != kMetaV2 && s[0] != kMetaV3)) return decode(s);
  ObjectMeta m;
  Reader r{s, 1};
  r.skip_pairs();
  r.skip_pairs();
  r.skip_pairs();
  m.storage_class = r.str();
  m.checksum_algo = r.str();
  r.skip_str();
  m.checksum_type = r.str();
  if (!r.ok) return {};
  return m;
}

std::string ObjectMeta::to_json() const {
  json j = {{"h", pairs_json(headers)}, {"u", pairs_json(user)}, {"t", pairs_json(tags)}, {"sc", storage_class}};
  if (!checksum_algo.empty()) j["ca"] = checksum_algo, j["cv"] = checksum_value, j["ct"] = checksum_type;
  if (!part_sizes.empty()) j["ps"] = part_sizes;
  if (!acl.empty()) j["acl"] = acl;
  return j.dump();
}

ObjectMeta ObjectMeta::from_json(const std::string& s) {
  ObjectMeta m;
  json j = json::parse(s, nullptr, false);
  if (!j.is_object()) return m;
  auto text = [&](const char* k, const char* fallback) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string(fallback);
  };
  m.headers = json_pairs(j.value("h", json::array()));
  m.user = json_pairs(j.value("u", json::array()));
  m.tags = json_pairs(j.value("t", json::array()));
  m.storage_class = text("sc", "STANDARD");
  m.checksum_algo = text("ca", "");
  m.checksum_value = text("cv", "");
  m.checksum_type = text("ct", "");
  if (auto it = j.find("ps"); it != j.end() && it->is_array()) {
    for (auto& n : *it) {
      if (n.is_number_unsigned()) m.part_sizes.push_back(n.get<uint64_t>());
    }
  }
  m.acl = text("acl", "");
  return m;
}

std::string make_version_id(int64_t seq) {
  std::string hex = random_hex(15);  // 120 random bits
  auto nibble = [&](size_t i) {
    char ch = hex[i];
    return static_cast<uint32_t>(ch <= '9' ? ch - '0' : ch - 'a' + 10);
  };
  std::string id;
  id.reserve(kIdLen);
  for (size_t i = 0; i < hex.size(); i += 6) {  // 3 bytes -> 4 characters
    uint32_t b = 0;
    for (size_t j = 0; j < 6; j++) b = (b << 4) | nibble(i + j);
    for (int k = 3; k >= 0; k--) id.push_back(kAlphabet[(b >> (6 * k)) & 0x3F]);
  }
  uint64_t x = static_cast<uint64_t>(seq) ^ mask_of(id);
  for (int k = static_cast<int>(kSeqLen) - 1; k >= 0; k--) id.push_back(kAlphabet[(x >> (6 * k)) & 0x3F]);
  id.push_back(check_char(id));
  return id;
}

std::optional<int64_t> version_seq(std::string_view id) {
  if (id == "null") return kNullVersionSeq;
  if (id.size() != kIdLen) return std::nullopt;
  for (char ch : id) {
    if (sextet(ch) < 0) return std::nullopt;
  }
  if (check_char(id.substr(0, kIdLen - 1)) != id[kIdLen - 1]) return std::nullopt;
  if (sextet(id[kRandLen]) >= 16) return std::nullopt;  // more than 64 bits
  uint64_t x = 0;
  for (size_t i = kRandLen; i < kRandLen + kSeqLen; i++) x = (x << 6) | static_cast<uint64_t>(sextet(id[i]));
  uint64_t seq = x ^ mask_of(id.substr(0, kRandLen));
  if (seq == 0 || seq > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(seq);
}

std::optional<std::string> next_prefix(const std::string& p) {
  std::string s = p;
  while (!s.empty() && static_cast<unsigned char>(s.back()) == 0xFF) s.pop_back();
  if (s.empty()) return std::nullopt;
  s.back() = static_cast<char>(static_cast<unsigned char>(s.back()) + 1);
  return s;
}

}  // namespace localaws::s3
