#include "common/json_parse.h"

#include <simdjson.h>

#include <string>

namespace localaws {

namespace {

using nlohmann::json;

// The element's value as T; convert() asks only for the type the element has.
template <typename T>
T value_of(simdjson::dom::element e) {
  T v{};
  if (e.get(v) != simdjson::SUCCESS) return T{};
  return v;
}

json convert(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      json o = json::object();
      simdjson::dom::object members;
      if (e.get(members) == simdjson::SUCCESS) {
        for (auto member : members) o[std::string(member.key)] = convert(member.value);
      }
      return o;
    }
    case simdjson::dom::element_type::ARRAY: {
      json a = json::array();
      simdjson::dom::array items;
      if (e.get(items) == simdjson::SUCCESS) {
        for (auto v : items) a.push_back(convert(v));
      }
      return a;
    }
    case simdjson::dom::element_type::STRING:
      return std::string(value_of<std::string_view>(e));
    case simdjson::dom::element_type::INT64: {
      int64_t n = value_of<int64_t>(e);
      // nlohmann keeps a non-negative integer as unsigned.
      if (n >= 0) return static_cast<uint64_t>(n);
      return n;
    }
    case simdjson::dom::element_type::UINT64:
      return value_of<uint64_t>(e);
    case simdjson::dom::element_type::DOUBLE:
      return value_of<double>(e);
    case simdjson::dom::element_type::BOOL:
      return value_of<bool>(e);
    case simdjson::dom::element_type::NULL_VALUE:
      return nullptr;
  }
  return nullptr;
}

}  // namespace

json parse_json(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size()).get(root) == simdjson::SUCCESS) return convert(root);
  return json::parse(text.begin(), text.end(), nullptr, false);
}

}  // namespace localaws
