// The DynamoDB expression parser (condition, update and projection grammars) and AttributeValue
// validation on arbitrary text. Parsers may only fail with ExprError; validation only with
// DdbError (AWS's ValidationException / SerializationException).
// Input: first byte picks the grammar; the rest is the expression, two numbers "a|b" (their
// order, text and key bytes must agree), or a JSON AttributeValue.
#include <cstdint>
#include <nlohmann/json.hpp>

#include "dynamodb/error.h"
#include "dynamodb/expr/ast.h"
#include "dynamodb/number.h"
#include "dynamodb/value.h"

using namespace localaws;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    switch (data[0] % 5) {
      case 0: ddb::expr::parse_condition(text); break;
      case 1: ddb::expr::parse_update(text); break;
      case 2: ddb::expr::parse_projection(text); break;
      case 3: {
        // Two numbers "a|b": order, normalised text and key bytes must agree.
        auto bar = text.find('|');
        if (bar == std::string_view::npos) return 0;
        auto a = ddb::Number::parse(text.substr(0, bar)), b = ddb::Number::parse(text.substr(bar + 1));
        if (!a || !b || !a->check_limits().empty() || !b->check_limits().empty()) return 0;
        int c = a->compare(*b);
        if (c != -b->compare(*a)) __builtin_trap();
        auto ka = a->key_bytes(), kb = b->key_bytes();
        int kc = ka < kb ? -1 : ka > kb ? 1 : 0;
        if (kc != c) __builtin_trap();
        auto again = ddb::Number::parse(a->to_string());
        if (!again || again->compare(*a) != 0 || again->to_string() != a->to_string()) __builtin_trap();
        break;
      }
      default: {
        auto v = nlohmann::json::parse(text, nullptr, false);
        if (v.is_discarded()) return 0;
        ddb::validate_value(v);
        ddb::value_size(v);
        const std::string& t = ddb::value_type(v);
        if (t == "S" || t == "N" || t == "B") ddb::key_bytes(v);
      }
    }
  } catch (const ddb::expr::ExprError&) {
  } catch (const ddb::DdbError&) {
  }
  return 0;
}
