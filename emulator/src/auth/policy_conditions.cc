#include "auth/policy_conditions.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "common/crypto.h"
#include "common/strings.h"
#include "common/time.h"
#include "auth/policy.h"

namespace localaws::auth {

using nlohmann::json;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// ---- condition keys --------------------------------------------------------------------------

// Global keys (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html),
// lower case.
const char* const kGlobalKeys[] = {
    "aws:calledvia", "aws:calledviafirst", "aws:calledvialast", "aws:currenttime", "aws:epochtime",
    "aws:federatedprovider", "aws:multifactorauthage", "aws:multifactorauthpresent", "aws:principalaccount",
    "aws:principalarn", "aws:principalisawsservice", "aws:principalorgid", "aws:principalorgpaths",
    "aws:principalservicename", "aws:principalservicenameslist", "aws:principaltype", "aws:referer",
    "aws:requestedregion", "aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths",
    "aws:securetransport", "aws:sourceaccount", "aws:sourcearn", "aws:sourceidentity", "aws:sourceip",
    "aws:sourceorgid", "aws:sourceorgpaths", "aws:sourcevpc", "aws:sourcevpce", "aws:tagkeys",
    "aws:tokenissuetime", "aws:useragent", "aws:userid", "aws:username", "aws:viaawsservice",
    "aws:vpcsourceip", "aws:ec2instancesourcevpc", "aws:ec2instancesourceprivateipv4"};
// Global keys with a tag key after the slash.
const char* const kGlobalTagPrefixes[] = {"aws:principaltag/", "aws:requesttag/", "aws:resourcetag/"};

// ---- values ----------------------------------------------------------------------------------

// A condition value as a string: JSON strings as they are, numbers and booleans as written.
std::optional<std::string> scalar(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_float()) return v.dump();
  return std::nullopt;
}

std::optional<std::vector<std::string>> values_of(const json& v) {
  std::vector<std::string> out;
  if (v.is_array()) {
    for (auto& e : v) {
      auto s = scalar(e);
      if (!s) return std::nullopt;
      out.push_back(*s);
    }
    return out;
  }
  auto s = scalar(v);
  if (!s) return std::nullopt;
  out.push_back(*s);
  return out;
}

std::optional<double> number(const std::string& s) {
  std::string t = trim(s);
  if (t.empty()) return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

// A date as policies write it: ISO 8601 (date only, with seconds, fractions, Z or an offset) or
// epoch seconds. Seconds since the epoch.
std::optional<int64_t> date(const std::string& s) {
  std::string t = trim(s);
  if (t.empty()) return std::nullopt;
  if (std::all_of(t.begin(), t.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }))
    return t.size() <= 12 ? std::optional<int64_t>(std::stoll(t)) : std::nullopt;
  if (t.size() == 10) t += "T00:00:00Z";
  int64_t offset_s = 0;
  if (t.size() > 6 && (t[t.size() - 6] == '+' || t[t.size() - 6] == '-') && t[t.size() - 3] == ':') {
    auto hh = number(t.substr(t.size() - 5, 2)), mm = number(t.substr(t.size() - 2));
    if (!hh || !mm) return std::nullopt;
    offset_s = static_cast<int64_t>(*hh * 3600 + *mm * 60) * (t[t.size() - 6] == '+' ? 1 : -1);
    t = t.substr(0, t.size() - 6) + "Z";
  }
  if (t.size() == 17 && t.back() == 'Z') t.insert(16, ":00");  // 2024-01-01T10:00Z
  auto v = parse_iso8601(t);
  if (!v) {
    // Fractions of any length: drop them.
    auto dot = t.find('.');
    if (dot != std::string::npos && t.back() == 'Z') v = parse_iso8601(t.substr(0, dot) + "Z");
  }
  if (!v) return std::nullopt;
  return *v - offset_s;
}

// An IPv4 or IPv6 address, or a CIDR block; the address bytes and the prefix length.
struct Cidr {
  int family = 0;  // AF_INET, AF_INET6
  unsigned char bytes[16] = {};
  int bits = 0;
};

std::optional<Cidr> cidr(const std::string& s) {
  std::string t = trim(s);
  Cidr c;
  std::string addr = t;
  int bits = -1;
  if (auto slash = t.find('/'); slash != std::string::npos) {
    addr = t.substr(0, slash);
    auto n = number(t.substr(slash + 1));
    if (!n || *n != std::floor(*n) || *n < 0) return std::nullopt;
    bits = static_cast<int>(*n);
  }
  if (inet_pton(AF_INET, addr.c_str(), c.bytes) == 1) {
    c.family = AF_INET;
    c.bits = bits < 0 ? 32 : bits;
    if (c.bits > 32) return std::nullopt;
  } else if (inet_pton(AF_INET6, addr.c_str(), c.bytes) == 1) {
    c.family = AF_INET6;
    c.bits = bits < 0 ? 128 : bits;
    if (c.bits > 128) return std::nullopt;
  } else {
    return std::nullopt;
  }
  return c;
}

bool in_block(const Cidr& block, const Cidr& ip) {
  if (block.family != ip.family) return false;
  int full = block.bits / 8, rest = block.bits % 8;
  if (std::memcmp(block.bytes, ip.bytes, full) != 0) return false;
  if (rest == 0) return true;
  unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (block.bytes[full] & mask) == (ip.bytes[full] & mask);
}

// The six colon-separated parts of an ARN (the last keeps its colons).
std::optional<std::vector<std::string>> arn_parts(const std::string& s) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    auto colon = s.find(':', start);
    if (colon == std::string::npos) return std::nullopt;
    parts.push_back(s.substr(start, colon - start));
    start = colon + 1;
  }
  parts.push_back(s.substr(start));
  return parts;
}

bool arn_like(const std::string& pattern, const std::string& value) {
  auto p = arn_parts(pattern), v = arn_parts(value);
  if (!p || !v) return false;
  for (size_t i = 0; i < 6; ++i) {
    if (!wildcard_match((*p)[i], (*v)[i], false)) return false;
  }
  return true;
}

// ---- operators -------------------------------------------------------------------------------

enum class Kind { kStringEquals, kStringEqualsIgnoreCase, kStringLike, kNumericEquals, kNumericLess,
                  kNumericLessEquals, kNumericGreater, kNumericGreaterEquals, kDateEquals, kDateLess,
                  kDateLessEquals, kDateGreater, kDateGreaterEquals, kBool, kBinaryEquals, kIp, kArnLike,
                  kNull };

struct OpInfo {
  const char* name = "";
  Kind kind = Kind::kNull;
  bool negated = false;
};

const OpInfo kOps[] = {
    {"StringEquals", Kind::kStringEquals, false},
    {"StringNotEquals", Kind::kStringEquals, true},
    {"StringEqualsIgnoreCase", Kind::kStringEqualsIgnoreCase, false},
    {"StringNotEqualsIgnoreCase", Kind::kStringEqualsIgnoreCase, true},
    {"StringLike", Kind::kStringLike, false},
    {"StringNotLike", Kind::kStringLike, true},
    {"NumericEquals", Kind::kNumericEquals, false},
    {"NumericNotEquals", Kind::kNumericEquals, true},
    {"NumericLessThan", Kind::kNumericLess, false},
    {"NumericLessThanEquals", Kind::kNumericLessEquals, false},
    {"NumericGreaterThan", Kind::kNumericGreater, false},
    {"NumericGreaterThanEquals", Kind::kNumericGreaterEquals, false},
    {"DateEquals", Kind::kDateEquals, false},
    {"DateNotEquals", Kind::kDateEquals, true},
    {"DateLessThan", Kind::kDateLess, false},
    {"DateLessThanEquals", Kind::kDateLessEquals, false},
    {"DateGreaterThan", Kind::kDateGreater, false},
    {"DateGreaterThanEquals", Kind::kDateGreaterEquals, false},
    {"Bool", Kind::kBool, false},
    {"BinaryEquals", Kind::kBinaryEquals, false},
    {"IpAddress", Kind::kIp, false},
    {"NotIpAddress", Kind::kIp, true},
    {"ArnEquals", Kind::kArnLike, false},
    {"ArnLike", Kind::kArnLike, false},
    {"ArnNotEquals", Kind::kArnLike, true},
    {"ArnNotLike", Kind::kArnLike, true},
    {"Null", Kind::kNull, false},
};

enum class SetOp { kNone, kForAll, kForAny };

struct Operator {
  OpInfo info;
  SetOp set = SetOp::kNone;
  bool if_exists = false;
};

std::optional<Operator> parse_operator(std::string_view name) {
  Operator op;
  if (starts_with(name, "ForAllValues:")) {
    op.set = SetOp::kForAll;
    name.remove_prefix(13);
  } else if (starts_with(name, "ForAnyValue:")) {
    op.set = SetOp::kForAny;
    name.remove_prefix(12);
  }
  if (name.size() > 8 && name.substr(name.size() - 8) == "IfExists") {
    op.if_exists = true;
    name.remove_suffix(8);
  }
  for (auto& o : kOps) {
    if (name == o.name) {
      if (o.kind == Kind::kNull && op.if_exists) return std::nullopt;  // there is no NullIfExists
      op.info = o;
      return op;
    }
  }
  return std::nullopt;
}

bool value_valid(Kind k, const std::string& v) {
  switch (k) {
    case Kind::kNumericEquals: case Kind::kNumericLess: case Kind::kNumericLessEquals:
    case Kind::kNumericGreater: case Kind::kNumericGreaterEquals:
      return number(v).has_value();
    case Kind::kDateEquals: case Kind::kDateLess: case Kind::kDateLessEquals: case Kind::kDateGreater:
    case Kind::kDateGreaterEquals:
      return date(v).has_value();
    case Kind::kIp:
      return cidr(v).has_value();
    case Kind::kBool: case Kind::kNull: {
      std::string l = lower(trim(v));
      return l == "true" || l == "false";
    }
    case Kind::kBinaryEquals: {
      std::string out;
      return base64_decode(trim(v), out);
    }
    default:
      return true;
  }
}

// a <op> p for the comparisons in Kind's order: Equals, Less, LessEquals, Greater, GreaterEquals.
// False when either side is not a value of the type.
template <typename T>
bool compare(int op, const std::optional<T>& a, const std::optional<T>& p) {
  if (!a || !p) return false;
  switch (op) {
    case 0: return *a == *p;
    case 1: return *a < *p;
    case 2: return *a <= *p;
    case 3: return *a > *p;
    default: return *a >= *p;
  }
}

// Whether one request value satisfies the positive form of the operator for one policy value.
bool match_one(Kind k, const std::string& policy, const std::string& actual) {
  switch (k) {
    case Kind::kStringEquals: return policy == actual;
    case Kind::kStringEqualsIgnoreCase: return lower(policy) == lower(actual);
    case Kind::kStringLike: return wildcard_match(policy, actual, false);
    case Kind::kNumericEquals: case Kind::kNumericLess: case Kind::kNumericLessEquals:
    case Kind::kNumericGreater: case Kind::kNumericGreaterEquals:
      return compare(static_cast<int>(k) - static_cast<int>(Kind::kNumericEquals), number(actual), number(policy));
    case Kind::kDateEquals: case Kind::kDateLess: case Kind::kDateLessEquals: case Kind::kDateGreater:
    case Kind::kDateGreaterEquals:
      return compare(static_cast<int>(k) - static_cast<int>(Kind::kDateEquals), date(actual), date(policy));
    case Kind::kBool: return lower(trim(policy)) == lower(trim(actual));
    case Kind::kBinaryEquals: return trim(policy) == base64_encode(actual);
    case Kind::kIp: {
      auto block = cidr(policy), ip = cidr(actual);
      return block && ip && in_block(*block, *ip);
    }
    case Kind::kArnLike: return arn_like(policy, actual);
    case Kind::kNull: return false;
  }
  return false;
}

bool holds(const Operator& op, const std::string& key, const std::vector<std::string>& policy_values,
           const PolicyContext& ctx, bool with_variables) {
  const std::vector<std::string>* actual = ctx.get(key);
  bool present = actual && !actual->empty();
  if (op.info.kind == Kind::kNull) {
    // "true": the key must be absent; "false": present. Several values: any of them.
    for (auto& v : policy_values) {
      if ((lower(trim(v)) == "true") != present) return true;
    }
    return false;
  }
  if (!present) {
    if (op.if_exists || op.set == SetOp::kForAll) return true;
    if (op.set == SetOp::kForAny) return false;
    return op.info.negated;
  }
  // Variables apply to the string and ARN operators; a value whose variable is absent matches nothing.
  std::vector<std::string> pv;
  bool substitutes = with_variables && (op.info.kind == Kind::kStringEquals || op.info.kind == Kind::kStringLike ||
                                        op.info.kind == Kind::kStringEqualsIgnoreCase || op.info.kind == Kind::kArnLike);
  for (auto& v : policy_values) {
    if (!substitutes) {
      pv.push_back(v);
    } else if (auto s = substitute_variables(v, ctx)) {
      pv.push_back(*s);
    }
  }
  auto positive = [&](const std::string& a) {
    return std::any_of(pv.begin(), pv.end(), [&](const std::string& p) { return match_one(op.info.kind, p, a); });
  };
  auto per_value = [&](const std::string& a) { return op.info.negated ? !positive(a) : positive(a); };
  switch (op.set) {
    case SetOp::kForAll: return std::all_of(actual->begin(), actual->end(), per_value);
    case SetOp::kForAny: return std::any_of(actual->begin(), actual->end(), per_value);
    case SetOp::kNone: break;
  }
  bool any = std::any_of(actual->begin(), actual->end(), positive);
  return op.info.negated ? !any : any;
}

}  // namespace

// ---- PolicyContext ---------------------------------------------------------------------------

std::string PolicyContext::normalize(std::string_view key) {
  auto slash = key.find('/');
  if (slash == std::string_view::npos) return lower(key);
  return lower(key.substr(0, slash)) + std::string(key.substr(slash));
}

void PolicyContext::set(std::string_view key, std::string value) { keys_[normalize(key)] = {std::move(value)}; }
void PolicyContext::add(std::string_view key, std::string value) { keys_[normalize(key)].push_back(std::move(value)); }
void PolicyContext::set_list(std::string_view key, std::vector<std::string> values) {
  keys_[normalize(key)] = std::move(values);
}
void PolicyContext::merge(const PolicyContext& other) {
  for (auto& [k, v] : other.keys_) keys_[k] = v;
}
const std::vector<std::string>* PolicyContext::get(std::string_view key) const {
  auto it = keys_.find(normalize(key));
  return it == keys_.end() ? nullptr : &it->second;
}

// ---- validation and evaluation ---------------------------------------------------------------

bool key_in(std::string_view key, const char* const* names, size_t n_names, const char* const* prefixes,
            size_t n_prefixes) {
  std::string k = lower(key);
  for (size_t i = 0; i < n_prefixes; ++i) {
    if (starts_with(k, prefixes[i]) && k.size() > std::strlen(prefixes[i])) return true;
  }
  for (size_t i = 0; i < n_names; ++i) {
    if (k == names[i]) return true;
  }
  return false;
}

bool global_condition_key(std::string_view key) {
  return key_in(key, kGlobalKeys, std::size(kGlobalKeys), kGlobalTagPrefixes, std::size(kGlobalTagPrefixes));
}

std::optional<std::string> condition_error(const json& condition, KeyFilter known_key) {
  if (!condition.is_object()) return "Policy has an invalid condition";
  for (auto& [name, block] : condition.items()) {
    auto op = parse_operator(name);
    if (!op) return "Invalid Condition type : " + name;
    if (!block.is_object() || block.empty()) return "Policy has an invalid condition";
    for (auto& [key, value] : block.items()) {
      if (!known_key(key)) return "Policy has an invalid condition key";
      auto vs = values_of(value);
      if (!vs) return "Policy has an invalid condition";
      for (auto& v : *vs) {
        if (!value_valid(op->info.kind, v)) return "Invalid value for " + name + " condition: " + v;
      }
    }
  }
  return std::nullopt;
}

bool conditions_hold(const json& condition, const PolicyContext& ctx, bool with_variables) {
  if (!condition.is_object()) return false;
  for (auto& [name, block] : condition.items()) {
    auto op = parse_operator(name);
    if (!op || !block.is_object()) return false;  // never stored: PutBucketPolicy validates
    for (auto& [key, value] : block.items()) {
      auto vs = values_of(value);
      if (!vs || !holds(*op, key, *vs, ctx, with_variables)) return false;
    }
  }
  return true;
}

std::optional<std::string> substitute_variables(std::string_view s, const PolicyContext& ctx) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '$' || i + 1 >= s.size() || s[i + 1] != '{') {
      out += s[i++];
      continue;
    }
    auto close = s.find('}', i + 2);
    if (close == std::string_view::npos) {
      out += s.substr(i);
      break;
    }
    std::string inner = trim(std::string(s.substr(i + 2, close - i - 2)));
    i = close + 1;
    if (inner == "*" || inner == "?" || inner == "$") {
      out += inner;
      continue;
    }
    std::optional<std::string> fallback;
    if (auto comma = inner.find(','); comma != std::string::npos) {
      std::string d = trim(inner.substr(comma + 1));
      if (d.size() >= 2 && d.front() == '\'' && d.back() == '\'') fallback = d.substr(1, d.size() - 2);
      inner = trim(inner.substr(0, comma));
    }
    auto* v = ctx.get(inner);
    if (v && v->size() == 1) {
      out += (*v)[0];
    } else if (fallback) {
      out += *fallback;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace localaws::auth
