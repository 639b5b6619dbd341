#include "ranker/store.h"

#include <chrono>
#include <ctime>
#include <ostream>

#include "aws/crypto.h"
#include "ranker/ranking.h"

namespace ranker {

using aws::Json;

namespace {

const char* kTopIndex = "top-shops";
const char* kBoard = "all";  // the single GSI partition every shop sits in
constexpr int kVoteAttempts = 10;

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Json S(const std::string& s) { return {{"S", s}}; }
Json N(const std::string& n) { return {{"N", n}}; }
Json N(int64_t n) { return N(std::to_string(n)); }

std::string num_text(double d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.7g", d);
  return buf;
}

int64_t int_attr(const Json& item, const char* name) {
  if (!item.contains(name)) return 0;
  return std::stoll(item[name].value("N", "0"));
}

Shop shop_from_item(const Json& item) {
  Shop s;
  s.id = item["id"].value("S", "");
  s.name = item.contains("name") ? item["name"].value("S", "") : "";
  s.address = item.contains("address") ? item["address"].value("S", "") : "";
  if (item.contains("lat")) s.lat = std::stod(item["lat"].value("N", "0"));
  if (item.contains("lon")) s.lon = std::stod(item["lon"].value("N", "0"));
  s.votes = int_attr(item, "votes");
  s.stars_total = int_attr(item, "stars_total");
  s.rating = average_rating(s.votes, s.stars_total);
  s.score = bayesian_score(s.votes, s.stars_total);
  s.created_at = item.contains("created_at") ? item["created_at"].value("S", "") : "";
  return s;
}

}  // namespace

Store::Store(const aws::S3Client& s3, const aws::DynamoDbClient& ddb, Settings settings)
    : s3_(s3), ddb_(ddb), settings_(std::move(settings)) {}

void Store::init(std::ostream& log) const {
  init_bucket(log);
  init_table({{"TableName", settings_.shops_table},
              {"BillingMode", "PAY_PER_REQUEST"},
              {"AttributeDefinitions",
               {{{"AttributeName", "id"}, {"AttributeType", "S"}},
                {{"AttributeName", "board"}, {"AttributeType", "S"}},
                {{"AttributeName", "score"}, {"AttributeType", "N"}}}},
              {"KeySchema", {{{"AttributeName", "id"}, {"KeyType", "HASH"}}}},
              {"GlobalSecondaryIndexes",
               {{{"IndexName", kTopIndex},
                 {"KeySchema",
                  {{{"AttributeName", "board"}, {"KeyType", "HASH"}}, {{"AttributeName", "score"}, {"KeyType", "RANGE"}}}},
                 {"Projection", {{"ProjectionType", "ALL"}}}}}}},
             log);
  init_table({{"TableName", settings_.ratings_table},
              {"BillingMode", "PAY_PER_REQUEST"},
              {"AttributeDefinitions",
               {{{"AttributeName", "shop_id"}, {"AttributeType", "S"}},
                {{"AttributeName", "user_id"}, {"AttributeType", "S"}}}},
              {"KeySchema",
               {{{"AttributeName", "shop_id"}, {"KeyType", "HASH"}}, {{"AttributeName", "user_id"}, {"KeyType", "RANGE"}}}}},
             log);
}

void Store::init_bucket(std::ostream& log) const {
  const std::string& b = settings_.bucket;
  try {
    s3_.create_bucket(b);
    log << "bucket " << b << ": created\n";
  } catch (const aws::AwsError& e) {
    if (e.code == "BucketAlreadyExists")
      throw aws::AwsError(e.status, e.code,
                          "bucket name " + b + " belongs to another account; choose another with RANKER_BUCKET or --bucket");
    if (e.code != "BucketAlreadyOwnedByYou") throw;
    log << "bucket " << b << ": exists\n";
  }
  // New buckets enforce bucket-owner ownership with ACLs disabled and block all public access
  // (since April 2023). BucketOwnerPreferred re-enables ACLs while the bucket owner still owns
  // every object; public ACLs are unblocked only when photos are uploaded with RANKER_PHOTO_ACL,
  // because the public bucket policy alone already makes them readable.
  s3_.put_bucket_ownership_controls(b, "BucketOwnerPreferred");
  bool acls = !settings_.photo_acl.empty();
  s3_.put_public_access_block(b, {.block_public_acls = !acls,
                                  .ignore_public_acls = !acls,
                                  .block_public_policy = false,
                                  .restrict_public_buckets = false});
  Json policy = {{"Version", "2012-10-17"},
                 {"Statement",
                  {{{"Sid", "PublicReadPhotos"},
                    {"Effect", "Allow"},
                    {"Principal", "*"},
                    {"Action", "s3:GetObject"},
                    {"Resource", "arn:aws:s3:::" + b + "/*"}}}}};
  s3_.put_bucket_policy(b, policy.dump());
  log << "bucket " << b << ": objects publicly readable (ownership controls, public access block, policy)\n";
}

void Store::init_table(const Json& request, std::ostream& log) const {
  std::string name = request["TableName"];
  try {
    ddb_.create_table(request);
    log << "table " << name << ": created\n";
  } catch (const aws::AwsError& e) {
    if (e.code != "ResourceInUseException") throw;
    log << "table " << name << ": exists\n";
  }
  ddb_.wait_until_active(name, std::chrono::minutes(5));
  log << "table " << name << ": ACTIVE\n";
}

std::optional<Shop> Store::create_shop(const NewShop& in, const std::string& id) const {
  Json item = {{"id", S(id.empty() ? aws::random_hex(8) : id)},
               {"name", S(in.name)},
               {"address", S(in.address)},
               {"votes", N(0)},
               {"stars_total", N(0)},
               {"score", N(score_number(bayesian_score(0, 0)))},
               {"board", S(kBoard)},
               {"created_at", S(now_iso())}};
  if (in.lat && in.lon) {
    item["lat"] = N(num_text(*in.lat));
    item["lon"] = N(num_text(*in.lon));
  }
  try {
    ddb_.put_item({{"TableName", settings_.shops_table},
                   {"Item", item},
                   {"ConditionExpression", "attribute_not_exists(id)"}});
  } catch (const aws::AwsError& e) {
    // A random 64-bit id never collides in practice; a given one may already be seeded.
    if (e.code == "ConditionalCheckFailedException" && !id.empty()) return std::nullopt;
    throw;
  }
  return shop_from_item(item);
}

std::optional<Shop> Store::get_shop(const std::string& id) const {
  Json r = ddb_.get_item({{"TableName", settings_.shops_table}, {"Key", {{"id", S(id)}}}, {"ConsistentRead", true}});
  if (!r.contains("Item")) return std::nullopt;
  return shop_from_item(r["Item"]);
}

std::vector<Shop> Store::ranked_shops(size_t limit) const {
  std::vector<Shop> out;
  Json req = {{"TableName", settings_.shops_table},
              {"IndexName", kTopIndex},
              {"KeyConditionExpression", "#b = :b"},
              {"ExpressionAttributeNames", {{"#b", "board"}}},
              {"ExpressionAttributeValues", {{":b", S(kBoard)}}},
              {"ScanIndexForward", false}};
  for (int page = 0; page < 100 && out.size() < limit; ++page) {
    Json r = ddb_.query(req);
    for (const auto& item : r.value("Items", Json::array())) {
      if (out.size() < limit) out.push_back(shop_from_item(item));
    }
    if (!r.contains("LastEvaluatedKey")) break;
    req["ExclusiveStartKey"] = r["LastEvaluatedKey"];
  }
  return out;
}

Shop Store::rate(const std::string& shop_id, const std::string& user, int stars) const {
  for (int attempt = 0; attempt < kVoteAttempts; ++attempt) {
    std::optional<Shop> shop = get_shop(shop_id);
    if (!shop) throw NotFound("no shop with id " + shop_id);
    Json old = ddb_.get_item({{"TableName", settings_.ratings_table},
                              {"Key", {{"shop_id", S(shop_id)}, {"user_id", S(user)}}},
                              {"ConsistentRead", true}});
    std::optional<int64_t> previous;
    if (old.contains("Item")) previous = int_attr(old["Item"], "stars");
    if (previous == stars) return *shop;

    int64_t votes = shop->votes + (previous ? 0 : 1);
    int64_t total = shop->stars_total - previous.value_or(0) + stars;
    Json put = {{"TableName", settings_.ratings_table},
                {"Item", {{"shop_id", S(shop_id)}, {"user_id", S(user)}, {"stars", N(stars)}, {"updated_at", S(now_iso())}}}};
    if (previous) {
      put["ConditionExpression"] = "#s = :old";
      put["ExpressionAttributeNames"] = {{"#s", "stars"}};
      put["ExpressionAttributeValues"] = {{":old", N(*previous)}};
    } else {
      put["ConditionExpression"] = "attribute_not_exists(#u)";
      put["ExpressionAttributeNames"] = {{"#u", "user_id"}};
    }
    // The aggregate moves only from the exact state it was read in; a concurrent vote makes the
    // whole transaction fail and this loop reads again.
    Json update = {{"TableName", settings_.shops_table},
                   {"Key", {{"id", S(shop_id)}}},
                   {"UpdateExpression", "SET #v = :v, #t = :t, #sc = :sc"},
                   {"ConditionExpression", "#v = :ov AND #t = :ot"},
                   {"ExpressionAttributeNames", {{"#v", "votes"}, {"#t", "stars_total"}, {"#sc", "score"}}},
                   {"ExpressionAttributeValues",
                    {{":v", N(votes)},
                     {":t", N(total)},
                     {":sc", N(score_number(bayesian_score(votes, total)))},
                     {":ov", N(shop->votes)},
                     {":ot", N(shop->stars_total)}}}};
    try {
      // The token makes the client's own retries of this exact transaction idempotent.
      ddb_.transact_write_items({{"TransactItems", {{{"Put", put}}, {{"Update", update}}}},
                                 {"ClientRequestToken", aws::random_hex(16)}});
    } catch (const aws::AwsError& e) {
      if (e.code == "TransactionCanceledException" || e.code == "TransactionConflictException") continue;
      throw;
    }
    shop->votes = votes;
    shop->stars_total = total;
    shop->rating = average_rating(votes, total);
    shop->score = bayesian_score(votes, total);
    return *shop;
  }
  throw Conflict("too many concurrent votes on shop " + shop_id + "; try again");
}

Photo Store::add_photo(const std::string& shop_id, const std::string& bytes, const std::string& mime,
                       const std::string& extension, const std::string& name) const {
  if (!get_shop(shop_id)) throw NotFound("no shop with id " + shop_id);
  std::string key = "photos/" + shop_id + "/" + (name.empty() ? aws::random_hex(12) : name) + "." + extension;
  s3_.put_object(settings_.bucket, key, bytes, mime, settings_.photo_acl);
  return {key, public_url(key), bytes.size(), now_iso()};
}

std::vector<Photo> Store::photos(const std::string& shop_id) const {
  std::vector<Photo> out;
  std::string token;
  for (int page = 0; page < 100; ++page) {
    aws::ListPage p = s3_.list_objects_v2(settings_.bucket, "photos/" + shop_id + "/", token);
    for (const auto& o : p.objects) out.push_back({o.key, public_url(o.key), o.size, o.last_modified});
    if (p.next_token.empty()) break;
    token = p.next_token;
  }
  return out;
}

Upload Store::start_upload(const std::string& shop_id) const {
  if (!get_shop(shop_id)) throw NotFound("no shop with id " + shop_id);
  constexpr int kUploadSeconds = 900;
  std::string id = aws::random_hex(12);
  return {id, s3_.presign("PUT", settings_.bucket, "uploads/" + shop_id + "/" + id, kUploadSeconds), kUploadSeconds};
}

std::string Store::take_upload(const std::string& shop_id, const std::string& upload_id) const {
  if (!get_shop(shop_id)) throw NotFound("no shop with id " + shop_id);
  std::string key = "uploads/" + shop_id + "/" + upload_id;
  aws::GetResult got;
  try {
    got = s3_.get_object(settings_.bucket, key);
  } catch (const aws::AwsError& e) {
    if (e.code == "NoSuchKey" || e.status == 404) throw NotFound("nothing was uploaded for upload " + upload_id);
    throw;
  }
  s3_.delete_object(settings_.bucket, key);
  return std::move(got.body);
}

std::string Store::public_url(const std::string& key) const {
  if (!settings_.public_url_base.empty()) return settings_.public_url_base + "/" + aws::uri_encode(key, false);
  return s3_.object_url(settings_.bucket, key);
}

}  // namespace ranker
