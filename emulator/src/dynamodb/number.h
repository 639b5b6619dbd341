// DynamoDB's Number: a true decimal (never a double). Up to 38 significant digits, magnitude
// between 1E-130 and 9.9999999999999999999999999999999999999E+125, or zero.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace localaws::ddb {

class Number {
 public:
  Number() = default;  // zero

  // Parses a DynamoDB number string ("-1.50", "1e+2", ".5"). On failure returns nullopt and sets
  // *error to AWS's ValidationException message (invalid text, too many digits, overflow,
  // underflow).
  static std::optional<Number> parse(std::string_view text, std::string* error = nullptr);

  // Normalised plain decimal: "1.5", "100", "-0.001", "0".
  std::string to_string() const;
  // Checks AWS's limits; returns the error message, or empty when the number is storable.
  std::string check_limits() const;

  Number operator+(const Number& o) const;
  Number operator-(const Number& o) const;
  Number operator-() const;
  // -1, 0, 1 by numeric value.
  int compare(const Number& o) const;
  bool operator==(const Number& o) const { return compare(o) == 0; }
  bool operator<(const Number& o) const { return compare(o) < 0; }

  bool is_zero() const { return digits_.empty(); }
  bool negative() const { return negative_; }
  size_t significant_digits() const { return digits_.size(); }
  // The exponent of the leading digit (scientific notation): 123.4 -> 2, 0.05 -> -2.
  int adjusted_exponent() const { return exponent_ + static_cast<int>(digits_.size()) - 1; }

  // Order-preserving bytes: memcmp order of encodings == numeric order of numbers.
  // REQUIRES: check_limits() is empty (the exponent fits one byte).
  std::string key_bytes() const;

 private:
  // value = (negative ? -1 : 1) * digits_ * 10^exponent_, digits_ without leading or trailing
  // zeros ("" for zero, which is never negative).
  bool negative_ = false;
  std::string digits_;
  int exponent_ = 0;
  void normalise();
};

}  // namespace localaws::ddb
