// Resource-based policy documents: AWS's checks and canonical form (resource_policy.h). The
// messages are the ones DynamoDB answers PutResourcePolicy with (docs/dynamodb.md).
#include "dynamodb/resource_policy.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>

#include "auth/policy.h"
#include "common/strings.h"

namespace localaws::ddb {

namespace {

using ojson = nlohmann::ordered_json;

constexpr size_t kMaxPolicyBytes = 20480;
const char* const kInvalid = "One or more parameter values were invalid: ";

[[noreturn]] void invalid_document(const std::string& why) {
  throw DdbError::validation(std::string(kInvalid) + "Invalid policy document: " + why);
}

bool digits12(const std::string& s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// The actions of DynamoDB's Service Authorization Reference, lower case; those of streams apart.
const char* const kStreamActions[] = {"describestream", "getrecords", "getsharditerator"};
const char* const kTableActions[] = {
    "batchgetitem", "batchwriteitem", "conditioncheckitem", "createbackup", "createglobaltable", "createtable",
    "createtablereplica", "deletebackup", "deleteitem", "deleteresourcepolicy", "deletetable", "deletetablereplica",
    "describebackup", "describecontinuousbackups", "describecontributorinsights", "describeexport",
    "describeglobaltable", "describeglobaltablesettings", "describeimport", "describekinesisstreamingdestination",
    "describelimits", "describereservedcapacity", "describereservedcapacityofferings", "describetable",
    "describetablereplicaautoscaling", "describetimetolive", "disablekinesisstreamingdestination",
    "enablekinesisstreamingdestination", "exporttabletopointintime", "getabacstatus", "getitem",
    "getresourcepolicy", "importtable", "listbackups", "listcontributorinsights", "listexports", "listglobaltables",
    "listimports", "liststreams", "listtables", "listtagsofresource", "partiqldelete", "partiqlinsert",
    "partiqlselect", "partiqlupdate", "purchasereservedcapacityofferings", "putitem", "putresourcepolicy", "query",
    "replicateitems", "restoretablefromawsbackup", "restoretablefrombackup", "restoretabletopointintime", "scan",
    "startawsbackupjob", "tagresource", "untagresource", "updateabacstatus", "updatecontinuousbackups",
    "updatecontributorinsights", "updateglobaltable", "updateglobaltablesettings", "updateglobaltableversion",
    "updateitem", "updatekinesisstreamingdestination", "updatetable", "updatetablereplicaautoscaling",
    "updatetimetolive"};
// Actions a stream's policy may grant besides the stream actions.
const char* const kPolicyActions[] = {"getresourcepolicy", "putresourcepolicy", "deleteresourcepolicy"};

bool in(const std::string& name, const char* const* list, size_t n) {
  return std::find_if(list, list + n, [&](const char* a) { return name == a; }) != list + n;
}

// "dynamodb:GetItem" -> "getitem"; empty when the action is not DynamoDB's.
std::string ddb_action(const std::string& a) {
  std::string l = to_lower(a);
  return starts_with(l, "dynamodb:") ? l.substr(9) : std::string();
}

// DynamoDB's condition keys (besides the global ones).
bool known_key(std::string_view key) {
  static const char* const kKeys[] = {"dynamodb:attributes", "dynamodb:enclosingoperation", "dynamodb:fulltablescan",
                                      "dynamodb:leadingkeys", "dynamodb:returnconsumedcapacity",
                                      "dynamodb:returnvalues", "dynamodb:select"};
  return auth::global_condition_key(key) || auth::key_in(key, kKeys, std::size(kKeys), nullptr, 0);
}

// One-element lists become their element, as AWS stores them.
ojson collapse(const std::vector<std::string>& v) {
  if (v.size() == 1) return v[0];
  ojson out = ojson::array();
  for (auto& s : v) out.push_back(s);
  return out;
}

// Principal: "*" or {"AWS"|"Service"|"Federated"|"CanonicalUser": id or list}. AWS ids are
// account ids (stored as root ARNs), IAM / STS ARNs of an account, or "*"; lists de-duplicated.
ojson principal(const std::string& text, const json& p) {
  if (p.is_string()) {
    if (p.get<std::string>() == "*") return "*";
    // AWS answers a bare string with the position of the syntax error (line, column).
    auto at = text.find(p.dump());
    throw DdbError::validation(std::string(kInvalid) + "Invalid policy document: Syntax error at position (1," +
                               std::to_string(at == std::string::npos ? 1 : at + 1) + ")");
  }
  if (!p.is_object() || p.empty()) invalid_document("Invalid principal in policy");
  ojson out = ojson::object();
  for (auto& [kind, v] : p.items()) {
    auto ids = auth::policy_strings(v);
    if (!ids || (kind != "AWS" && kind != "Service" && kind != "Federated" && kind != "CanonicalUser"))
      invalid_document("Invalid principal in policy");
    std::vector<std::string> seen;
    for (auto id : *ids) {
      if (kind == "AWS" && id != "*") {
        if (digits12(id)) id = "arn:aws:iam::" + id + ":root";
        bool iam = starts_with(id, "arn:aws:iam::") || starts_with(id, "arn:aws:sts::");
        if (!iam || !digits12(id.substr(13, id.find(':', 13) - 13)))
          throw DdbError::validation(std::string(kInvalid) + "Invalid principal in policy document.");
      }
      if (std::find(seen.begin(), seen.end(), id) == seen.end()) seen.push_back(id);
    }
    out[kind] = collapse(seen);
  }
  return out;
}

bool stream_action(const std::string& name) {
  return in(name, kStreamActions, std::size(kStreamActions)) || in(name, kPolicyActions, std::size(kPolicyActions));
}

// A table action (not a pattern) that has no place on a stream.
bool table_only_action(const std::string& a) {
  std::string name = ddb_action(a);
  return !name.empty() && name.find_first_of("*?") == std::string::npos && !stream_action(name);
}

// Action/NotAction: DynamoDB's actions; stream actions have no place in a table's policy.
ojson actions(const std::vector<std::string>& list, const DdbArn& target) {
  std::vector<std::string> bad;
  for (auto& a : list) {
    if (a == "*") continue;
    std::string name = ddb_action(a);
    bool ok = !name.empty() && (name.find_first_of("*?") != std::string::npos ||
                                in(name, kTableActions, std::size(kTableActions)) ||
                                (target.is_stream() && stream_action(name)));
    if (!ok) bad.push_back(a);
  }
  if (!bad.empty()) {
    std::string names;
    for (auto it = bad.rbegin(); it != bad.rend(); ++it) names += (names.empty() ? "\"" : ", \"") + *it + "\"";
    invalid_document("The following action names are invalid: " + names);
  }
  return collapse(list);
}

// Resource/NotResource: "*" or ARNs (any table may be named: the policy takes effect only where
// it names the resource it is attached to). A table action does not fit a stream: neither a
// stream ARN among the resources nor a stream's own policy.
ojson resources(const std::vector<std::string>& list, const std::vector<std::string>& acts, const DdbArn& target) {
  std::optional<std::string> stream = target.is_stream() ? std::optional<std::string>(target.text) : std::nullopt;
  for (auto& r : list) {
    if (r == "*") continue;
    if (!starts_with(r, "arn:")) invalid_document("Resource " + r + " must be in ARN format or \"*\".");
    auto arn = parse_ddb_arn(r);
    if (arn && arn->is_stream()) stream = r;
  }
  if (stream && std::any_of(acts.begin(), acts.end(), table_only_action))
    invalid_document("The relative-id \"" + stream->substr(stream->find(":table/") + 1) + "\" is invalid for ARN \"" +
                     *stream + "\"");
  return collapse(list);
}

// Condition values: one-element lists as scalars.
ojson condition(const json& c) {
  if (auto e = auth::condition_error(c, known_key)) invalid_document(*e);
  ojson out = ojson::object();
  for (auto& [op, block] : c.items()) {
    ojson b = ojson::object();
    for (auto& [key, v] : block.items()) b[key] = v.is_array() && v.size() == 1 ? ojson::parse(v[0].dump()) : ojson::parse(v.dump());
    out[op] = b;
  }
  return out;
}

ojson statement(const std::string& text, const json& st, const DdbArn& target, std::set<std::string>& sids) {
  if (!st.is_object()) invalid_document("This policy contains invalid Json");
  ojson out = ojson::object();
  if (st.contains("Sid")) {
    if (!st["Sid"].is_string()) invalid_document("This policy contains invalid Json");
    std::string sid = st["Sid"];
    if (!sids.insert(sid).second) invalid_document("The Statement Ids in the policy are not unique");
    out["Sid"] = sid;
  }
  std::string effect = to_lower(st.value("Effect", ""));
  if (effect != "allow" && effect != "deny") invalid_document("Invalid effect: " + st.value("Effect", ""));
  out["Effect"] = effect == "allow" ? "Allow" : "Deny";
  const char* pf = st.contains("Principal") ? "Principal" : "NotPrincipal";
  if (!st.contains(pf)) invalid_document("Missing required field Principal");
  out[pf] = principal(text, st[pf]);
  if (effect == "allow" && std::string(pf) == "Principal" && auth::all_principals(st[pf]) && !st.contains("Condition"))
    throw DdbError::validation(
        "Resource-based policy grants unbounded access in one or more elements. Please revise the policy to ensure "
        "least-privilege form of access");
  const char* af = st.contains("Action") ? "Action" : "NotAction";
  auto acts = auth::policy_strings(st.value(af, json()));
  if (!acts) invalid_document("Missing required field Action");
  out[af] = actions(*acts, target);
  const char* rf = st.contains("Resource") ? "Resource" : "NotResource";
  auto res = auth::policy_strings(st.value(rf, json()));
  if (!res) invalid_document("Missing required field Resource");
  out[rf] = resources(*res, *acts, target);
  if (st.contains("Condition")) out["Condition"] = condition(st["Condition"]);
  return out;
}

}  // namespace

std::optional<DdbArn> parse_ddb_arn(const std::string& s) {
  auto parts = split(s, ':');
  if (parts.size() < 6 || parts[0] != "arn" || parts[1] != "aws" || parts[2] != "dynamodb" || parts[3].empty() ||
      !digits12(parts[4]))
    return std::nullopt;
  std::string rest = s.substr(parts[0].size() + parts[1].size() + parts[2].size() + parts[3].size() + 17);
  auto segs = split(rest, '/');
  if (segs.size() < 2 || segs[0] != "table" || segs[1].empty()) return std::nullopt;
  DdbArn a{s, parts[3], parts[4], segs[1], "", ""};
  if (segs.size() == 2) return a;
  if (segs[2] == "index" && segs.size() == 4 && !segs[3].empty()) {
    a.index = segs[3];
    return a;
  }
  // The stream label is a timestamp: its colons are part of it.
  auto at = rest.find("/stream/");
  if (segs[2] == "stream" && at != std::string::npos && at + 8 < rest.size()) {
    a.stream_label = rest.substr(at + 8);
    return a;
  }
  return std::nullopt;
}

std::string canonical_policy(const std::string& text, const DdbArn& target) {
  if (text.size() > kMaxPolicyBytes)
    throw DdbError::validation(std::string(kInvalid) + "Maximum policy size of 20480 bytes exceeded");
  json doc = json::parse(text, nullptr, false);
  if (!doc.is_object()) invalid_document("This policy contains invalid Json");
  if (!doc.contains("Statement")) invalid_document("Missing required field Statement");
  auto sts = auth::policy_statements(doc);
  if (sts.empty()) invalid_document("Could not parse the policy: Statement is empty!");
  ojson out = ojson::object();
  if (doc.contains("Version")) {
    std::string v = doc["Version"].is_string() ? doc["Version"].get<std::string>() : "";
    if (v != "2012-10-17" && v != "2008-10-17") invalid_document("Invalid Version " + doc["Version"].dump());
    out["Version"] = v;
  }
  std::set<std::string> sids;
  out["Statement"] = ojson::array();
  for (auto& st : sts) out["Statement"].push_back(statement(text, st, target, sids));
  return out.dump();
}

std::string policy_for_reading(const std::string& canonical) {
  if (starts_with(canonical, "{\"Version\"")) return canonical;
  return "{\"Version\":\"2008-10-17\"," + canonical.substr(1);
}

}  // namespace localaws::ddb
