// Declarative fixtures: buckets (with ACLs, policies, CORS) and objects, tables and items, in
// JSON. A fixture is replayed as ordinary S3 and DynamoDB API calls made by the default account
// through the services' own handlers, so it can never build a state the API could not build.
//
// {
//   "buckets": [{"name": "photos", "region": "us-east-1", "acl": "public-read",
//                "ownership": "BucketOwnerPreferred", "publicAccessBlock": false | {...},
//                "policy": {...IAM policy...}, "cors": [{"AllowedOrigins": ["*"], ...}],
//                "objects": [{"key": "a.txt", "content": "text" | "base64": "..." | "file": "rel/path",
//                             "contentType": "text/plain", "acl": "public-read", "metadata": {"k": "v"}}]}],
//   "tables": [{...CreateTable request..., "items": [{...DynamoDB JSON item...}]}]
// }
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace localaws {
struct Runtime;
namespace control {

// What went wrong, naming the fixture file and the step.
class FixtureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct FixtureStats {
  int buckets = 0, objects = 0, tables = 0, items = 0;
  nlohmann::json to_json() const;
};

// Loads one fixture document. `base_dir` resolves "file" entries (nullopt: files not allowed);
// `source` names the document in errors. Throws FixtureError.
FixtureStats load_fixture(Runtime& rt, const nlohmann::json& doc, const std::string& source,
                          const std::filesystem::path* base_dir);
// Loads every *.json file of a directory (or one file), in name order. Throws FixtureError.
FixtureStats load_fixture_path(Runtime& rt, const std::filesystem::path& path);

}  // namespace control
}  // namespace localaws
