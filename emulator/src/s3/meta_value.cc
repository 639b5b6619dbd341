// User metadata values: RFC 2047 encoded words decoded when stored, non-ASCII values encoded when
// returned, as S3 documents ("User-defined object metadata").
#include "s3/meta_value.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "common/crypto.h"
#include "common/strings.h"

namespace localaws::s3 {

// ISO-8859-1 bytes as UTF-8 (every byte is the code point of the same number).
static std::string latin1_to_utf8(std::string_view s) {
  std::string out;
  for (unsigned char ch : s) {
    if (ch < 0x80) {
      out += static_cast<char>(ch);
    } else {
      out += static_cast<char>(0xC0 | (ch >> 6));
      out += static_cast<char>(0x80 | (ch & 0x3F));
    }
  }
  return out;
}

// One RFC 2047 encoded word (=?charset?B|Q?text?=) decoded to UTF-8; nullopt when it is not one
// S3 would decode (charsets UTF-8, ISO-8859-1 and US-ASCII).
static std::optional<std::string> decode_word(std::string_view w) {
  if (w.size() < 8 || w.substr(0, 2) != "=?" || w.substr(w.size() - 2) != "?=") return std::nullopt;
  auto parts = split(std::string(w.substr(2, w.size() - 4)), '?');
  if (parts.size() != 3) return std::nullopt;
  std::string charset = to_lower(parts[0]), enc = to_lower(parts[1]), text = parts[2], raw;
  if (enc == "b") {
    if (!base64_decode(text, raw)) return std::nullopt;
  } else if (enc == "q") {
    for (size_t i = 0; i < text.size(); i++) {
      if (text[i] == '_') {
        raw += ' ';
      } else if (text[i] == '=' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
                 std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
        raw += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else if (text[i] == '=') {
        return std::nullopt;
      } else {
        raw += text[i];
      }
    }
  } else {
    return std::nullopt;
  }
  if (charset == "utf-8" || charset == "us-ascii") return valid_utf8(raw) ? std::optional(raw) : std::nullopt;
  if (charset == "iso-8859-1") return latin1_to_utf8(raw);
  return std::nullopt;
}

// A user metadata value as S3 stores it: UTF-8, with RFC 2047 encoded words decoded ("values are
// character decoded as per RFC 2047 before storing", docs "User-defined object metadata").
// Bytes that are not UTF-8 are read as ISO-8859-1, the charset of HTTP header bytes (Node's http
// module sends "ü" as one 0xFC byte). A value with a malformed encoded word is kept as sent.
std::string stored_meta_value(const std::string& v) {
  std::string value = valid_utf8(v) ? v : latin1_to_utf8(v);
  if (value.find("=?") == std::string::npos) return value;
  std::string out;
  size_t i = 0;
  bool last_was_word = false;
  while (i < value.size()) {
    // =?charset?encoding?text?=: the end is the first "?=" after the third '?'.
    size_t start = value.find("=?", i), end = std::string::npos;
    if (start != std::string::npos) {
      size_t q1 = value.find('?', start + 2);
      size_t q2 = q1 == std::string::npos ? q1 : value.find('?', q1 + 1);
      if (q2 != std::string::npos) end = value.find("?=", q2 + 1);
    }
    if (start == std::string::npos || end == std::string::npos) {
      out += value.substr(i);
      break;
    }
    auto word = decode_word(std::string_view(value).substr(start, end + 2 - start));
    if (!word) return value;
    std::string between = value.substr(i, start - i);
    // Whitespace between two encoded words is not part of the text (RFC 2047 section 6.2).
    if (!(last_was_word && trim(between).empty())) out += between;
    out += *word;
    last_was_word = true;
    i = end + 2;
  }
  return out;
}

// A stored value as S3 returns it: as is when US-ASCII, else one RFC 2047 "B" encoded word of its
// UTF-8 bytes.
std::string returned_meta_value(const std::string& v) {
  bool ascii = std::all_of(v.begin(), v.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
  return ascii ? v : "=?UTF-8?B?" + base64_encode(v) + "?=";
}

}  // namespace localaws::s3
