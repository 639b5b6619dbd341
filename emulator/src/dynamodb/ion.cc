// DynamoDB items as Amazon Ion text, the mapping AWS documents for ION exports and imports
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html):
// S string, N decimal, B blob, BOOL bool, NULL null, L list, M struct, SS / NS / BS lists
// annotated $dynamodb_SS / $dynamodb_NS / $dynamodb_BS. One record per line, each after the
// $ion_1_0 version marker. The reader takes that subset of Ion text (plus comments, symbols and
// Ion floats); long strings, clobs, timestamps and s-expressions are not DynamoDB values.
#include <cctype>

#include "common/crypto.h"
#include "dynamodb/exports.h"

namespace localaws::ddb {
namespace {

// --- writing -------------------------------------------------------------------------------

void quoted(std::string& out, const std::string& s, char q) {
  out.push_back(q);
  for (unsigned char ch : s) {
    if (ch == static_cast<unsigned char>(q) || ch == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(ch));
    } else if (ch < 0x20) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(kHex[ch >> 4]);
      out.push_back(kHex[ch & 15]);
    } else {
      out.push_back(static_cast<char>(ch));
    }
  }
  out.push_back(q);
}

bool plain_symbol(const std::string& s) {
  if (s.empty() || s == "null" || s == "true" || s == "false" || s == "nan") return false;
  if (!(isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_' || s[0] == '$')) return false;
  for (unsigned char ch : s)
    if (!(isalnum(ch) || ch == '_' || ch == '$')) return false;
  return true;
}

// A DynamoDB number as an Ion decimal: 103 -> 103., 1.5E3 -> 1.5d3.
std::string ion_decimal(std::string n) {
  auto e = n.find_first_of("eE");
  if (e != std::string::npos) {
    n[e] = 'd';
    return n;
  }
  if (n.find('.') == std::string::npos) n += ".";
  return n;
}

void write_value(std::string& out, const json& v);

void write_map(std::string& out, const json& m) {
  out.push_back('{');
  bool first = true;
  for (auto& [k, v] : m.items()) {
    if (!first) out.push_back(',');
    first = false;
    if (plain_symbol(k)) out += k;
    else quoted(out, k, '\'');
    out.push_back(':');
    write_value(out, v);
  }
  out.push_back('}');
}

void write_value(std::string& out, const json& v) {
  auto it = v.begin();
  const std::string& t = it.key();
  const json& x = it.value();
  if (t == "S") return quoted(out, x.get<std::string>(), '"');
  if (t == "N") return void(out += ion_decimal(x.get<std::string>()));
  if (t == "B") return void(out += "{{" + x.get<std::string>() + "}}");
  if (t == "BOOL") return void(out += x.get<bool>() ? "true" : "false");
  if (t == "NULL") return void(out += "null");
  if (t == "M") return write_map(out, x);
  if (t == "SS" || t == "NS" || t == "BS") out += "$dynamodb_" + t + "::";
  out.push_back('[');
  for (size_t i = 0; i < x.size(); ++i) {
    if (i) out.push_back(',');
    if (t == "L") write_value(out, x[i]);
    else if (t == "SS") quoted(out, x[i].get<std::string>(), '"');
    else if (t == "NS") out += ion_decimal(x[i].get<std::string>());
    else out += "{{" + x[i].get<std::string>() + "}}";
  }
  out.push_back(']');
}

// --- reading -------------------------------------------------------------------------------

struct BadIon : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  // The record's fields (each an attribute map) after an optional version marker.
  json record() {
    skip();
    if (s_.substr(i_, 8) == "$ion_1_0") {
      i_ += 8;
      skip();
    }
    if (peek() != '{') throw BadIon("expected a struct");
    ++i_;
    json rec = json::object();
    fields([&](const std::string& name) {
      skip();
      if (peek() != '{') throw BadIon("expected a struct for " + name);
      ++i_;
      json m = json::object();
      fields([&](const std::string& attr) { m[attr] = value(); });
      rec[name] = m;
    });
    skip();
    if (i_ != s_.size()) throw BadIon("unexpected text after the record");
    return rec;
  }

 private:
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }

  void skip() {
    for (;;) {
      while (i_ < s_.size() && isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
      if (s_.substr(i_, 2) == "//") {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else if (s_.substr(i_, 2) == "/*") {
        auto end = s_.find("*/", i_ + 2);
        if (end == std::string_view::npos) throw BadIon("unterminated comment");
        i_ = end + 2;
      } else {
        return;
      }
    }
  }

  // The fields of a struct whose '{' was read, up to its '}'; on_field reads the value.
  template <typename F>
  void fields(F&& on_field) {
    skip();
    if (peek() == '}') return void(++i_);
    for (;;) {
      skip();
      std::string name = peek() == '"' ? text('"') : symbol();
      skip();
      if (peek() != ':') throw BadIon("expected ':' after " + name);
      ++i_;
      on_field(name);
      skip();
      if (peek() == ',') {
        ++i_;
        skip();
        if (peek() == '}') return void(++i_);
        continue;
      }
      if (peek() == '}') return void(++i_);
      throw BadIon("expected ',' or '}'");
    }
  }

  std::string symbol() {
    if (peek() == '\'') return text('\'');
    size_t start = i_;
    while (i_ < s_.size() && (isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '$')) ++i_;
    if (start == i_) throw BadIon("expected a name");
    return std::string(s_.substr(start, i_ - start));
  }

  static void utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // A "string" or 'symbol' with Ion's escapes; the opening quote is at i_.
  std::string text(char q) {
    ++i_;
    std::string out;
    while (i_ < s_.size() && s_[i_] != q) {
      char ch = s_[i_++];
      if (ch != '\\') {
        out.push_back(ch);
        continue;
      }
      if (i_ >= s_.size()) break;
      char e = s_[i_++];
      size_t hex = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
      if (hex) {
        if (i_ + hex > s_.size()) throw BadIon("bad escape");
        uint32_t cp = static_cast<uint32_t>(std::stoul(std::string(s_.substr(i_, hex)), nullptr, 16));
        i_ += hex;
        utf8(out, cp);
        continue;
      }
      static const char kToChars[] = "\n\r\t\0\a\b\f\v\"'\\/?";
      static const std::string kFrom = "nrt0abfv\"'\\/?", kTo(kToChars, sizeof kToChars - 1);
      auto k = kFrom.find(e);
      if (k == std::string::npos) throw BadIon("bad escape");
      out.push_back(kTo[k]);
    }
    if (i_ >= s_.size()) throw BadIon("unterminated string");
    ++i_;
    return out;
  }

  // An Ion number as DynamoDB number text: 103. -> 103, 6d2 -> 6E2, underscores dropped.
  std::string number() {
    size_t start = i_;
    while (i_ < s_.size() && (isalnum(static_cast<unsigned char>(s_[i_])) || std::string_view("+-._").find(s_[i_]) != std::string_view::npos)) ++i_;
    std::string n;
    for (char ch : s_.substr(start, i_ - start))
      if (ch != '_') n.push_back(ch == 'd' || ch == 'D' ? 'E' : ch);
    auto e = n.find_first_of("eE");
    std::string mant = n.substr(0, e), exp = e == std::string::npos ? "" : n.substr(e);
    if (!mant.empty() && mant.back() == '.') mant.pop_back();
    return mant + exp;
  }

  std::string blob() {
    auto end = s_.find("}}", i_);
    if (end == std::string_view::npos) throw BadIon("unterminated blob");
    std::string b64;
    for (char ch : s_.substr(i_ + 2, end - i_ - 2))
      if (!isspace(static_cast<unsigned char>(ch))) b64.push_back(ch);
    i_ = end + 2;
    return b64;
  }

  json value() {
    skip();
    std::string annotation;
    if (peek() == '$' || peek() == '\'' || isalpha(static_cast<unsigned char>(peek()))) {
      size_t save = i_;
      std::string sym = symbol();
      skip();
      if (s_.substr(i_, 2) == "::") {
        i_ += 2;
        annotation = sym;
        skip();
      } else {
        i_ = save;
      }
    }
    char ch = peek();
    if (ch == '[') {
      ++i_;
      json list = json::array();
      skip();
      while (peek() != ']') {
        list.push_back(value());
        skip();
        if (peek() == ',') ++i_, skip();
        else if (peek() != ']') throw BadIon("expected ',' or ']'");
      }
      ++i_;
      if (annotation.empty()) return {{"L", list}};
      if (annotation != "$dynamodb_SS" && annotation != "$dynamodb_NS" && annotation != "$dynamodb_BS")
        throw BadIon("unknown annotation " + annotation);
      std::string t = annotation.substr(10);
      json set = json::array();
      for (auto& e : list) set.push_back(e.begin().value());
      return {{t, set}};
    }
    if (ch == '{' && s_.substr(i_, 2) == "{{") return {{"B", blob()}};
    if (ch == '{') {
      ++i_;
      json m = json::object();
      fields([&](const std::string& name) { m[name] = value(); });
      return {{"M", m}};
    }
    if (ch == '"') return {{"S", text('"')}};
    if (isdigit(static_cast<unsigned char>(ch)) || ch == '-' || ch == '+' || ch == '.') return {{"N", number()}};
    std::string sym = symbol();
    if (sym == "true" || sym == "false") return {{"BOOL", sym == "true"}};
    if (sym == "null") {
      if (peek() == '.') ++i_, symbol();  // null.string and the like
      return {{"NULL", true}};
    }
    return {{"S", sym}};
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

std::string ion_record(const json& record) {
  std::string out = "$ion_1_0 {";
  bool first = true;
  for (auto& [k, v] : record.items()) {
    if (!first) out.push_back(',');
    first = false;
    out += k + ":";
    write_map(out, v);
  }
  return out + "}\n";
}

std::optional<json> parse_ion_record(std::string_view line, std::string* why) {
  try {
    return Reader(line).record();
  } catch (const BadIon& e) {
    *why = std::string("The line is not valid Ion: ") + e.what();
  } catch (const std::exception&) {
    *why = "The line is not valid Ion";
  }
  return std::nullopt;
}

}  // namespace localaws::ddb
