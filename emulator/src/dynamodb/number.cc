#include "dynamodb/number.h"

#include <algorithm>

namespace localaws::ddb {
namespace {

constexpr int kMaxDigits = 38;
constexpr int kMaxExp = 125;   // 9.99..E+125
constexpr int kMinExp = -130;  // 1E-130

// Magnitude arithmetic on digit strings of equal length (most significant first).
std::string add_mag(const std::string& a, const std::string& b) {
  std::string r(a.size() + 1, '0');
  int carry = 0;
  for (size_t i = a.size(); i-- > 0;) {
    int d = (a[i] - '0') + (b[i] - '0') + carry;
    r[i + 1] = static_cast<char>('0' + d % 10);
    carry = d / 10;
  }
  r[0] = static_cast<char>('0' + carry);
  return r;
}

// REQUIRES: a >= b as magnitudes of equal length.
std::string sub_mag(const std::string& a, const std::string& b) {
  std::string r(a.size(), '0');
  int borrow = 0;
  for (size_t i = a.size(); i-- > 0;) {
    int d = (a[i] - '0') - (b[i] - '0') - borrow;
    borrow = d < 0;
    r[i] = static_cast<char>('0' + (d + 10) % 10);
  }
  return r;
}

}  // namespace

void Number::normalise() {
  size_t lead = digits_.find_first_not_of('0');
  if (lead == std::string::npos) {
    digits_.clear();
    exponent_ = 0;
    negative_ = false;
    return;
  }
  digits_.erase(0, lead);
  size_t last = digits_.find_last_not_of('0');
  exponent_ += static_cast<int>(digits_.size() - 1 - last);
  digits_.resize(last + 1);
}

std::optional<Number> Number::parse(std::string_view s, std::string* error) {
  // AWS's wording (DynamoDB Local says "A value provided cannot be converted into a number").
  auto fail = [&]() -> std::optional<Number> {
    if (error) *error = "The parameter cannot be converted to a numeric value: " + std::string(s.substr(0, 256));
    return std::nullopt;
  };
  Number n;
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) n.negative_ = s[i++] == '-';
  bool any_digit = false, dot = false;
  int frac = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      any_digit = true;
      // Leading zeros carry no information; skipping them keeps huge inputs cheap.
      if (!(n.digits_.empty() && c == '0')) n.digits_.push_back(c);
      if (dot) ++frac;
      if (n.digits_.size() > 4096) return fail();
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!any_digit) return fail();
  long exp = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
    if (i >= s.size()) return fail();
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return fail();
      exp = std::min(exp * 10 + (s[i] - '0'), 1000000L);  // saturate: far outside the limits anyway
    }
    if (eneg) exp = -exp;
  }
  if (i != s.size()) return fail();
  n.exponent_ = static_cast<int>(exp) - frac;
  n.normalise();
  std::string limit = n.check_limits();
  if (!limit.empty()) {
    if (error) *error = limit;
    return std::nullopt;
  }
  return n;
}

std::string Number::check_limits() const {
  if (is_zero()) return {};
  if (adjusted_exponent() > kMaxExp)
    return "Number overflow. Attempting to store a number with magnitude larger than supported range";
  if (adjusted_exponent() < kMinExp)
    return "Number underflow. Attempting to store a number with magnitude smaller than supported range";
  if (digits_.size() > kMaxDigits) return "Attempting to store more than 38 significant digits in a Number";
  return {};
}

std::string Number::to_string() const {
  if (is_zero()) return "0";
  std::string out = negative_ ? "-" : "";
  int n = static_cast<int>(digits_.size());
  if (exponent_ >= 0) {
    out += digits_;
    out.append(static_cast<size_t>(exponent_), '0');
  } else if (-exponent_ < n) {
    out += digits_.substr(0, n + exponent_);
    out += '.';
    out += digits_.substr(n + exponent_);
  } else {
    out += "0.";
    out.append(static_cast<size_t>(-exponent_ - n), '0');
    out += digits_;
  }
  return out;
}

int Number::compare(const Number& o) const {
  if (is_zero() || o.is_zero()) {
    int a = is_zero() ? 0 : (negative_ ? -1 : 1);
    int b = o.is_zero() ? 0 : (o.negative_ ? -1 : 1);
    return (a > b) - (a < b);
  }
  if (negative_ != o.negative_) return negative_ ? -1 : 1;
  int mag;
  if (adjusted_exponent() != o.adjusted_exponent()) {
    mag = adjusted_exponent() < o.adjusted_exponent() ? -1 : 1;
  } else {
    int c = digits_.compare(o.digits_);  // same leading position: digit strings compare directly
    mag = (c > 0) - (c < 0);
  }
  return negative_ ? -mag : mag;
}

Number Number::operator-() const {
  Number r = *this;
  if (!r.is_zero()) r.negative_ = !r.negative_;
  return r;
}

Number Number::operator+(const Number& o) const {
  if (is_zero()) return o;
  if (o.is_zero()) return *this;
  // Align both to the smaller exponent and to the same width.
  int e = std::min(exponent_, o.exponent_);
  std::string a = digits_ + std::string(static_cast<size_t>(exponent_ - e), '0');
  std::string b = o.digits_ + std::string(static_cast<size_t>(o.exponent_ - e), '0');
  size_t w = std::max(a.size(), b.size());
  a.insert(0, w - a.size(), '0');
  b.insert(0, w - b.size(), '0');
  Number r;
  r.exponent_ = e;
  if (negative_ == o.negative_) {
    r.digits_ = add_mag(a, b);
    r.negative_ = negative_;
  } else if (a >= b) {
    r.digits_ = sub_mag(a, b);
    r.negative_ = negative_;
  } else {
    r.digits_ = sub_mag(b, a);
    r.negative_ = o.negative_;
  }
  r.normalise();
  return r;
}

Number Number::operator-(const Number& o) const { return *this + (-o); }

// Layout: a sign byte (0x01 negative, 0x02 zero, 0x03 positive), then for non-zero numbers the
// adjusted exponent shifted into 0..255 and the digits. Negative numbers invert exponent and
// digits and end with 0xFF, so that a longer digit string (a larger magnitude) sorts first.
std::string Number::key_bytes() const {
  if (is_zero()) return std::string(1, '\x02');
  std::string out;
  out.reserve(digits_.size() + 3);
  unsigned char e = static_cast<unsigned char>(adjusted_exponent() - kMinExp);
  if (!negative_) {
    out.push_back('\x03');
    out.push_back(static_cast<char>(e));
    out += digits_;
  } else {
    out.push_back('\x01');
    out.push_back(static_cast<char>(255 - e));
    for (char d : digits_) out.push_back(static_cast<char>('9' - d + '0'));
    out.push_back('\xff');
  }
  return out;
}

}  // namespace localaws::ddb
