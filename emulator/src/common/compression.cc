#include "common/compression.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <new>
#include <stdexcept>

#include "common/strings.h"

namespace localaws::compression {

namespace {

// zlib's window bits: 15 for a zlib stream, +16 for a gzip wrapper.
int window_bits(Coding c) { return c == Coding::kGzip ? 15 + 16 : 15; }

// A decimal number as DynamoDB reads a q-value: optional sign, digits, optional fraction
// ("1", "0.5", "0.", ".5", "-0.5", "31"). Anything else (exponents, "0.x", "") is not one.
std::optional<double> parse_qvalue(const std::string& s) {
  size_t i = 0, digits = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0 || i != s.size()) return std::nullopt;
  return std::strtod(s.c_str(), nullptr);
}

// The q of one Accept-Encoding element's parameters (everything after the coding): the first
// parsable "q=" wins, clamped to [0, 1]; 1 when there is none.
double element_q(const std::vector<std::string>& parts) {
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string p = trim(parts[i]);
    if (p.empty() || (p[0] != 'q' && p[0] != 'Q')) continue;
    std::string rest = trim(std::string_view(p).substr(1));
    if (rest.empty() || rest[0] != '=') continue;
    auto q = parse_qvalue(trim(std::string_view(rest).substr(1)));
    if (!q) continue;
    return std::clamp(*q, 0.0, 1.0);
  }
  return 1.0;
}

struct Listed {
  bool present = false;
  double q = 0;
  size_t position = 0;
};

struct Candidate {
  Coding coding;
  double q;
  bool named;  // listed itself, not given by "*"
  size_t position;
};

bool better(const Candidate& a, const Candidate& b) {
  if (a.q != b.q) return a.q > b.q;
  if (a.named != b.named) return a.named;
  return a.named && a.position < b.position;
}

}  // namespace

const char* coding_name(Coding c) {
  switch (c) {
    case Coding::kGzip: return "gzip";
    case Coding::kDeflate: return "deflate";
    case Coding::kIdentity: break;
  }
  return "identity";
}

Coding choose_response_coding(const std::optional<std::string_view>& accept_encoding) {
  if (!accept_encoding) return Coding::kIdentity;
  Listed gzip, deflate, star;
  auto elements = split(*accept_encoding, ',');
  for (size_t i = 0; i < elements.size(); ++i) {
    auto parts = split(elements[i], ';');
    std::string token = to_lower(trim(parts[0]));
    Listed* l = token == "gzip" ? &gzip : token == "deflate" ? &deflate : token == "*" ? &star : nullptr;
    if (!l) continue;  // identity, unknown codings, empty elements
    if (l->present && l->q > 0) continue;  // listed again: the first q > 0 stays
    *l = Listed{true, element_q(parts), i};
  }
  std::optional<Candidate> best;
  auto consider = [&](const Listed& l, Coding c) {
    std::optional<Candidate> cand;
    if (l.present) cand = Candidate{c, l.q, true, l.position};
    else if (star.present) cand = Candidate{c, star.q, false, SIZE_MAX};
    if (!cand || cand->q <= 0) return;
    if (!best || better(*cand, *best)) best = cand;
  };
  consider(gzip, Coding::kGzip);  // first: wins a tie between two given by "*"
  consider(deflate, Coding::kDeflate);
  return best ? best->coding : Coding::kIdentity;
}

std::string compress(Coding c, std::string_view data) {
  if (c == Coding::kIdentity) return std::string(data);
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits(c), 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::bad_alloc();
  std::string out;
  out.resize(deflateBound(&z, static_cast<uLong>(std::min<size_t>(data.size(), ULONG_MAX))) + 64);
  size_t fed = 0, written = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (z.avail_in == 0 && fed < data.size()) {
      size_t n = std::min<size_t>(data.size() - fed, UINT_MAX);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + fed));
      z.avail_in = static_cast<uInt>(n);
      fed += n;
    }
    if (written == out.size()) out.resize(out.size() * 2);
    size_t room = std::min<size_t>(out.size() - written, UINT_MAX);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + written);
    z.avail_out = static_cast<uInt>(room);
    rc = deflate(&z, fed == data.size() ? Z_FINISH : Z_NO_FLUSH);
    written += room - z.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      deflateEnd(&z);
      throw std::runtime_error("deflate failed");
    }
  }
  deflateEnd(&z);
  out.resize(written);
  return out;
}

std::optional<DecodeError> decompress(Coding c, std::string_view data, size_t max_out, std::string& out) {
  out.clear();
  if (c == Coding::kIdentity) {
    if (data.size() > max_out) return DecodeError{true, "the decoded body is larger than the limit"};
    out.assign(data);
    return std::nullopt;
  }
  const char* name = coding_name(c);
  z_stream z{};
  if (inflateInit2(&z, window_bits(c)) != Z_OK) throw std::bad_alloc();
  struct End {
    z_stream* z;
    ~End() { inflateEnd(z); }
  } end{&z};
  auto fail = [&](std::string why) {
    out.clear();
    return DecodeError{false, std::string("the body is not valid ") + name + " data: " + why};
  };
  size_t fed = 0;
  char buf[64 * 1024];
  while (true) {
    if (z.avail_in == 0 && fed < data.size()) {
      size_t n = std::min<size_t>(data.size() - fed, UINT_MAX);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + fed));
      z.avail_in = static_cast<uInt>(n);
      fed += n;
    }
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    int rc = inflate(&z, Z_NO_FLUSH);
    size_t produced = sizeof buf - z.avail_out;
    if (produced > max_out - out.size()) {
      out.clear();
      return DecodeError{true, "the decoded body is larger than the limit"};
    }
    out.append(buf, produced);
    bool input_left = z.avail_in > 0 || fed < data.size();
    if (rc == Z_STREAM_END) {
      if (!input_left) return std::nullopt;
      if (c == Coding::kDeflate) return fail("unexpected bytes after the end of the stream");
      inflateReset(&z);  // another gzip member follows
      continue;
    }
    if (rc == Z_OK) {
      if (!input_left && z.avail_out > 0) return fail("unexpected end of data");
      continue;
    }
    if (rc == Z_BUF_ERROR) return fail("unexpected end of data");
    return fail(z.msg ? z.msg : "corrupt data");
  }
}

std::optional<std::vector<Coding>> parse_content_encoding(std::string_view value, std::string* unknown) {
  std::vector<Coding> out;
  for (auto& element : split(value, ',')) {
    std::string token = to_lower(trim(element));
    if (token.empty() || token == "identity") continue;
    if (token == "gzip") out.push_back(Coding::kGzip);
    else if (token == "deflate") out.push_back(Coding::kDeflate);
    else {
      if (unknown) *unknown = trim(element);
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace localaws::compression
