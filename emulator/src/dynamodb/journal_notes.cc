#include "dynamodb/journal_notes.h"

#include <string_view>

namespace localaws::ddb {

namespace {

using nlohmann::json;

// "arn:aws:dynamodb:us-east-1:000000000000:table/Shops/stream/..." -> "Shops"; a name as it is.
std::string_view table_of(std::string_view name) {
  if (name.substr(0, 4) != "arn:") return name;
  auto p = name.find(":table/");
  if (p == std::string_view::npos) return name;
  name.remove_prefix(p + 7);
  return name.substr(0, name.find('/'));
}

void add(std::string& out, std::string_view name) {
  name = table_of(name);
  if (name.empty()) return;
  // Few names, so a scan of the comma-separated list is cheaper than a set.
  size_t at = 0;
  while (at < out.size()) {
    size_t end = out.find(',', at);
    if (end == std::string::npos) end = out.size();
    if (std::string_view(out).substr(at, end - at) == name) return;
    at = end + 1;
  }
  if (!out.empty()) out += ',';
  out += name;
}

void add_member(std::string& out, const json& obj, const char* member) {
  auto it = obj.find(member);
  if (it != obj.end() && it->is_string()) add(out, it->get_ref<const std::string&>());
}

}  // namespace

std::string tables_named(const json& in) {
  std::string out;
  if (auto it = in.find("TableName"); it != in.end()) {
    if (it->is_string()) add(out, it->get_ref<const std::string&>());
    return out;
  }
  if (auto it = in.find("RequestItems"); it != in.end() && it->is_object()) {
    for (auto& [name, _] : it->items()) add(out, name);
    return out;
  }
  if (auto it = in.find("TransactItems"); it != in.end() && it->is_array()) {
    for (auto& action : *it) {
      if (!action.is_object()) continue;
      for (auto& [_, body] : action.items())
        if (body.is_object()) add_member(out, body, "TableName");
    }
    return out;
  }
  for (const char* arn : {"TableArn", "ResourceArn", "StreamArn"}) add_member(out, in, arn);
  return out;
}

}  // namespace localaws::ddb
